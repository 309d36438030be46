import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions.models import Organisation
from users.models import OrganisationRole, Role, User
from users.permissions import can_remove_two_factor_device, role_group_get_or_create, role_group_sync_permissions


@transaction.atomic
def organisation_role_grant(*, user: User, organisation: Organisation, role: Role | str) -> OrganisationRole:
    """Gives ``user`` ``role`` in ``organisation`` and puts them in the role's permission group."""
    membership, _created = OrganisationRole.objects.get_or_create(
        user=user, organisation=organisation.as_organisation, role=role
    )
    role_group = role_group_get_or_create(organisation=organisation, role=role)
    # The role may have gained permissions since its group was made.
    role_group_sync_permissions(role_group=role_group)
    user.groups.add(role_group.group)
    return membership


@transaction.atomic
def organisation_role_revoke(*, user: User, organisation: Organisation, role: Role | str) -> None:
    OrganisationRole.objects.filter(user=user, organisation=organisation, role=role).delete()
    user.groups.remove(role_group_get_or_create(organisation=organisation, role=role).group)


# Two-factor authentication: one TOTP device per user, unconfirmed until a code from it is entered.
# A failed check must stay written (django-otp's throttling counts it), so the services raise only
# after their transaction has committed.


@transaction.atomic
def two_factor_device_create(*, user: User) -> TOTPDevice:
    """A new, unconfirmed device for ``user`` in place of any earlier unconfirmed one; refused while
    two-factor authentication is on."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-factor authentication is already on."), code="already_on")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def two_factor_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Turns two-factor authentication on: the device being set up is confirmed by a valid code from it."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = _two_factor_device_locked(user=user, confirmed=False)
        if device is None:
            raise ValidationError(_("Start setting up two-factor authentication first."), code="no_device")
        error = _two_factor_token_error(device=device, token=token)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    if error is not None:
        raise error
    return device


def two_factor_device_verify(*, user: User, token: str) -> TOTPDevice:
    """The user's device when ``token`` is its valid code now (each code is accepted once)."""
    with transaction.atomic():
        device = _two_factor_device_locked(user=user, confirmed=True)
        if device is None:
            raise ValidationError(_("Two-factor authentication is not on."), code="off")
        error = _two_factor_token_error(device=device, token=token)
    if error is not None:
        raise error
    return device


def two_factor_device_remove(*, user: User, token: str) -> None:
    """Turns two-factor authentication off, with a valid code, for a user who is not required to use it."""
    if not can_remove_two_factor_device(user):
        raise PermissionDenied
    with transaction.atomic():
        device = _two_factor_device_locked(user=user, confirmed=True)
        if device is None:
            raise ValidationError(_("Two-factor authentication is not on."), code="off")
        error = _two_factor_token_error(device=device, token=token)
        if error is None:
            TOTPDevice.objects.filter(user=user).delete()
    if error is not None:
        raise error


def _two_factor_device_locked(*, user: User, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.select_for_update().filter(user=user, confirmed=confirmed).order_by("-pk").first()


def _two_factor_token_error(*, device: TOTPDevice, token: str) -> ValidationError | None:
    """None when ``token`` is valid for ``device``; a wrong one is counted and, after it, django-otp
    refuses every code for a doubling delay."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        return ValidationError(
            ngettext(
                "Too many wrong codes. Try again in %(seconds)d second.",
                "Too many wrong codes. Try again in %(seconds)d seconds.",
                seconds,
            ),
            code="throttled",
            params={"seconds": seconds},
        )
    if device.verify_token(token):
        return None
    return ValidationError(
        _("The code is wrong or has expired. Enter the code your authenticator app shows now."), code="wrong"
    )


DEMO_PASSWORD = "yhdyspinta-demo"

# username, first name, last name, organisation lookup, role, description
_DEMO_USERS = [
    ("tampere", "Aino", "Virtanen", {"municipality__code": "837"}, Role.OFFICIAL, "official of Tampere"),
    ("nokia", "Mikko", "Korhonen", {"municipality__code": "536"}, Role.OFFICIAL, "official of Nokia"),
    (
        "pirkanmaa",
        "Liisa",
        "Mäkinen",
        {"wellbeingcounty__code": "08"},
        Role.COORDINATOR,
        "coordinator of Pirkanmaa wellbeing services county",
    ),
    (
        "tampereen-seutu",
        "Jari",
        "Nieminen",
        {"employmentarea__code": "39"},
        Role.OFFICIAL,
        "official of the Tampereen seutu employment authority",
    ),
    ("kela", "Sanna", "Heikkinen", {"kind": Organisation.Kind.KELA}, Role.OFFICIAL, "Kela representative"),
]


def demo_users_write(rows) -> list[tuple[str, str]]:
    """Creates or resets demo users with the demo password and their roles, from rows of (username,
    first name, last name, organisation lookup, role, what); returns the (username, what) pairs."""
    printed = []
    for username, first, last, lookup, role, description in rows:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.is_active = first, last, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        organisation_role_grant(user=user, organisation=Organisation.objects.get(**lookup), role=role)
        printed.append((username, description))
    return printed


@transaction.atomic
def demo_users_ensure() -> tuple[str, list[tuple[str, str]]]:
    """Creates or resets the demo users and their roles; returns the password and (username, what) pairs."""
    printed = demo_users_write(_DEMO_USERS)
    admin, _created = User.objects.get_or_create(username="admin")
    admin.first_name, admin.last_name = "Pää", "Käyttäjä"
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    printed.append(("admin", "portal admin (loads area data, manages users and organisations)"))
    return DEMO_PASSWORD, printed
