"""Demo agreements further along the workflow, made through the real services.

- Pirkanmaa's interface agreement on children's and families' services *in decision*, with the mix
  a coordinator meets: a decision approved and legally final, one approved with its appeal period
  running, one returned for preparation, one approved with changes (and its open change proposal),
  and parties that have not decided yet.
- Pirkanmaa's interface agreement on older people's services, decided, *signed and in force*: a
  public document the register shows to anyone.

Dates are counted back from the day the demo runs, so the appeal periods are where the
descriptions say whenever it runs. The people and figures are illustrative.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, Decision, Party, Theme
from agreements.services import agreement_start, section_save
from agreements.services.decisions import decision_record, legal_force_confirm
from agreements.services.signing import signatory_add, signature_record_outside
from agreements.services.workflow import transition
from regions.models import Municipality, WellbeingCounty
from users.models import User

IN_DECISION_TITLE = "Lasten, nuorten ja perheiden palvelujen yhdyspintasopimus 2026–2029"
IN_FORCE_TITLE = "Ikäihmisten kotona asumisen tuen yhdyspintasopimus 2026–2029"
# Tampere, Nokia, Ylöjärvi, Kangasala, Lempäälä, Pirkkala
IN_DECISION_MUNICIPALITIES = ("837", "536", "980", "211", "418", "604")
IN_FORCE_MUNICIPALITIES = ("837", "536")

TEXTS = {
    "1": "<p>Sopimuksen osapuolina ovat Pirkanmaan hyvinvointialue ja osapuoliluettelossa mainitut kunnat.</p>",
    "2": "<p>Sopimuksella sovitaan lasten, nuorten ja perheiden palvelujen yhdyspinnasta: perhekeskusten, "
    "koulujen ja varhaiskasvatuksen sekä hyvinvointialueen palvelujen työnjaosta ja yhteistyöstä.</p>",
    "5.1": "<p>Sopimus tulee voimaan, kun kaikki osapuolet ovat hyväksyneet ja allekirjoittaneet sen.</p>",
    "5.2": "<p>Sopimus on voimassa 31.5.2029 saakka.</p>",
    "5.3": "<p>Osapuoli voi irtisanoa sopimuksen kuuden kuukauden irtisanomisajalla.</p>",
    "7": "<p>Yhteistyön toteutumista seurataan vuosittain hyvinvointikertomuksen yhteydessä.</p>",
}
OLDER_TEXTS = {
    **TEXTS,
    "2": "<p>Sopimuksella sovitaan ikäihmisten kotona asumisen tuesta: kotihoidon, asumisen ja liikkumisen "
    "palvelujen sekä kuntien ja hyvinvointialueen ennaltaehkäisevän työn yhteensovittamisesta.</p>",
}
# A one-page PDF standing for a signature page signed on paper.
SIGNED_PAGE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _start(title: str, codes: tuple[str, ...], theme: str, texts: dict[str, str]) -> Agreement:
    coordinator = _user("pirkanmaa")
    agreement = agreement_start(
        by=coordinator,
        county=WellbeingCounty.objects.get(code="08"),
        title=title,
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=codes),
        main_theme=theme,
        valid_from=datetime.date(2026, 1, 1),
    )
    sections = {s.key: s for s in agreement.sections.all()}
    for key, text in texts.items():
        section_save(section=sections[key], text=text, base_version=0, by=coordinator)
    return agreement


def _to_decision(agreement: Agreement) -> Agreement:
    coordinator = _user("pirkanmaa")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    agreement = transition(agreement=agreement, to=Agreement.Status.CONSULTATION, by=coordinator, deadline=deadline)
    agreement = transition(agreement=agreement, to=Agreement.Status.NEGOTIATED, by=coordinator)
    return transition(agreement=agreement, to=Agreement.Status.IN_DECISION, by=coordinator)


def _party(agreement: Agreement, code: str | None) -> Party:
    """The county's party (code None) or the municipality's."""
    organisation = agreement.county_id if code is None else Municipality.objects.get(code=code).pk
    party = agreement.parties.select_related("organisation").get(organisation=organisation)
    party.agreement = agreement
    return party


def _decide(
    party: Party,
    by: User,
    *,
    body: str,
    body_name: str,
    days_ago: int,
    outcome: str = Decision.Outcome.APPROVED,
    published_days_ago: int | None = None,
    changes: str = "",
    number: int = 1,
) -> Decision:
    """A decision made ``days_ago``, prepared by the board a fortnight before, minutes online two days later."""
    decided_on = _days_ago(days_ago)
    published = _days_ago(published_days_ago if published_days_ago is not None else max(days_ago - 2, 0))
    slug = party.official_name.lower().replace(" ", "-").replace("ä", "a").replace("ö", "o")
    return decision_record(
        party=party,
        by=by,
        changes=changes,
        body=body,
        body_name=body_name,
        diary_number=f"{slug.upper()[:3]}/{decided_on.year}/{140 + number}",
        proposal_body="" if body == Decision.Body.BOARD else "Hallitus",
        proposal_date=None if body == Decision.Body.BOARD else decided_on - datetime.timedelta(days=14),
        proposal_section="" if body == Decision.Body.BOARD else str(200 + number),
        decided_on=decided_on,
        section=str(40 + number),
        outcome=outcome,
        minutes_url=f"https://{slug}.oncloudos.com/kokous/{decided_on.year}{number:04d}",
        minutes_published_on=published,
    )


@transaction.atomic
def demo_in_decision_ensure() -> Agreement:
    """The interface agreement in decision, with every kind of party's decision in it."""
    existing = Agreement.objects.filter(title=IN_DECISION_TITLE).first()
    if existing:
        return existing
    coordinator, tampere, nokia = _user("pirkanmaa"), _user("tampere"), _user("nokia")
    agreement = _to_decision(_start(IN_DECISION_TITLE, IN_DECISION_MUNICIPALITIES, Theme.CHILDREN_AND_YOUTH, TEXTS))
    # The county's board: approved two months ago, legally final.
    county = _decide(
        _party(agreement, None), coordinator, body=Decision.Body.REGIONAL_BOARD, body_name="Aluehallitus", days_ago=60
    )
    legal_force_confirm(decision=county, by=coordinator)
    # Kangasala has nobody in the portal: the coordinator enters its council's decision, legally final.
    kangasala = _decide(
        _party(agreement, "211"),
        coordinator,
        body=Decision.Body.COUNCIL,
        body_name="Kaupunginvaltuusto",
        days_ago=55,
        number=2,
    )
    legal_force_confirm(decision=kangasala, by=coordinator)
    # Tampere's council approved last week: its appeal period is running.
    _decide(_party(agreement, "837"), tampere, body=Decision.Body.COUNCIL, body_name="Kaupunginvaltuusto", days_ago=7)
    # Nokia's board returned it for preparation.
    _decide(
        _party(agreement, "536"),
        nokia,
        body=Decision.Body.BOARD,
        body_name="Kaupunginhallitus",
        days_ago=20,
        outcome=Decision.Outcome.RETURNED,
        number=3,
    )
    # Ylöjärvi's council approved with a change: a change proposal waits for the coordinator.
    _decide(
        _party(agreement, "980"),
        coordinator,
        body=Decision.Body.COUNCIL,
        body_name="Kaupunginvaltuusto",
        days_ago=14,
        outcome=Decision.Outcome.APPROVED_WITH_CHANGES,
        changes="Kohtaan 7 lisätään, että seurannan tulokset käsitellään myös kunnan sivistyslautakunnassa.",
        number=4,
    )
    # Lempäälä and Pirkkala have not decided yet.
    return agreement


