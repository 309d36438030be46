"""State builders for signing tests: agreements frozen, decided and being signed."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Agreement, Decision, Party, Theme
from agreements.services import agreement_start, workflow
from regions.models import Municipality, WellbeingCounty
from tests.agreements.workflow_factories import in_decision
from users.models import User


def pdf(name: str = "allekirjoitettu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", content_type="application/pdf")


def interface_agreement(carol: User, **kwargs) -> Agreement:
    """Pirkanmaa's family-centre agreement: the county, Nokia and Tampere."""
    kwargs.setdefault("valid_from", datetime.date(2025, 6, 1))
    return agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskusmalli",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=["837", "536"]),
        main_theme=Theme.CHILDREN_AND_YOUTH,
        **kwargs,
    )


def to_decision(agreement: Agreement, carol: User) -> Agreement:
    """Through consultation, frozen and in decision, moved by the coordinator."""
    return in_decision(agreement, carol)


def decide(party: Party, outcome: str = Decision.Outcome.APPROVED, on: datetime.date | None = None) -> Decision:
    """The party's decision as its official records it (directly: the decisions service is another part)."""
    return Decision.objects.create(
        party=party,
        body=Decision.Body.COUNCIL,
        decided_on=on or datetime.date(2025, 5, 12),
        section="45",
        outcome=outcome,
    )


def to_signing(agreement: Agreement, carol: User, *, approved: list[Party] | None = None) -> Agreement:
    """In decision, every party (or those in ``approved``) approved, then being signed."""
    agreement = to_decision(agreement, carol)
    for party in agreement.parties.all() if approved is None else approved:
        decide(party)
    return workflow.transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)


def party_of(agreement: Agreement, code: str) -> Party:
    return agreement.parties.get(organisation__municipality__code=code)


def county_party(agreement: Agreement) -> Party:
    return agreement.parties.get(organisation=agreement.county_id)
