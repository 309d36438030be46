"""Kuntaliitto's template for the strategic cooperation agreement, as the sections every agreement starts with.

Titles are document text, so they are kept in the agreement's own language (Finnish or Swedish).
The guidance is help for the people writing: it follows the user's language. It is written in our
own words and says which law each part serves.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SectionTemplate:
    key: str
    title_fi: str
    title_sv: str
    guidance: Promise
    kind: str = "text"
    # Text the section starts with (a reference clause a kind provides), in Finnish and Swedish.
    text_fi: str = ""
    text_sv: str = ""

    def title(self, language: str) -> str:
        return self.title_sv if language == "sv" else self.title_fi

    def text(self, language: str) -> str:
        return self.text_sv if language == "sv" else self.text_fi


SECTIONS: tuple[SectionTemplate, ...] = (
    SectionTemplate(
        "1",
        "Osapuolet",
        "Parter",
        _(
            "Who the parties are: the county, every municipality in it and, if it joins, the regional council. "
            "The portal lists the parties with their official names and business IDs; add here anything the "
            "parties want to say about their roles."
        ),
        kind="parties",
    ),
    SectionTemplate(
        "2",
        "Sopimuksen lähtökohdat ja tarkoitus",
        "Avtalets utgångspunkter och syfte",
        _(
            "Why the parties make this agreement: the duty to cooperate in the Act on Organising Social and "
            "Health Services (612/2021, sections 6 and 7) and the Wellbeing Services Counties Act (611/2021, "
            "section 14), the region's situation, and what the agreement is meant to achieve."
        ),
    ),
    SectionTemplate(
        "3",
        "Yhteistyön tavoitteet, toimenpiteet ja mittarit",
        "Samarbetets mål, åtgärder och mätare",
        _("An introduction to the shared goals. The principles and the table of goals follow in 3.1 and 3.2."),
    ),
    SectionTemplate(
        "3.1",
        "Yhteiset periaatteet",
        "Gemensamma principer",
        _(
            "The principles the parties follow in every form of cooperation, for example shared responsibility "
            "for residents' wellbeing, openness with information and taking the other's decisions into account."
        ),
    ),
    SectionTemplate(
        "3.2",
        "Yhteiset tavoitteet, mittarit ja toimenpiteet",
        "Gemensamma mål, mätare och åtgärder",
        _(
            "The goals in a table: for each goal its theme, the measures with their lead party and schedule, "
            "the indicators with baseline and target values and their data source (for example Sotkanet), and "
            "the parties responsible. Follow-up in section 7 uses these indicators."
        ),
        kind="goals",
    ),
    SectionTemplate(
        "4",
        "Yhteistyöfoorumit ja -muodot",
        "Samarbetsforum och samarbetsformer",
        _(
            "How the parties work together in practice. The forums, information sharing and other actors "
            "follow in 4.1–4.3."
        ),
    ),
    SectionTemplate(
        "4.1",
        "Hyvinvointialueen ja kuntien väliset yhteistyöfoorumit",
        "Samarbetsforum mellan välfärdsområdet och kommunerna",
        _(
            "The forums at each level (political decision-makers, executive leadership, experts and front-line "
            "staff): who sits in them and with how many seats, who chairs, and how often they meet."
        ),
        kind="forums",
    ),
    SectionTemplate(
        "4.2",
        "Tiedon jakaminen",
        "Informationsutbyte",
        _(
            "How the parties share information and data for a shared picture of the situation, for example "
            "wellbeing reports and data sources such as Sotkanet, within the limits of data protection law."
        ),
    ),
    SectionTemplate(
        "4.3",
        "Yhteistyö muiden toimijoiden kanssa",
        "Samarbete med andra aktörer",
        _(
            "Cooperation with organisations, parishes, companies, Kela, the employment authorities and other "
            "actors, and how they are heard."
        ),
    ),
    SectionTemplate(
        "5",
        "Sopimuksen hyväksyminen",
        "Godkännande av avtalet",
        _("How each party approves the agreement: which body decides (council, board or county council)."),
    ),
    SectionTemplate(
        "5.1",
        "Sopimuksen voimaantulo",
        "Avtalets ikraftträdande",
        _("When the agreement enters into force, usually once every party has approved and signed it."),
    ),
    SectionTemplate(
        "5.2",
        "Sopimuksen voimassaolo",
        "Avtalets giltighetstid",
        _(
            "How long the agreement is valid. Counties and municipalities negotiate their cooperation at least "
            "once per council term (611/2021, section 14), so the validity usually follows the council term."
        ),
    ),
    SectionTemplate(
        "5.3",
        "Sopimuksen irtisanominen",
        "Uppsägning av avtalet",
        _("How a party can give notice and with what period of notice."),
    ),
    SectionTemplate(
        "6",
        "Muut ehdot",
        "Övriga villkor",
        _("Other terms of the agreement, in 6.1–6.3."),
    ),
    SectionTemplate(
        "6.1",
        "Sopimusasiakirjat",
        "Avtalsdokument",
        _("Which documents form the agreement and in which order they apply if they disagree."),
    ),
    SectionTemplate(
        "6.2",
        "Kustannukset",
        "Kostnader",
        _("How the costs of cooperation are shared, for example the costs of forums and joint projects."),
    ),
    SectionTemplate(
        "6.3",
        "Sopimuksen muuttaminen",
        "Ändring av avtalet",
        _(
            "How the agreement is amended: who proposes changes and which changes need the parties' bodies "
            "to approve them again."
        ),
    ),
    SectionTemplate(
        "7",
        "Sopimuksen seuranta",
        "Uppföljning av avtalet",
        _(
            "How and how often the goals are followed up with the indicators of section 3.2, who reports to "
            "whom, and how the yearly wellbeing negotiations (612/2021, section 7) use the results."
        ),
    ),
    SectionTemplate(
        "8",
        "Erimielisyyksien ratkaiseminen",
        "Lösning av meningsskiljaktigheter",
        _("How disagreements about the agreement are settled, first by negotiation between the parties."),
    ),
    SectionTemplate(
        "9",
        "Allekirjoitukset",
        "Underskrifter",
        _("One signature block per party. The portal keeps track of approvals and signatures party by party."),
        kind="signatures",
    ),
    SectionTemplate(
        "10",
        "Liitteet",
        "Bilagor",
        _("The annexes of the agreement as PDF files, for example the parties' decisions."),
        kind="annexes",
    ),
)
