"""Reads of the parties' decisions: the newest of each party, the roll-up and the entry-into-force
rule (section 5.1), the party matrix and the home page's list of what a party has to do next.

A party may decide more than once; its newest decision (by decision date, then by when it was
recorded) is the one that counts. An approval ("approved", or "approved with changes") counts
unless an appeal annulled it. The rule is met when every party has approved (``EntryRule.ALL``)
or when ``entry_quorum`` parties have (``EntryRule.QUORUM``); a party that approves after that is
bound from its own decision's date.

Importing this module registers the workflow's precondition for moving to signing (see
``AgreementsConfig.ready``).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import permissions
from agreements.models import Agreement, Decision, Party
from agreements.permissions import UserLike
from agreements.services import workflow


def _day(date: datetime.date) -> str:
    return f"{date.day}.{date.month}.{date.year}"


# --- One decision -------------------------------------------------------------------------------


def is_annulled(decision: Decision) -> bool:
    """An appeal against the decision was upheld: it no longer counts."""
    return decision.appeal_outcome == Decision.AppealOutcome.UPHELD


def counts_as_approval(decision: Decision | None) -> bool:
    return decision is not None and decision.is_approval and not is_annulled(decision)


def is_legally_final(decision: Decision | None) -> bool:
    """Confirmed with no appeal, or the appeal against it was dismissed or withdrawn."""
    if decision is None:
        return False
    if decision.legal_force == Decision.LegalForce.FINAL:
        return True
    return decision.legal_force == Decision.LegalForce.APPEALED and decision.appeal_outcome in (
        Decision.AppealOutcome.DISMISSED,
        Decision.AppealOutcome.WITHDRAWN,
    )


def appeal_period_running(decision: Decision, today: datetime.date) -> bool:
    return (
        decision.legal_force == Decision.LegalForce.PENDING
        and decision.appeal_period_ends is not None
        and today <= decision.appeal_period_ends
    )


def awaits_legal_force(decision: Decision, today: datetime.date) -> bool:
    """The appeal period is over and nobody has yet confirmed legal force or recorded an appeal."""
    return (
        decision.legal_force == Decision.LegalForce.PENDING
        and decision.appeal_period_ends is not None
        and today > decision.appeal_period_ends
    )


def appeal_undecided(decision: Decision) -> bool:
    return decision.legal_force == Decision.LegalForce.APPEALED and not decision.appeal_outcome


def newest(decisions: Iterable[Decision]) -> dict[int, Decision]:
    """Each party's newest decision, by party id, from ``decisions`` (of any number of parties)."""
    chosen: dict[int, Decision] = {}
    for decision in decisions:
        current = chosen.get(decision.party_id)
        if current is None or (decision.decided_on, decision.pk) > (current.decided_on, current.pk):
            chosen[decision.party_id] = decision
    return chosen


def newest_decisions(agreement: Agreement) -> dict[int, Decision]:
    """The newest decision of each party of ``agreement`` that has decided: one query."""
    return newest(Decision.objects.filter(party__agreement=agreement).select_related("change_proposal"))


def newest_decision(party: Party) -> Decision | None:
    return Decision.objects.filter(party=party).order_by("-decided_on", "-pk").first()


