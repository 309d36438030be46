"""Telling the parties' people what happened: a notice on their home page and, unless they turned
its kind off, an e-mail.

A status change (``workflow.LISTENERS``) or a date reminder writes one ``Notification`` row per
user in the same transaction, and queues the mails on commit: a move that is rolled back tells no
one. The mail task (``agreements.tasks.send_notification``) takes a row's id and sends it once, in
the user's language (Finnish until they choose one).
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.models import Agreement, Notification, NotificationOptOut, Reminder, Signatory
from users.models import OrganisationRole, User

Kind = NotificationOptOut.Kind
# The status an agreement moved to → what its parties' people are told.
KIND_OF_STATUS: dict[str, str] = {
    Agreement.Status.CONSULTATION: Kind.CONSULTATION,
    Agreement.Status.IN_DECISION: Kind.IN_DECISION,
    Agreement.Status.SIGNING: Kind.SIGNATURE,
    Agreement.Status.SIGNED: Kind.SIGNED,
    Agreement.Status.IN_FORCE: Kind.IN_FORCE,
}


def party_users(agreement: Agreement) -> QuerySet[User]:
    """Everyone with a role in an organisation that is a party to the agreement."""
    roles = OrganisationRole.objects.filter(organisation__agreement_parties__agreement=agreement)
    return User.objects.filter(is_active=True, pk__in=roles.values("user"))


def awaited_signatories(agreement: Agreement) -> QuerySet[User]:
    """The portal users named as the agreement's signatories who have not signed yet."""
    signatories = Signatory.objects.filter(party__agreement=agreement, signature__isnull=True, user__isnull=False)
    return User.objects.filter(is_active=True, pk__in=signatories.values("user"))


def notify(
    *,
    agreement: Agreement,
    users: Iterable[User],
    kind: str,
    reason: str = "",
    on_date: datetime.date | None = None,
) -> list[Notification]:
    """Writes the notices and queues the e-mails of those who want them, when the transaction commits."""
    users = list(users)
    rows = Notification.objects.bulk_create(
        Notification(user=user, agreement=agreement, kind=kind, reason=reason, on_date=on_date) for user in users
    )
    opted_out = set(
        NotificationOptOut.objects.filter(user__in=[u.pk for u in users], kind=kind).values_list("user", flat=True)
    )
    wanted = [row.pk for row, user in zip(rows, users, strict=True) if user.email and user.pk not in opted_out]
    if wanted:
        from agreements.tasks import send_notification

        # robust: without a broker the task runs here, and a mail server that fails must not fail
        # the request whose move has already committed (the row stays unsent, emailed_at empty).
        for pk in wanted:
            transaction.on_commit(partial(send_notification.delay, pk), robust=True)
    return rows


# --- Approval before freezing (agreements.kinds) ---


def approvers(agreement: Agreement) -> QuerySet[User]:
    """Those who may approve the agreement at its current step (``permissions.approver_grants`` of
    the step's organisation kind)."""
    from agreements.approvals import current_step

    step = current_step(agreement)
    if step is None:
        return User.objects.none()
    grants = permissions.approver_grants([agreement.pk]).filter(
        group__role_group__organisation__kind=step.organisation_kind
    )
    return User.objects.filter(is_active=True, groups__in=grants.values("group")).distinct()


def organisers(agreement: Agreement) -> QuerySet[User]:
    """The people ``permissions.organisers_of`` names: those who run the agreement's workflow."""
    pairs = Q(pk__in=[])
    for organisation, role in permissions.organisers_of(agreement):
        pairs |= Q(organisation=organisation, role=role)
    return User.objects.filter(is_active=True, pk__in=OrganisationRole.objects.filter(pairs).values("user"))


def approval_awaited(agreement: Agreement, by: User | None) -> None:
    """Tells the current step's approvers that the agreement awaits them (on submission, and after
    the previous step's approval)."""
    users = approvers(agreement)
    if by is not None:
        users = users.exclude(pk=by.pk)
    notify(agreement=agreement, users=users, kind=Kind.APPROVAL)


def _on_approval_move(agreement: Agreement, before: str, by: User | None) -> None:
    if agreement.status == Agreement.Status.SUBMITTED:
        approval_awaited(agreement, by)
    elif before == Agreement.Status.SUBMITTED and agreement.status == Agreement.Status.DRAFT:
        users = organisers(agreement)
        if by is not None:
            users = users.exclude(pk=by.pk)
        notify(agreement=agreement, users=users, kind=Kind.RETURNED)


# --- end of approval before freezing ---


def on_status_change(agreement: Agreement, before: str, by: User | None) -> None:
    """The workflow's listener: tells the parties' people (the awaited signatories, when the
    agreement is to be signed) of the move. The one who made it is not told. The approval before
    freezing tells its approvers, and on a return its organisers (``_on_approval_move``)."""
    _on_approval_move(agreement, before, by)
    kind = KIND_OF_STATUS.get(agreement.status)
    if kind is None:
        return
    users = awaited_signatories(agreement) if kind == Kind.SIGNATURE else party_users(agreement)
    if by is not None:
        users = users.exclude(pk=by.pk)
    on_date = {
        Kind.CONSULTATION: agreement.consultation_deadline,
        Kind.IN_FORCE: agreement.in_force_from,
    }.get(kind)
    notify(agreement=agreement, users=users, kind=kind, on_date=on_date)


