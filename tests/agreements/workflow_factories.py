"""Agreements in a state of the workflow, built with the workflow's own services.

The moves other parts make (a party's decision, the signatures, the daily date task) are not
this module's: ``put_in`` sets a later status as a raw update, which the frozen-text trigger lets
through (a status is not the text), so these tests do not depend on the other parts' rules.
"""

import datetime

from django.utils import timezone

from agreements.models import Agreement, ChangeProposal, Decision, Theme
from agreements.services import agreement_start, section_save
from agreements.services.workflow import transition
from regions.models import Municipality, WellbeingCounty
from users.models import User


def interface_agreement(carol: User, title: str = "Perhekeskus") -> Agreement:
    """Pirkanmaa's interface agreement between the county, Tampere and Nokia, with some text."""
    agreement = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title=title,
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code__in=["837", "536"]),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )
    section_save(section=agreement.sections.get(key="2"), text="<p>Tarkoitus</p>", base_version=0, by=carol)
    return agreement


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def consulted(agreement: Agreement, by: User) -> Agreement:
    return transition(agreement=agreement, to=Agreement.Status.CONSULTATION, by=by, deadline=tomorrow())


def frozen(agreement: Agreement, by: User) -> Agreement:
    from_proposal = ChangeProposal.objects.filter(new_edition=agreement).exists()
    if agreement.status == Agreement.Status.DRAFT and not from_proposal:
        consulted(agreement, by)
    return transition(agreement=agreement, to=Agreement.Status.NEGOTIATED, by=by, confirm_open_threads=True)


def in_decision(agreement: Agreement, by: User) -> Agreement:
    frozen(agreement, by)
    return transition(agreement=agreement, to=Agreement.Status.IN_DECISION, by=by)


def put_in(agreement: Agreement, status: str, **fields) -> Agreement:
    Agreement.objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def change_proposal(agreement: Agreement, description: str = "Lisätään kohta 7.2") -> ChangeProposal:
    """A party's decision "approved with changes" and its proposal, as the decisions part records them."""
    party = agreement.parties.exclude(organisation=agreement.county).order_by("position").first()
    decision = Decision.objects.create(
        party=party,
        body=Decision.Body.COUNCIL,
        decided_on=timezone.localdate(),
        section="12",
        outcome=Decision.Outcome.APPROVED_WITH_CHANGES,
    )
    return ChangeProposal.objects.create(decision=decision, description=description)
