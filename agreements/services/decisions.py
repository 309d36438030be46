"""Each party's decision on the agreement: recording it, its legal force, an appeal and its outcome.

Every service locks the agreement's row first (a status change or a party's removal is ordered
against it), then asks ``agreements.permissions`` whether ``by`` may do this for the party now.
A party may decide more than once (returned for preparation, then approved): the newest decision
counts (``agreements.decisions.newest``), and only the newest is corrected, confirmed or appealed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import kinds, permissions
from agreements.legal_force import appeal_period_end
from agreements.models import Agreement, ChangeProposal, Decision, Event, Party, Signature
from agreements.services.core import _event, _touch
from agreements.services.structured import validate_pdf
from users.models import User

# What a decision form carries; the rest of a Decision is written by the services below.
DECISION_FIELDS = (
    "body",
    "body_name",
    "diary_number",
    "proposal_body",
    "proposal_date",
    "proposal_section",
    "decided_on",
    "section",
    "outcome",
    "minutes_url",
    "minutes_published_on",
)


def _locked_party(party: Party, by: User, check) -> Party:
    """The party again, with its agreement locked, if ``by`` passes ``check`` for it."""
    agreement = Agreement.objects.select_for_update().get(pk=party.agreement_id)
    party = Party.objects.select_related("organisation").filter(pk=party.pk, agreement=agreement).first()
    if party is None:
        raise ValidationError(_("This party was removed from the agreement meanwhile."))
    party.agreement = agreement
    if not check(by, party):
        raise PermissionDenied
    return party


def _newest(party: Party) -> Decision | None:
    return Decision.objects.filter(party=party).order_by("-decided_on", "-pk").first()


def _locked_newest(decision: Decision, by: User, check) -> Decision:
    party = _locked_party(decision.party, by, check)
    newest = _newest(party)
    if newest is None or newest.pk != decision.pk:
        raise ValidationError(_("A newer decision of this party has been recorded; act on that one."))
    newest.party = party
    return newest


def _subject(decision: Decision, what: str = "") -> str:
    day = f"{decision.decided_on:%-d.%-m.%Y}"
    text = f"{decision.party.official_name}: {decision.get_body_display()} {day} § {decision.section}"
    return f"{text} – {what}" if what else text


def _check_dates(values: dict) -> dict:
    errors = {}
    today = timezone.localdate()
    decided_on = values.get("decided_on")
    if decided_on and decided_on > today:
        errors["decided_on"] = _("The decision date cannot be in the future: record the decision once it is made.")
    proposal_date = values.get("proposal_date")
    if decided_on and proposal_date and proposal_date > decided_on:
        errors["proposal_date"] = _("The proposal cannot be dated after the decision.")
    published_on = values.get("minutes_published_on")
    if decided_on and published_on and published_on < decided_on:
        errors["minutes_published_on"] = _("The minutes cannot be published before the decision was made.")
    return errors


def _write(
    decision: Decision,
    values: dict,
    *,
    changes: str,
    minutes_file: UploadedFile | None,
    remove_minutes_file: bool,
) -> Decision:
    unknown = set(values) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"unknown decision fields {sorted(unknown)}")
    for name, value in values.items():
        setattr(decision, name, value.strip() if isinstance(value, str) else value)
    errors = _check_dates(values)
    bodies = kinds.of(decision.party.agreement).decision_bodies
    if bodies and decision.body not in bodies:
        errors["body"] = _("This kind of agreement is decided by: %(bodies)s.") % {
            "bodies": ", ".join(str(Decision.Body(b).label) for b in bodies)
        }
    changes = changes.strip()
    if decision.outcome == Decision.Outcome.APPROVED_WITH_CHANGES and not changes:
        errors["changes"] = _("Describe the changes the decision asks for: they become a change proposal.")
    proposal = ChangeProposal.objects.filter(decision=decision).first() if decision.pk else None
    if (
        proposal is not None
        and proposal.status != ChangeProposal.Status.OPEN
        and decision.outcome != Decision.Outcome.APPROVED_WITH_CHANGES
    ):
        errors["outcome"] = _("The change proposal of this decision has been resolved; its outcome stays.")
    if errors:
        raise ValidationError(errors)
    published_on = decision.minutes_published_on
    decision.appeal_period_ends = appeal_period_end(published_on, decision.body) if published_on else None
    old_file = decision.minutes_file.name if decision.minutes_file else ""
    if minutes_file is not None:
        try:
            sha256 = validate_pdf(minutes_file)
        except ValidationError:
            # validate_pdf speaks of annexes; the reasons (not a PDF, too large) are one here.
            limit = f"{settings.ANNEX_MAX_BYTES / 1_000_000:.0f}"
            raise ValidationError(
                {"minutes_file": _("Upload the minutes as a PDF file of at most %(limit)s MB.") % {"limit": limit}}
            ) from None
        decision.minutes_file.save(f"{decision.party.agreement_id}/{sha256[:16]}.pdf", minutes_file, save=False)
    elif remove_minutes_file:
        decision.minutes_file = ""
    try:
        decision.full_clean(exclude=["party", "recorded_by", "legal_force_confirmed_by"])
        decision.save()
    except Exception:
        if minutes_file is not None:  # the file is stored before the row: a failed write leaves none
            decision.minutes_file.delete(save=False)
        raise
    new_file = decision.minutes_file.name if decision.minutes_file else ""
    if old_file and old_file != new_file:
        storage = decision.minutes_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    _propose_changes(decision, proposal, changes)
    return decision


def _propose_changes(decision: Decision, proposal: ChangeProposal | None, changes: str) -> None:
    """An approval with changes opens a change proposal tied to the decision; a correction of the
    outcome away from it withdraws the proposal while nobody has resolved it yet (``_write`` refuses
    the correction once it is resolved)."""
    if decision.outcome == Decision.Outcome.APPROVED_WITH_CHANGES:
        if proposal is None:
            ChangeProposal.objects.create(decision=decision, description=changes)
            _event(decision.party.agreement, Event.Kind.CHANGE_PROPOSED, decision.recorded_by, _subject(decision))
        elif proposal.status == ChangeProposal.Status.OPEN and proposal.description != changes:
            proposal.description = changes
            proposal.save(update_fields=["description"])
    elif proposal is not None:
        proposal.delete()


@transaction.atomic
def decision_record(
    *,
    party: Party,
    by: User,
    changes: str = "",
    minutes_file: UploadedFile | None = None,
    **fields,
) -> Decision:
    """Records a decision of ``party``'s body on the agreement (its newest from now on).

    ``fields`` are those of ``DECISION_FIELDS``. The appeal period's end is computed from the date
    the minutes were published; "approved with changes" needs ``changes``, which open a change
    proposal. Recorded by the party's own official, or by the organiser's coordinator for a party
    with nobody in the portal (``entered_for_party``).
    """
    party = _locked_party(party, by, permissions.can_record_decision)
    decision = Decision(
        party=party,
        recorded_by=by,
        entered_for_party=permissions.records_for_party(by, party) == "coordinator",
    )
    decision = _write(decision, fields, changes=changes, minutes_file=minutes_file, remove_minutes_file=False)
    _event(party.agreement, Event.Kind.DECISION_RECORDED, by, _subject(decision, decision.get_outcome_display()))
    _touch(party.agreement_id)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    by: User,
    changes: str = "",
    minutes_file: UploadedFile | None = None,
    remove_minutes_file: bool = False,
    **fields,
) -> Decision:
    """Corrects the party's newest decision, or adds what was not known when it was recorded (the
    minutes, the date they were published). Only before its legal force is settled."""
    decision = _locked_newest(decision, by, permissions.can_record_decision)
    if decision.legal_force != Decision.LegalForce.PENDING:
        raise ValidationError(_("The decision's legal force has been recorded; it is no longer corrected here."))
    outcome = fields.get("outcome", decision.outcome)
    approvals = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CHANGES)
    if (
        decision.is_approval
        and outcome not in approvals
        and Signature.objects.filter(signatory__party=decision.party).exists()
    ):
        raise ValidationError(
            {
                "outcome": _(
                    "The party has signed the agreement on this approval; its outcome is not corrected here. "
                    "Record a later decision of the party instead."
                )
            }
        )
    if permissions.records_for_party(by, decision.party) == "coordinator":
        decision.entered_for_party = True
    decision = _write(
        decision, fields, changes=changes, minutes_file=minutes_file, remove_minutes_file=remove_minutes_file
    )
    _event(decision.party.agreement, Event.Kind.DECISION_RECORDED, by, _subject(decision, _("corrected")))
    _touch(decision.party.agreement_id)
    return decision


@transaction.atomic
def legal_force_confirm(*, decision: Decision, by: User) -> Decision:
    """Confirms "legally final, no appeal" for the party's newest decision, once its appeal period is over."""
    decision = _locked_newest(decision, by, permissions.can_record_legal_force)
    if decision.legal_force != Decision.LegalForce.PENDING:
        raise ValidationError(_("The decision's legal force has already been recorded."))
    if decision.appeal_period_ends is None:
        raise ValidationError(_("Record the date the minutes were published first: the appeal period runs from it."))
    if timezone.localdate() <= decision.appeal_period_ends:
        raise ValidationError(
            _("The appeal period ends %(date)s; the decision can be confirmed legally final after that.")
            % {"date": f"{decision.appeal_period_ends:%-d.%-m.%Y}"}
        )
    decision.legal_force = Decision.LegalForce.FINAL
    decision.legal_force_confirmed_by, decision.legal_force_confirmed_at = by, timezone.now()
    decision.save(update_fields=["legal_force", "legal_force_confirmed_by", "legal_force_confirmed_at"])
    _event(
        decision.party.agreement, Event.Kind.LEGAL_FORCE_RECORDED, by, _subject(decision, _("legally final, no appeal"))
    )
    _touch(decision.party.agreement_id)
    return decision