def _date(day: datetime.date | None) -> str:
    return f"{day.day}.{day.month}.{day.year}" if day else ""


def _texts(notification: Notification) -> tuple[str, str]:
    """The subject and the sentence of a notice, in the active language."""
    agreement = notification.agreement
    values = {"title": agreement.title, "date": _date(notification.on_date)}
    kind = notification.kind
    if kind == Kind.CONSULTATION:
        subject = _("Consultation opened: %(title)s")
        text = (
            _("The agreement “%(title)s” is open for the parties' comments until %(date)s.")
            if notification.on_date
            else _("The agreement “%(title)s” is open for the parties' comments.")
        )
    elif kind == Kind.IN_DECISION:
        subject = _("Text frozen and in decision: %(title)s")
        text = _(
            "The text of the agreement “%(title)s” is frozen. Each party now decides on it; record your "
            "organisation's decision in the portal once it is made."
        )
    elif kind == Kind.SIGNATURE:
        subject = _("Your signature is awaited: %(title)s")
        text = _(
            "The parties have decided on the agreement “%(title)s”. You are named to sign it: sign it in the portal."
        )
    elif kind == Kind.SIGNED:
        subject = _("Agreement signed: %(title)s")
        text = _("Every party has signed the agreement “%(title)s”.")
    elif kind == Kind.IN_FORCE:
        subject = _("Agreement in force: %(title)s")
        text = (
            _("The agreement “%(title)s” is in force from %(date)s.")
            if notification.on_date
            else _("The agreement “%(title)s” is in force.")
        )
    elif kind == Kind.APPROVAL:
        subject = _("Awaiting your approval: %(title)s")
        text = _(
            "The agreement “%(title)s” awaits your approval. Read it in the portal, then approve it or "
            "return it to its drafters with your comments."
        )
    elif kind == Kind.RETURNED:
        subject = _("Returned to its drafters: %(title)s")
        text = _(
            "The agreement “%(title)s” was returned to its drafters. Read the comments on the agreement's "
            "page, answer them in their discussion and submit it again."
        )
    elif notification.reason == Reminder.Reason.EXPIRES:
        subject = _("Reminder: %(title)s expires on %(date)s")
        text = _("The agreement “%(title)s” expires on %(date)s. Start preparing the next agreement in time.")
    elif notification.reason == Reminder.Reason.NOTICE:
        subject = _("Reminder: the notice period of %(title)s starts on %(date)s")
        text = _("The notice period of the agreement “%(title)s” starts on %(date)s: notice must be given before it.")
    else:
        subject = _("Reminder: the review of %(title)s is due on %(date)s")
        text = _("The agreement “%(title)s” is due for review on %(date)s.")
    return subject % values, text % values


def notification_text(notification: Notification) -> str:
    """The sentence the home page shows for a notice (in the reader's language)."""
    return _texts(notification)[1]


def notification_send(*, notification_id: int) -> bool:
    """E-mails the notice once, in its user's language; False when there is nothing to send (sent
    already, the kind turned off meanwhile, no address)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user", "agreement")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.email:
            return False
        if NotificationOptOut.objects.filter(user=notification.user_id, kind=notification.kind).exists():
            return False
        with translation.override(notification.user.language or "fi"):
            subject, text = _texts(notification)
            body = render_to_string(
                "agreements/mail/notification.txt",
                {
                    "notification": notification,
                    "text": text,
                    "url": settings.SITE_URL + reverse("agreements:detail", args=[notification.agreement_id]),
                    "settings_url": settings.SITE_URL + reverse("users:notifications"),
                },
            )
        send_mail(subject, body, None, [notification.user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def notification_settings_save(*, user: User, kinds_on: Iterable[str], language: str) -> None:
    """Turns the kinds of e-mail not in ``kinds_on`` off for the user, and the others on."""
    kinds_on = set(kinds_on)
    off = [kind for kind in Kind.values if kind not in kinds_on]
    NotificationOptOut.objects.filter(user=user).filter(~Q(kind__in=off)).delete()
    existing = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    NotificationOptOut.objects.bulk_create(NotificationOptOut(user=user, kind=k) for k in off if k not in existing)
    if language != user.language:
        user.language = language
        user.save(update_fields=["language"])


def notifications_turned_off(user: User) -> set[str]:
    return set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))


# --- The home page's list (registered in ``AgreementsConfig.ready``) ---

HOME_DAYS = 90  # notices older than this are left off the home page


def home_notifications(*, user: User) -> dict | None:
    """The user's notices of the last ``HOME_DAYS`` days, newest first, each with its sentence: one
    query. None for someone who has no notice and no organisation role (nothing to be told of)."""
    from agreements.selectors import HOME_LIMIT

    since = timezone.now() - datetime.timedelta(days=HOME_DAYS)
    rows = list(
        # Only of agreements the user may still see: a party removed, a role taken away.
        Notification.objects.filter(
            user=user.pk, created_at__gte=since, agreement__in=permissions.visible_agreement_ids(user)
        )
        .select_related("agreement")
        .order_by("-created_at", "-pk")[: HOME_LIMIT + 1]
    )
    if not rows and not OrganisationRole.objects.filter(user=user.pk).exists():
        return None  # a portal admin, or someone not yet in any organisation: told nothing, ever
    for row in rows:
        row.text = notification_text(row)
    return {"notifications": rows[:HOME_LIMIT], "more": len(rows) > HOME_LIMIT}
