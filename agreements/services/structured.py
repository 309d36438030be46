"""Structured content of an agreement: goals with measures and indicators (3.2), forums (4.1), annexes (10)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.models import Agreement, Annex, Event, Forum, ForumSeat, Goal, Indicator, Measure, Party
from agreements.services.core import _event, _locked_agreement, _touch
from users.models import User


def _check_parties(agreement: Agreement, parties) -> None:
    if any(p.agreement_id != agreement.pk for p in parties if p is not None):
        raise ValidationError(_("Choose parties of this agreement."))


def _next_position(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _current(model: type[models.Model], item: models.Model | None, **scope) -> models.Model | None:
    """The item again, locked, if it still exists within ``scope`` (its agreement); otherwise an error.

    The caller's copy may belong to another agreement or have been deleted since it was read.
    """
    if item is None:
        return None
    current = model.objects.select_for_update().filter(pk=item.pk, **scope).first()
    if current is None:
        raise ValidationError(_("This item was removed meanwhile."))
    return current


def _save(instance: models.Model, values: dict, many: dict | None = None) -> models.Model:
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in (many or {}).items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def goal_save(
    *,
    agreement: Agreement,
    by: User,
    goal: Goal | None = None,
    title: str,
    theme: str,
    description: str = "",
    responsible_parties=(),
) -> Goal:
    agreement = _locked_agreement(agreement, by, permissions.can_edit_agreement)
    goal = _current(Goal, goal, agreement=agreement)
    _check_parties(agreement, responsible_parties)
    if goal is None:
        goal = Goal(agreement=agreement, position=_next_position(agreement.goals))
    goal = _save(
        goal,
        {"title": title.strip(), "theme": theme, "description": description.strip()},
        {"responsible_parties": responsible_parties},
    )
    _event(agreement, Event.Kind.GOALS_CHANGED, by, goal.title)
    _touch(agreement.pk)
    return goal


@transaction.atomic
def measure_save(
    *,
    goal: Goal,
    by: User,
    measure: Measure | None = None,
    description: str,
    lead_party: Party | None = None,
    co_parties=(),
    schedule: str = "",
) -> Measure:
    agreement = _locked_agreement(goal.agreement, by, permissions.can_edit_agreement)
    goal = _current(Goal, goal, agreement=agreement)
    measure = _current(Measure, measure, goal=goal)
    _check_parties(agreement, [lead_party, *co_parties])
    if measure is None:
        measure = Measure(goal=goal, position=_next_position(goal.measures))
    measure = _save(
        measure,
        {"description": description.strip(), "lead_party": lead_party, "schedule": schedule.strip()},
        {"co_parties": co_parties},
    )
    _event(agreement, Event.Kind.GOALS_CHANGED, by, goal.title)
    _touch(agreement.pk)
    return measure


INDICATOR_FIELDS = Indicator.EDITABLE_FIELDS


@transaction.atomic
def indicator_save(*, goal: Goal, by: User, indicator: Indicator | None = None, **values) -> Indicator:
    agreement = _locked_agreement(goal.agreement, by, permissions.can_edit_agreement)
    goal = _current(Goal, goal, agreement=agreement)
    indicator = _current(Indicator, indicator, goal=goal)
    if set(values) - set(INDICATOR_FIELDS):
        raise TypeError(f"unknown indicator fields {set(values) - set(INDICATOR_FIELDS)}")
    if indicator is None:
        indicator = Indicator(goal=goal, position=_next_position(goal.indicators))
    indicator = _save(indicator, values)
    _event(agreement, Event.Kind.GOALS_CHANGED, by, goal.title)
    _touch(agreement.pk)
    return indicator


@transaction.atomic
def forum_save(
    *,
    agreement: Agreement,
    by: User,
    forum: Forum | None = None,
    name: str,
    level: str,
    chair: Party | None = None,
    meeting_frequency: str = "",
    seats: dict[Party, int] | None = None,
) -> Forum:
    """Saves a forum and its member parties; a party with 0 seats is not a member."""
    agreement = _locked_agreement(agreement, by, permissions.can_edit_agreement)
    forum = _current(Forum, forum, agreement=agreement)
    seats = {party: n for party, n in (seats or {}).items() if n}
    _check_parties(agreement, [chair, *seats])
    if forum is None:
        forum = Forum(agreement=agreement, position=_next_position(agreement.forums))
    forum = _save(
        forum, {"name": name.strip(), "level": level, "chair": chair, "meeting_frequency": meeting_frequency.strip()}
    )
    forum.seats.exclude(party__in=list(seats)).delete()
    for party, n in seats.items():
        ForumSeat.objects.update_or_create(forum=forum, party=party, defaults={"seats": n})
    _event(agreement, Event.Kind.FORUMS_CHANGED, by, forum.name)
    _touch(agreement.pk)
    return forum


@transaction.atomic
def structured_delete(*, item: Goal | Measure | Indicator | Forum, by: User) -> None:
    agreement = item.agreement if isinstance(item, Goal | Forum) else item.goal.agreement
    agreement = _locked_agreement(agreement, by, permissions.can_edit_agreement)
    kind = Event.Kind.FORUMS_CHANGED if isinstance(item, Forum) else Event.Kind.GOALS_CHANGED
    subject = str(item)
    item.delete()
    _event(agreement, kind, by, subject)
    _touch(agreement.pk)


PDF_MAGIC = b"%PDF-"


def validate_pdf(upload: UploadedFile) -> str:
    """Checks an upload is a PDF by its content and within the size limit; returns its SHA-256."""
    limit = settings.ANNEX_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; annexes can be at most %(limit)s MB.")
            % {"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    if not head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC) or b"%%EOF" not in tail:
        raise ValidationError(_("The file is not a PDF document. Annexes are attached as PDF files."))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def annex_add(*, agreement: Agreement, by: User, title: str, upload: UploadedFile) -> Annex:
    sha256 = validate_pdf(upload)  # before the lock: reading a large file need not hold the agreement
    agreement = _locked_agreement(agreement, by, permissions.can_edit_agreement)
    annex = Annex(
        agreement=agreement, title=title.strip() or upload.name, size=upload.size, sha256=sha256, uploaded_by=by
    )
    annex.file.save(f"{sha256[:16]}.pdf", upload, save=False)
    try:
        annex.full_clean()
        annex.save()
        _event(agreement, Event.Kind.ANNEX_ADDED, by, annex.title)
        _touch(agreement.pk)
    except Exception:
        # The file is stored before the row: a failed write must not leave it behind.
        annex.file.delete(save=False)
        raise
    return annex


@transaction.atomic
def annex_remove(*, annex: Annex, by: User) -> None:
    agreement = _locked_agreement(annex.agreement, by, permissions.can_edit_agreement)
    title, file = annex.title, annex.file
    annex.delete()
    transaction.on_commit(lambda: file.delete(save=False))
    _event(agreement, Event.Kind.ANNEX_REMOVED, by, title)
    _touch(agreement.pk)