@transaction.atomic
def appeal_record(*, decision: Decision, by: User, court: str, filed_on: datetime.date) -> Decision:
    """Records an appeal (or a rectification request) against the party's newest decision.

    Also after the decision was confirmed legally final: an appeal sent on the last day may reach
    the party later, and the confirmation then gives way to the appeal.
    """
    decision = _locked_newest(decision, by, permissions.can_record_appeal)
    court = court.strip()
    errors = {}
    if not court:
        errors["court"] = _("Name the court or the body the appeal was made to.")
    if filed_on > timezone.localdate():
        errors["filed_on"] = _("The appeal cannot be dated in the future.")
    elif filed_on < decision.decided_on:
        errors["filed_on"] = _("The appeal cannot be made before the decision.")
    if decision.legal_force == Decision.LegalForce.APPEALED:
        errors[NON_FIELD_ERRORS] = _("An appeal against this decision has already been recorded.")
    if errors:
        raise ValidationError(errors)
    decision.legal_force = Decision.LegalForce.APPEALED
    decision.appeal_court, decision.appeal_filed_on = court, filed_on
    decision.legal_force_confirmed_by, decision.legal_force_confirmed_at = None, None
    decision.full_clean(exclude=["party", "recorded_by", "legal_force_confirmed_by"])
    decision.save()
    _event(decision.party.agreement, Event.Kind.APPEAL_RECORDED, by, _subject(decision, court))
    _touch(decision.party.agreement_id)
    return decision


