"""Editions: a change after freezing is a new edition, an agreement of its own started from the frozen text.

Every edition of a series shares ``series`` (the first edition) and points to the edition it was
made from (``previous_edition``); each edition goes through the workflow again. A change proposal
that a party's decision asks for is accepted by starting an edition from it, or rejected with the
reasons; either is recorded on the timeline.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import kinds, permissions
from agreements.models import (
    Agreement,
    Annex,
    ChangeProposal,
    Event,
    Forum,
    ForumSeat,
    Goal,
    Indicator,
    Measure,
    Party,
    Section,
    SectionVersion,
)
from agreements.services import workflow
from agreements.services.core import _event, _locked_agreement, _touch
from users.models import User

# What a new edition takes over from the one it is made from, besides its text.
COPIED_TERMS = Agreement.TERMS


def edition_refusal(agreement: Agreement) -> str | None:
    """Why no new edition can be started from ``agreement`` now, or None."""
    if agreement.text_is_open:
        return _("The text is not frozen: change it in this edition.")
    if agreement.status in Agreement.ENDED_STATUSES:
        return _("An agreement that has ended gets no new edition.")
    following = Agreement.objects.filter(previous_edition=agreement).values_list("edition", flat=True).first()
    if following is not None:
        return _("Edition %(edition)s has already been started from this edition.") % {"edition": following}
    return None


def _copy_parties(source: Agreement, target: Agreement) -> dict[int, Party]:
    """The parties of ``source`` copied to ``target``: old party id -> its copy."""
    parties = {}
    for party in source.parties.select_related("organisation").order_by("position", "pk"):
        parties[party.pk] = Party.objects.create(
            agreement=target,
            organisation=party.organisation,
            official_name=party.official_name,
            business_id=party.business_id,
            position=party.position,
        )
    return parties


def _copy_text(source: Agreement, target: Agreement, by: User, parties: dict[int, Party]) -> None:
    """The frozen text of ``source`` into ``target``, in its order; parties map to their copies."""
    sections = Section.objects.bulk_create(
        Section(
            agreement=target,
            key=s.key,
            title=s.title,
            kind=s.kind,
            position=s.position,
            text=s.text,
            version=1 if s.text else 0,
            updated_at=timezone.now() if s.text else None,
            updated_by=by if s.text else None,
        )
        for s in source.sections.order_by("position", "pk")
    )
    SectionVersion.objects.bulk_create(
        SectionVersion(section=s, number=1, text=s.text, based_on=0, created_by=by) for s in sections if s.text
    )
    goals = source.goals.order_by("position", "pk").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("position", "pk").prefetch_related("co_parties")),
        Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")),
        "responsible_parties",
    )
    for goal in goals:
        copy = Goal.objects.create(
            agreement=target, position=goal.position, title=goal.title, theme=goal.theme, description=goal.description
        )
        copy.responsible_parties.set([parties[p.pk] for p in goal.responsible_parties.all()])
        for measure in goal.measures.all():
            new = Measure.objects.create(
                goal=copy,
                position=measure.position,
                description=measure.description,
                lead_party=parties.get(measure.lead_party_id),
                schedule=measure.schedule,
            )
            new.co_parties.set([parties[p.pk] for p in measure.co_parties.all()])
        Indicator.objects.bulk_create(
            Indicator(
                goal=copy,
                position=i.position,
                **{name: getattr(i, name) for name in Indicator.EDITABLE_FIELDS},
            )
            for i in goal.indicators.all()
        )
    for forum in source.forums.order_by("position", "pk").prefetch_related("seats"):
        copy = Forum.objects.create(
            agreement=target,
            position=forum.position,
            name=forum.name,
            level=forum.level,
            chair=parties.get(forum.chair_id),
            meeting_frequency=forum.meeting_frequency,
        )
        ForumSeat.objects.bulk_create(
            ForumSeat(forum=copy, party=parties[s.party_id], seats=s.seats) for s in forum.seats.all()
        )
    for annex in source.annexes.order_by("uploaded_at", "pk"):
        # A file of its own: removing the annex from the new draft must not remove the frozen one's.
        copy = Annex(agreement=target, title=annex.title, size=annex.size, sha256=annex.sha256, uploaded_by=by)
        with annex.file.open("rb") as f:
            copy.file.save(f"{annex.sha256[:16]}.pdf", ContentFile(f.read()), save=False)
        copy.save()


@transaction.atomic
def edition_start(
    *, agreement: Agreement, by: User, reason: str, change_proposal: ChangeProposal | None = None
) -> Agreement:
    """Starts the next edition of a frozen ``agreement`` (negotiated or later, not ended, not
    already followed by one): a new draft with the same county, kind, terms and parties (their
    permissions granted), the kind's structured terms (``AgreementKind.copy_edition``, before the
    permissions, which a kind's rules may read from them) and the frozen text copied. From a change
    proposal the coordinator applies the change in the draft and freezes it straight away (draft →
    negotiated), so the new edition goes back to decision. Returns the new edition.
    """
    agreement = _locked_agreement(agreement, by, permissions.can_start_edition)
    reason = reason.strip()
    refusal = edition_refusal(agreement)
    if refusal:
        raise ValidationError(refusal)
    if not reason and change_proposal is None:
        raise ValidationError({"reason": _("Say why a new edition is started.")})
    new = Agreement(
        **{name: getattr(agreement, name) for name in COPIED_TERMS},
        edition=agreement.edition + 1,
        series_id=agreement.series_id_or_own,
        previous_edition=agreement,
        created_by=by,
    )
    new.full_clean()
    new.save()
    parties = _copy_parties(agreement, new)
    # The kind's terms first: its rules for organisers and parties may read them (a kind's group).
    copy_terms = kinds.of(new).copy_edition
    if copy_terms is not None:
        copy_terms(agreement, new, parties)
    permissions.organiser_grant(agreement=new)
    for party in parties.values():
        permissions.party_grant(agreement=new, organisation=party.organisation)
    _copy_text(agreement, new, by, parties)
    why = reason or (change_proposal.description if change_proposal else "")
    _event(
        new,
        Event.Kind.EDITION_STARTED,
        by,
        _("Edition %(edition)s from edition %(previous)s: %(reason)s")
        % {"edition": new.edition, "previous": agreement.edition, "reason": why},
    )
    _event(
        agreement,
        Event.Kind.EDITION_STARTED,
        by,
        _("Edition %(edition)s: %(reason)s") % {"edition": new.edition, "reason": why},
    )
    _touch(agreement.pk)
    return new


def _open_proposal(proposal: ChangeProposal, by: User) -> tuple[ChangeProposal, Agreement]:
    """The proposal again, locked with its agreement, if ``by`` may resolve it and it is still open."""
    agreement = Agreement.objects.get(parties__decisions__change_proposal=proposal)
    agreement = _locked_agreement(agreement, by, permissions.can_resolve_change_proposal)
    proposal = ChangeProposal.objects.select_for_update().select_related("decision__party").get(pk=proposal.pk)
    if proposal.status != ChangeProposal.Status.OPEN:
        raise ValidationError(_("This change proposal has already been resolved."))
    return proposal, agreement


@transaction.atomic
def change_proposal_accept(*, proposal: ChangeProposal, by: User, reason: str = "") -> Agreement:
    """Accepts a change a party's decision asks for: the next edition is started from the frozen
    text (the coordinator applies the change there and freezes it, and it goes back to decision);
    an edition still in decision or being signed is superseded by it. Returns the new edition."""
    proposal, agreement = _open_proposal(proposal, by)
    reason = reason.strip()
    new = edition_start(agreement=agreement, by=by, reason=reason, change_proposal=proposal)
    proposal.status = ChangeProposal.Status.ACCEPTED
    proposal.resolved_by, proposal.resolved_at = by, timezone.now()
    proposal.resolution = reason
    proposal.new_edition = new
    proposal.save(update_fields=["status", "resolved_by", "resolved_at", "resolution", "new_edition"])
    _event(agreement, Event.Kind.CHANGE_ACCEPTED, by, f"{proposal.decision.party}: {proposal}")
    if agreement.status in (Agreement.Status.IN_DECISION, Agreement.Status.SIGNING):
        workflow.transition(
            agreement=agreement,
            to=Agreement.Status.SUPERSEDED,
            by=None,  # the portal's move, following the acceptance that the timeline records with its author
            reason=_("change proposal of %(party)s accepted, edition %(edition)s started")
            % {"party": proposal.decision.party, "edition": new.edition},
        )
    return new


@transaction.atomic
def change_proposal_reject(*, proposal: ChangeProposal, by: User, resolution: str) -> ChangeProposal:
    """Rejects a change a party's decision asks for, with the reasons (required)."""
    resolution = resolution.strip()
    if not resolution:
        # Checked before the lock too, so the form shows it next to the field.
        raise ValidationError({"resolution": _("Give the reasons for rejecting the change.")})
    proposal, agreement = _open_proposal(proposal, by)
    proposal.status = ChangeProposal.Status.REJECTED
    proposal.resolved_by, proposal.resolved_at = by, timezone.now()
    proposal.resolution = resolution
    proposal.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    _event(agreement, Event.Kind.CHANGE_REJECTED, by, f"{proposal.decision.party}: {proposal}")
    _touch(agreement.pk)
    return proposal