@transaction.atomic
def demo_in_force_ensure() -> Agreement:
    """The interface agreement every party has approved (legally final) and signed: in force, public."""
    existing = Agreement.objects.filter(title=IN_FORCE_TITLE).first()
    if existing:
        return existing
    coordinator, tampere, nokia = _user("pirkanmaa"), _user("tampere"), _user("nokia")
    agreement = _to_decision(_start(IN_FORCE_TITLE, IN_FORCE_MUNICIPALITIES, Theme.OLDER_PEOPLE, OLDER_TEXTS))
    signers = {
        None: (coordinator, Decision.Body.REGIONAL_BOARD, "Aluehallitus", "Hyvinvointialuejohtaja", "Pirkanmaa"),
        "837": (tampere, Decision.Body.COUNCIL, "Kaupunginvaltuusto", "Pormestari", "Tampere"),
        "536": (nokia, Decision.Body.BOARD, "Kaupunginhallitus", "Kaupunginjohtaja", "Nokia"),
    }
    names = {None: "Marja Virtanen", "837": "Kalle Mäkinen", "536": "Liisa Nieminen"}
    for n, (code, (by, body, body_name, _title, _place)) in enumerate(signers.items()):
        decision = _decide(_party(agreement, code), by, body=body, body_name=body_name, days_ago=70 - n, number=n + 5)
        legal_force_confirm(decision=decision, by=by)
    agreement = transition(agreement=agreement, to=Agreement.Status.SIGNING, by=coordinator)
    for code, (by, _body, _name, title, place) in signers.items():
        signatory = signatory_add(
            party=_party(agreement, code),
            by=by,
            name=names[code],
            title=title,
            authority="Hallintosääntö 45 §",
        )
        signature_record_outside(
            signatory=signatory,
            by=by,
            signed_on=timezone.localdate(),
            place=place,
            upload=SimpleUploadedFile("allekirjoitus.pdf", SIGNED_PAGE, content_type="application/pdf"),
        )
    agreement.refresh_from_db()
    return agreement