@transaction.atomic
def appeal_outcome_record(*, decision: Decision, by: User, outcome: str, decided_on: datetime.date) -> Decision:
    """Records how the appeal against the party's newest decision ended.

    Dismissed or withdrawn: the decision stands and is legally final. Upheld: the decision is
    annulled and no longer counts; the party's body decides again.
    """
    decision = _locked_newest(decision, by, permissions.can_record_appeal)
    errors = {}
    if decision.legal_force != Decision.LegalForce.APPEALED:
        errors[NON_FIELD_ERRORS] = _("No appeal against this decision has been recorded.")
    elif decision.appeal_outcome:
        errors[NON_FIELD_ERRORS] = _("The outcome of the appeal has already been recorded.")
    if outcome not in Decision.AppealOutcome.values or not outcome:
        errors["outcome"] = _("Choose the outcome of the appeal.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The outcome cannot be dated in the future.")
    elif decision.appeal_filed_on and decided_on < decision.appeal_filed_on:
        errors["decided_on"] = _("The appeal cannot be decided before it was made.")
    if errors:
        raise ValidationError(errors)
    decision.appeal_outcome, decision.appeal_decided_on = outcome, decided_on
    decision.legal_force_confirmed_by, decision.legal_force_confirmed_at = by, timezone.now()
    decision.save(
        update_fields=["appeal_outcome", "appeal_decided_on", "legal_force_confirmed_by", "legal_force_confirmed_at"]
    )
    _event(
        decision.party.agreement,
        Event.Kind.APPEAL_RECORDED,
        by,
        _subject(decision, Decision.AppealOutcome(outcome).label),
    )
    _touch(decision.party.agreement_id)
    return decision
