"""Demo content: Pirkanmaa's strategic cooperation agreement, written through the real services.

The figures are illustrative, not statistics: the demo shows what a filled-in agreement looks like.
"""

from decimal import Decimal

from django.db import transaction

from agreements.models import Agreement, Forum, Indicator, Theme
from agreements.services import (
    SectionConflict,
    agreement_start,
    comment_add,
    comment_resolve,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    section_save,
)
from regions.models import WellbeingCounty
from users.models import User

DEMO_TITLE = "Pirkanmaan hyvinvointialueen ja kuntien strateginen yhteistyösopimus 2025–2029"

TEXTS = {
    "1": "<p>Sopimuksen osapuolina ovat Pirkanmaan hyvinvointialue, alueen 23 kuntaa ja Pirkanmaan liitto. "
    "Osapuolten viralliset nimet ja Y-tunnukset on lueteltu osapuoliluettelossa.</p>",
    "2": "<p>Hyvinvointialue ja kunnat vastaavat yhdessä asukkaiden hyvinvoinnista, terveydestä ja turvallisuudesta. "
    "Sopimus perustuu hyvinvointialueesta annetun lain 14 §:ään ja sosiaali- ja terveydenhuollon "
    "järjestämisestä annetun lain 6–7 §:ään.</p><p>Sopimuksen tarkoitus on sopia yhteisistä tavoitteista, "
    "työnjaosta ja yhteistyön rakenteista niin, että palvelut muodostavat asukkaan kannalta ehjän "
    "kokonaisuuden.</p>",
    "3": "<p>Osapuolet sopivat kuudesta yhteisestä tavoitteesta, joiden toteutumista seurataan vuosittain.</p>",
    "3.1": "<ul><li>Asukas on yhteistyön keskiössä.</li><li>Osapuolet ottavat päätöksissään huomioon toistensa "
    "palvelut ja niiden vaikutukset.</li><li>Tieto kulkee avoimesti ja ajoissa.</li></ul>",
    "4": "<p>Yhteistyötä tehdään poliittisella, johtavien viranhaltijoiden ja asiantuntijoiden tasolla.</p>",
    "4.2": "<p>Osapuolet hyödyntävät yhteistä hyvinvointikertomusta sekä Sotkanetin ja Kouluterveyskyselyn "
    "tietoja alueellisen tilannekuvan muodostamiseen.</p>",
    "4.3": "<p>Järjestöt, seurakunnat, Kela ja työllisyysalueet kutsutaan mukaan teemakohtaisiin verkostoihin.</p>",
    "5": "<p>Sopimuksen hyväksyvät aluevaltuusto ja kunkin kunnan valtuusto tai hallitus.</p>",
    "5.1": "<p>Sopimus tulee voimaan, kun kaikki osapuolet ovat hyväksyneet ja allekirjoittaneet sen.</p>",
    "5.2": "<p>Sopimus on voimassa valtuustokauden 2025–2029 loppuun.</p>",
    "5.3": "<p>Osapuoli voi irtisanoa sopimuksen kuuden kuukauden irtisanomisajalla.</p>",
    "6.1": "<p>Sopimusasiakirjoja ovat tämä sopimus ja sen liitteet.</p>",
    "6.2": "<p>Kukin osapuoli vastaa omista kustannuksistaan, ellei toisin sovita.</p>",
    "6.3": "<p>Sopimusta muutetaan kirjallisesti. Olennaiset muutokset hyväksytään kuten sopimus.</p>",
    "7": "<p>Tavoitteiden toteutumista seurataan vuosittain kohdan 3.2 mittareilla. Seurannan tulokset käsitellään "
    "hyvinvointialueen ja kuntien vuosittaisissa neuvotteluissa.</p>",
    "8": "<p>Erimielisyydet pyritään ratkaisemaan ensisijaisesti osapuolten välisin neuvotteluin.</p>",
}

