"""Agreements in decision, and parties' decisions, built with the services production uses."""

import datetime

from django.utils import timezone

from agreements.models import Agreement, Decision, Party, Theme
from agreements.services import agreement_start
from agreements.services.decisions import decision_record
from agreements.services.workflow import transition
from regions.models import Municipality, WellbeingCounty
from users.models import User


def to_decision(agreement: Agreement, by: User) -> Agreement:
    """Freezes the agreement and sends it to the parties' decision, as its coordinator does."""
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    agreement = transition(agreement=agreement, to=Agreement.Status.CONSULTATION, by=by, deadline=deadline)
    for status in (Agreement.Status.NEGOTIATED, Agreement.Status.IN_DECISION):
        agreement = transition(agreement=agreement, to=status, by=by, confirm_open_threads=True)
    return agreement


def interface_in_decision(carol: User, codes=("837", "536"), party_names=None, **kwargs) -> Agreement:
    """A Pirkanmaa interface agreement between the county and ``codes`` (Tampere, Nokia), in decision;
    ``party_names`` ({municipality code: official name}) are written while it is still a draft."""
    agreement = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title=kwargs.pop("title", "Perhekeskus"),
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=codes),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )
    if kwargs:
        Agreement.objects.filter(pk=agreement.pk).update(**kwargs)
    for code, name in (party_names or {}).items():
        agreement.parties.filter(organisation=Municipality.objects.get(code=code).pk).update(official_name=name)
    return to_decision(agreement, carol)


def party_of(agreement: Agreement, code: str) -> Party:
    party = agreement.parties.select_related("organisation").get(organisation=Municipality.objects.get(code=code).pk)
    party.agreement = agreement
    return party


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def decide(party: Party, by: User, outcome: str = Decision.Outcome.APPROVED, **fields) -> Decision:
    """A decision of ``party``'s council, 60 days ago, its minutes published the day after."""
    values = {
        "body": Decision.Body.COUNCIL,
        "decided_on": days_ago(60),
        "section": "42",
        "outcome": outcome,
        "minutes_published_on": days_ago(59),
        **fields,
    }
    return decision_record(party=party, by=by, **values)