# --- The roll-up and the entry-into-force rule ---------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    parties: int
    needed: int  # approvals the entry-into-force rule needs
    approved: int  # approved, with or without changes, and not annulled by an appeal
    approved_with_changes: int
    rejected: int
    returned: int
    pending: int  # no decision yet, or the decision was annulled
    appeal_period_running: int  # approvals whose appeal period is still running
    awaiting_legal_force: int  # approvals whose period is over, legal force not yet confirmed
    appealed: int  # approvals appealed, the outcome not known yet
    legally_final: int  # approvals that are legally final
    entry_rule_met: bool
    rule_met_on: datetime.date | None  # the date of the approval that met the rule
    # Approving parties bound by the agreement, each from the later of the rule being met and its
    # own decision (a late approver is bound from its own); empty while the rule is unmet.
    bound_from: dict[int, datetime.date] = field(default_factory=dict)

    @property
    def bound_party_ids(self) -> list[int]:
        return sorted(self.bound_from)

    @property
    def summary(self) -> str:
        """The roll-up line: "19 / 24 approved, 2 returned for preparation, 3 pending, …"."""
        parts = [_("%(approved)s / %(parties)s approved") % {"approved": self.approved, "parties": self.parties}]
        counts = (
            (
                self.approved_with_changes,
                ngettext("%(n)s with changes", "%(n)s with changes", self.approved_with_changes),
            ),
            (self.rejected, ngettext("%(n)s rejected", "%(n)s rejected", self.rejected)),
            (
                self.returned,
                ngettext("%(n)s returned for preparation", "%(n)s returned for preparation", self.returned),
            ),
            (self.pending, ngettext("%(n)s pending", "%(n)s pending", self.pending)),
            (
                self.appeal_period_running,
                ngettext("%(n)s appeal period running", "%(n)s appeal periods running", self.appeal_period_running),
            ),
            (
                self.awaiting_legal_force,
                ngettext(
                    "%(n)s awaiting confirmation of legal force",
                    "%(n)s awaiting confirmation of legal force",
                    self.awaiting_legal_force,
                ),
            ),
            (self.appealed, ngettext("%(n)s appealed", "%(n)s appealed", self.appealed)),
            (self.legally_final, ngettext("%(n)s legally final", "%(n)s legally final", self.legally_final)),
        )
        parts += [text % {"n": n} for n, text in counts if n]
        return ", ".join(parts)


def needed_approvals(agreement: Agreement, parties: int) -> int:
    if agreement.entry_rule == Agreement.EntryRule.QUORUM and agreement.entry_quorum:
        return agreement.entry_quorum
    return parties


def rollup(
    agreement: Agreement,
    *,
    party_ids: Iterable[int] | None = None,
    decisions: dict[int, Decision] | None = None,
    legally_final_only: bool = False,
    today: datetime.date | None = None,
) -> Rollup:
    """Counts the parties' newest decisions and applies the entry-into-force rule.

    Two queries (the parties' ids, their decisions) unless the caller passes what it has read.
    With ``legally_final_only`` only legally final approvals meet the rule (and bind).
    """
    today = today or timezone.localdate()
    ids = list(party_ids) if party_ids is not None else list(agreement.parties.values_list("pk", flat=True))
    decisions = newest_decisions(agreement) if decisions is None else decisions
    shown = [decisions.get(pk) for pk in ids]
    approvals = [d for d in shown if counts_as_approval(d)]
    counting = [d for d in approvals if is_legally_final(d)] if legally_final_only else approvals
    needed = needed_approvals(agreement, len(ids))
    met = bool(ids) and len(counting) >= needed
    met_on = sorted(d.decided_on for d in counting)[needed - 1] if met and needed else None
    return Rollup(
        parties=len(ids),
        needed=needed,
        approved=len(approvals),
        approved_with_changes=sum(d.outcome == Decision.Outcome.APPROVED_WITH_CHANGES for d in approvals),
        rejected=sum(d is not None and d.outcome == Decision.Outcome.REJECTED for d in shown),
        returned=sum(d is not None and d.outcome == Decision.Outcome.RETURNED for d in shown),
        pending=sum(d is None or is_annulled(d) for d in shown),
        appeal_period_running=sum(appeal_period_running(d, today) for d in approvals),
        awaiting_legal_force=sum(awaits_legal_force(d, today) for d in approvals),
        appealed=sum(appeal_undecided(d) for d in approvals),
        legally_final=sum(is_legally_final(d) for d in approvals),
        entry_rule_met=met,
        rule_met_on=met_on,
        bound_from={d.party_id: max(d.decided_on, met_on) for d in counting} if met_on else {},
    )