GOALS = [
    (
        "Asukkaiden hyvinvointi ja terveys vahvistuvat",
        Theme.WELLBEING,
        "Alueellinen hyvinvointisuunnitelma laaditaan yhdessä ja kytketään kuntien hyvinvointikertomuksiin.",
        "2026",
        (
            "Terveydentilansa keskinkertaiseksi tai huonoksi kokevat 8.–9.-luokkalaiset",
            "%",
            "21.0",
            2023,
            "18.0",
            2029,
            "Kouluterveyskysely (THL)",
            Indicator.Frequency.OTHER,
        ),
    ),
    (
        "Lasten, nuorten ja perheiden palvelut toimivat saumattomasti",
        Theme.CHILDREN_AND_YOUTH,
        "Perhekeskusten toimintamalli yhtenäistetään kaikissa kunnissa.",
        "2025–2027",
        (
            "Lastensuojeluilmoitukset 1 000 alle 18-vuotiasta kohden",
            "kpl",
            "68.0",
            2023,
            "60.0",
            2029,
            "Sotkanet",
            Indicator.Frequency.YEARLY,
        ),
    ),
    (
        "Opiskeluhuollon palvelut ovat oikea-aikaisia",
        Theme.STUDENT_WELFARE,
        "Koulujen ja oppilaitosten opiskeluhuollon yhteistyöryhmät kokoontuvat säännöllisesti.",
        "2026",
        (
            "Kuraattorille seitsemässä päivässä päässeet",
            "%",
            "74.0",
            2024,
            "90.0",
            2028,
            "Hyvinvointialueen tilastot",
            Indicator.Frequency.YEARLY,
        ),
    ),
    (
        "Ikäihmiset asuvat turvallisesti kotona",
        Theme.OLDER_PEOPLE,
        "Kotona asumista tuetaan esteettömällä asumisella ja yhteisillä kotikäynneillä.",
        "2025–2029",
        ("Kotona asuvat 75 vuotta täyttäneet", "%", "92.5", 2023, "93.5", 2029, "Sotkanet", Indicator.Frequency.YEARLY),
    ),
    (
        "Työllisyys paranee ja pitkäaikaistyöttömyys vähenee",
        Theme.EMPLOYMENT,
        "Työllistymistä edistävät sosiaali- ja terveyspalvelut sovitetaan yhteen työllisyysalueiden kanssa.",
        "2026",
        (
            "Pitkäaikaistyöttömät työvoimasta",
            "%",
            "3.4",
            2024,
            "2.8",
            2029,
            "Tilastokeskus",
            Indicator.Frequency.YEARLY,
        ),
    ),
    (
        "Varautuminen ja turvallisuus sovitetaan yhteen",
        Theme.PREPAREDNESS,
        "Osapuolet harjoittelevat yhdessä häiriötilanteita vähintään kerran vuodessa.",
        "Vuosittain",
        (
            "Yhteiset valmiusharjoitukset vuodessa",
            "kpl",
            "1",
            2024,
            "2",
            2026,
            "Hyvinvointialueen valmiussuunnitelma",
            Indicator.Frequency.YEARLY,
        ),
    ),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def demo_agreement_ensure() -> Agreement:
    """Pirkanmaa's demo agreement; made once, found again on later runs."""
    county = WellbeingCounty.objects.get(code="08")
    existing = Agreement.objects.filter(county=county, title=DEMO_TITLE).first()
    if existing:
        return existing
    coordinator, tampere, nokia = _user("pirkanmaa"), _user("tampere"), _user("nokia")
    agreement = agreement_start(
        by=coordinator,
        county=county,
        title=DEMO_TITLE,
        include_regional_council=True,
        themes=[Theme.STRUCTURES, Theme.WELLBEING, Theme.CHILDREN_AND_YOUTH, Theme.EMPLOYMENT],
    )
    sections = {s.key: s for s in agreement.sections.all()}
    for key, text in TEXTS.items():
        section_save(section=sections[key], text=text, base_version=0, by=coordinator)

    # Two officials edit section 7 at once: Nokia's save is refused and merged by hand.
    follow_up = sections["7"]
    section_save(
        section=follow_up, by=tampere, base_version=1, text=TEXTS["7"] + "<p>Tampere kokoaa kuntien seurantatiedot.</p>"
    )
    try:
        section_save(
            section=follow_up,
            by=nokia,
            base_version=1,
            text=TEXTS["7"] + "<p>Seurannasta raportoidaan myös valtuustoille.</p>",
        )
    except SectionConflict:
        section_save(
            section=follow_up,
            by=nokia,
            base_version=2,
            resolves_conflict=True,
            text=TEXTS["7"] + "<p>Tampere kokoaa kuntien seurantatiedot. "
            "Seurannasta raportoidaan myös valtuustoille.</p>",
        )

    parties = {p.official_name: p for p in agreement.parties.all()}
    county_party, tampere_party, nokia_party = (
        parties["Pirkanmaan hyvinvointialue"],
        parties["Tampere"],
        parties["Nokia"],
    )
    for title, theme, measure, schedule, (name, unit, base, base_year, target, target_year, source, freq) in GOALS:
        goal = goal_save(
            agreement=agreement,
            by=coordinator,
            title=title,
            theme=theme,
            responsible_parties=[county_party, tampere_party, nokia_party],
        )
        measure_save(
            goal=goal,
            by=coordinator,
            description=measure,
            lead_party=county_party,
            co_parties=[tampere_party, nokia_party],
            schedule=schedule,
        )
        indicator_save(
            goal=goal,
            by=coordinator,
            name=name,
            unit=unit,
            baseline_value=Decimal(base),
            baseline_year=base_year,
            target_value=Decimal(target),
            target_year=target_year,
            data_source=source,
            frequency=freq,
        )
    forum_save(
        agreement=agreement,
        by=coordinator,
        name="Poliittinen yhteistyöfoorumi",
        level=Forum.Level.POLITICAL,
        chair=county_party,
        meeting_frequency="Kaksi kertaa vuodessa",
        seats={p: (3 if p == county_party else 1) for p in parties.values()},
    )
    forum_save(
        agreement=agreement,
        by=coordinator,
        name="Kuntajohtajien ja hyvinvointialuejohdon kokous",
        level=Forum.Level.EXECUTIVE,
        chair=county_party,
        meeting_frequency="Neljä kertaa vuodessa",
        seats=dict.fromkeys(parties.values(), 1),
    )
    forum_save(
        agreement=agreement,
        by=coordinator,
        name="Hyvinvoinnin ja terveyden edistämisen verkosto",
        level=Forum.Level.EXPERT,
        chair=tampere_party,
        meeting_frequency="Kuukausittain",
        seats={county_party: 2, tampere_party: 1, nokia_party: 1},
    )

    resolved = comment_add(section=sections["2"], by=nokia, text="Mainitaanko tässä myös HYTE-kerroin?")
    comment_add(
        section=sections["2"], by=coordinator, parent=resolved, text="Lisätään kohtaan 7, jossa käsitellään seurantaa."
    )
    comment_resolve(comment=resolved, by=coordinator)
    comment_add(
        section=sections["3.2"], by=tampere, text="Työllisyystavoitteeseen tarvitaan myös nuorten työllisyyden mittari."
    )
    comment_add(section=sections["5.3"], by=nokia, text="Onko kuuden kuukauden irtisanomisaika riittävä?")
    return agreement
