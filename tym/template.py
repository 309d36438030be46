"""The TYM agreement's own template: its sections in Finnish and Swedish, with guidance citing the law.

The law on multi-sector promotion of employment (381/2023, §9 as amended by 437/2024, §10 on costs)
and the government decree 388/2024 (§3: what the agreement contains at least). Titles are document
text, in the agreement's language; the guidance follows the user's language. Sections of a
structured kind show their rows (``tym.kind``) beside their text.
"""

from django.utils.translation import gettext_lazy as _

from agreements.template import SectionTemplate

DATA_HANDLING_FI = (
    "<p>Monialaisen tuen asiakastiedot käsitellään valtakunnallisessa asiakastietojärjestelmässä, jota "
    "ylläpitää KEHA-keskus. KEHA-keskus, työvoimaviranomaiset, hyvinvointialue ja Kela ovat tietojen "
    "yhteisrekisterinpitäjiä, ja kukin vastaa omasta käsittelystään tietosuojalainsäädännön mukaisesti. "
    "Tähän sopimukseen tai sopimusportaaliin ei tallenneta asiakastietoja.</p>"
)
DATA_HANDLING_SV = (
    "<p>Klientuppgifterna inom det sektorsövergripande stödet behandlas i det nationella "
    "klientdatasystemet som KEHA-centret upprätthåller. KEHA-centret, arbetskraftsmyndigheterna, "
    "välfärdsområdet och FPA är gemensamt personuppgiftsansvariga, och var och en ansvarar för sin egen "
    "behandling enligt dataskyddslagstiftningen. Inga klientuppgifter sparas i detta avtal eller i "
    "avtalsportalen.</p>"
)

SECTIONS: tuple[SectionTemplate, ...] = (
    SectionTemplate(
        "1",
        "Osapuolet",
        "Parter",
        _(
            "The parties are the organisations of the steering group's area: every employment authority of the "
            "group, the wellbeing services county (or counties) and Kela, not the group itself (381/2023 §9)."
        ),
        kind="parties",
    ),
    SectionTemplate(
        "2",
        "Sopimuksen tarkoitus ja perusta",
        "Avtalets syfte och grund",
        _(
            "Why the parties make this agreement: the duty to agree on how the multi-sector support model is "
            "organised and resourced in the area (381/2023 §9 as amended by 437/2024, and decree 388/2024)."
        ),
    ),
    SectionTemplate(
        "3",
        "Monialaisen tuen johtoryhmä ja toiminta-alue",
        "Ledningsgruppen för sektorsövergripande stöd och verksamhetsområdet",
        _(
            "The steering group this agreement serves, its members with their personal deputies and the "
            "municipalities of its area. The portal shows them from the group's records; add what the parties "
            "want to say about the group's work."
        ),
        kind="tym_group",
    ),
    SectionTemplate(
        "4",
        "Palvelun järjestämistavat",
        "Hur servicen ordnas",
        _(
            "Decree 388/2024 §3 (1): where and how the service is given (in person, as a networked local service, "
            "by phone, by video) and the client process: referral by need (381/2023 §3), the multi-sector plan "
            "within three months, reviews at least every three months, ending by a joint assessment."
        ),
        kind="tym_service",
    ),
    SectionTemplate(
        "5",
        "Osapuolten henkilöstö",
        "Parternas personal",
        _(
            "Decree 388/2024 §3 (2): each party's staff, their number and tasks in enough detail, with the "
            "expected number of clients as the basis, and whether the numbers are full-time equivalents or persons."
        ),
        kind="tym_staff",
    ),
    SectionTemplate(
        "6",
        "Henkilöstön riittävyyden arviointi ja sopimuksen muuttaminen",
        "Bedömning av personalens tillräcklighet och ändring av avtalet",
        _(
            "Decree 388/2024 §3 (3): how the parties review at least once a year whether the staff suffice, and "
            "how the agreement is amended when the need for resources changes."
        ),
        kind="tym_review",
    ),
    SectionTemplate(
        "7",
        "Kustannusten jakaminen",
        "Fördelning av kostnaderna",
        _(
            "Decree 388/2024 §3 (4) and 381/2023 §10: each party bears the cost of its own staff; the other joint "
            "costs are split between the employment authorities and the county in proportion to the staff taking "
            "part unless they agree otherwise. State how several employment authorities split their share."
        ),
        kind="tym_costs",
    ),
    SectionTemplate(
        "8",
        "Kelan osallistuminen kustannuksiin",
        "FPA:s deltagande i kostnaderna",
        _("Decree 388/2024 §3 (5): how Kela takes part in the costs, stated explicitly even when it takes no part."),
        kind="tym_kela",
    ),
    SectionTemplate(
        "9",
        "Asiakastietojen käsittely",
        "Behandling av klientuppgifter",
        _(
            "A reference clause: client data are kept in the national client system of KEHA-keskus, whose joint "
            "controllers are KEHA-keskus, the employment authorities, the counties and Kela. The portal holds no "
            "client data; do not write any here."
        ),
        text_fi=DATA_HANDLING_FI,
        text_sv=DATA_HANDLING_SV,
    ),
    SectionTemplate(
        "10",
        "Seuranta ja vuositavoitteet",
        "Uppföljning och årliga mål",
        _(
            "How the parties follow the agreement up: the steering group's yearly goals (in line with the national "
            "employment goals, 380/2023 §21) are its indicators; the group also monitors results and staffing."
        ),
        kind="tym_follow_up",
    ),
    SectionTemplate(
        "11",
        "Voimassaolo, muuttaminen ja irtisanominen",
        "Giltighet, ändring och uppsägning",
        _(
            "The agreement is valid within the steering group's five-year term. State the notice period and how "
            "the agreement is amended or terminated; the dates themselves are set on the terms page."
        ),
    ),
    SectionTemplate(
        "12",
        "Allekirjoitukset",
        "Underskrifter",
        _("One signature block per party, signed after each party's own decision."),
        kind="signatures",
    ),
    SectionTemplate(
        "13",
        "Liitteet",
        "Bilagor",
        _("The annexes of the agreement as PDF files."),
        kind="annexes",
    ),
)