def rule_unmet_message(agreement: Agreement, result: Rollup, *, legally_final_only: bool) -> str | None:
    """What is missing for the entry-into-force rule, or None when it is met."""
    if result.entry_rule_met:
        return None
    counted = result.legally_final if legally_final_only else result.approved
    values = {"counted": counted, "parties": result.parties, "needed": result.needed}
    every = agreement.entry_rule == Agreement.EntryRule.ALL
    if legally_final_only:
        if every:
            return (
                _("%(counted)s / %(parties)s parties' approvals are legally final; the agreement needs all of them.")
                % values
            )
        return (
            _("%(counted)s / %(parties)s parties' approvals are legally final; the agreement needs %(needed)s of them.")
            % values
        )
    if every:
        return _("%(counted)s / %(parties)s parties have approved; the agreement needs all of them.") % values
    return _("%(counted)s / %(parties)s parties have approved; the agreement needs %(needed)s of them.") % values


@workflow.precondition(Agreement.Status.SIGNING)
def entry_rule_met_for_signing(agreement: Agreement, details: dict) -> str | None:
    """Signing starts when the entry-into-force rule is met (by legally final approvals when
    SIGNING_REQUIRES_LEGAL_FORCE). An agreement past its start date is still let through: the
    agreement shows that, it does not block."""
    return signing_rollup(agreement)[1]


def signing_rollup(agreement: Agreement) -> tuple[Rollup, str | None]:
    """The roll-up that signing counts (legally final approvals only when SIGNING_REQUIRES_LEGAL_FORCE)
    and what the entry-into-force rule still misses, or None: signing starts and completes by it."""
    only_final = settings.SIGNING_REQUIRES_LEGAL_FORCE
    result = rollup(agreement, legally_final_only=only_final)
    return result, rule_unmet_message(agreement, result, legally_final_only=only_final)


def party_may_sign(party: Party) -> str | None:
    """Why ``party``'s signatories may not sign yet, or None when they may: its newest decision
    approves the agreement (and is legally final when SIGNING_REQUIRES_LEGAL_FORCE). One query."""
    decision = newest_decision(party)
    values = {"party": party.official_name}
    if decision is None or is_annulled(decision):
        return _("%(party)s has not decided on the agreement yet.") % values
    if not counts_as_approval(decision):
        return _("%(party)s has not approved the agreement: its decision was “%(outcome)s”.") % {
            **values,
            "outcome": decision.get_outcome_display(),
        }
    if settings.SIGNING_REQUIRES_LEGAL_FORCE and not is_legally_final(decision):
        if decision.appeal_period_ends and appeal_period_running(decision, timezone.localdate()):
            return _("The decision of %(party)s is not legally final yet: its appeal period ends %(date)s.") % {
                **values,
                "date": _day(decision.appeal_period_ends),
            }
        return _("The decision of %(party)s has not been confirmed legally final yet.") % values
    return None


def starts_late(agreement: Agreement, today: datetime.date | None = None) -> bool:
    """Still being decided after its nominal start date (shown, never blocked)."""
    today = today or timezone.localdate()
    return agreement.status in permissions.DECIDING_STATUSES and agreement.valid_from < today


# --- The party matrix ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    party: Party  # with ``signatory_count`` and ``signature_count``
    decision: Decision | None  # the newest, with its change proposal
    legally_final: bool
    appeal_running: bool
    bound_from: datetime.date | None


@dataclass(frozen=True)
class PartyMatrix:
    rows: list[MatrixRow]
    rollup: Rollup
    starts_late: bool


def party_matrix(agreement: Agreement) -> PartyMatrix:
    """One row per party with its newest decision and its signatures, and the roll-up: two
    queries, however many parties there are."""
    today = timezone.localdate()
    parties = list(
        agreement.parties.select_related("organisation").annotate(
            signatory_count=Count("signatories", distinct=True),
            signature_count=Count("signatories__signature", distinct=True),
        )
    )
    decisions = newest_decisions(agreement)
    result = rollup(agreement, party_ids=[p.pk for p in parties], decisions=decisions, today=today)
    rows = [
        MatrixRow(
            party=party,
            decision=(decision := decisions.get(party.pk)),
            legally_final=is_legally_final(decision),
            appeal_running=decision is not None and appeal_period_running(decision, today),
            bound_from=result.bound_from.get(party.pk),
        )
        for party in parties
    ]
    return PartyMatrix(rows=rows, rollup=result, starts_late=starts_late(agreement, today))


# --- The home page: what the user's own party has to do next ------------------------------------


@dataclass(frozen=True)
class NextStep:
    party: Party
    text: str
    url: str
    waiting: bool = False  # nothing to do yet (the appeal period runs): shown so the date is known


@dataclass
class AgreementSteps:
    agreement: Agreement
    steps: list[NextStep]


@dataclass(frozen=True)
class HomeDecisions:
    agreements: list[AgreementSteps]
    more: bool


def next_steps(party: Party, decision: Decision | None, today: datetime.date) -> list[NextStep]:
    """What ``party``'s officials have to do next about its decision on ``party.agreement``."""
    agreement = party.agreement
    page = reverse("agreements:decision", args=[agreement.pk, party.pk])
    values = {"party": party.official_name}
    if decision is None or is_annulled(decision) or decision.outcome == Decision.Outcome.RETURNED:
        if not permissions.decisions_open(agreement):
            return []
        record = reverse("agreements:decision_record", args=[agreement.pk, party.pk])
        if decision is None:
            return [NextStep(party, _("Record the decision of %(party)s") % values, record)]
        if is_annulled(decision):
            return [
                NextStep(
                    party, _("The appeal annulled the decision of %(party)s: record its new decision") % values, record
                )
            ]
        return [NextStep(party, _("Returned for preparation: record the new decision of %(party)s") % values, record)]
    if not counts_as_approval(decision):
        return []
    if decision.legal_force == Decision.LegalForce.PENDING and decision.appeal_period_ends is None:
        if not permissions.decisions_open(agreement):
            return []
        edit = reverse("agreements:decision_update", args=[agreement.pk, party.pk, decision.pk])
        return [
            NextStep(
                party,
                _("Add the date the minutes of %(party)s were published: the appeal period runs from it") % values,
                edit,
            )
        ]
    if appeal_period_running(decision, today):
        text = _("Appeal period of %(party)s ends %(date)s; then confirm the decision legally final") % {
            **values,
            "date": _day(decision.appeal_period_ends),
        }
        return [NextStep(party, text, page, waiting=True)]
    if awaits_legal_force(decision, today):
        return [
            NextStep(party, _("Confirm the decision of %(party)s legally final, or record an appeal") % values, page)
        ]
    if appeal_undecided(decision):
        return [NextStep(party, _("Record the outcome of the appeal against the decision of %(party)s") % values, page)]
    return []


def home_decisions(*, user: UserLike, limit: int | None = None) -> HomeDecisions | None:
    """For each agreement, what the parties the user records decisions for have to do next.

    None (no section) when nothing is to be done and none of the user's organisations is a party to
    an agreement being decided: drafts have no decisions yet, and an agreement in force whose
    decisions are settled asks nothing. Two queries.
    """
    from agreements.selectors import HOME_LIMIT

    if not user.is_authenticated:
        return None
    limit = limit or HOME_LIMIT
    organisations = permissions.decision_organisation_ids(user)
    parties = list(
        Party.objects.filter(
            organisation__in=organisations,
            agreement__in=permissions.visible_agreement_ids(user),
            agreement__status__in=permissions.LEGAL_FORCE_STATUSES,
        )
        .select_related("agreement")
        .order_by("-agreement__updated_at", "agreement", "position", "pk")
    )
    if not parties:
        return None
    decisions = newest(Decision.objects.filter(party__in=[p.pk for p in parties]))
    today = timezone.localdate()
    grouped: dict[int, AgreementSteps] = {}
    for party in parties:
        steps = next_steps(party, decisions.get(party.pk), today)
        if steps:
            grouped.setdefault(party.agreement_id, AgreementSteps(party.agreement, [])).steps.extend(steps)
    rows = list(grouped.values())
    if not rows and not any(p.agreement.status in permissions.DECIDING_STATUSES for p in parties):
        return None
    return HomeDecisions(agreements=rows[:limit], more=len(rows) > limit)
