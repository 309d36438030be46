from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.models import OrganisationRole, User


def organisation_roles_for_user(*, user: User) -> QuerySet[OrganisationRole]:
    """The user's own roles, with their organisations, for the "my organisations" page."""
    return (
        OrganisationRole.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_fi", "role")
    )


def two_factor_device_for_user(*, user: User, confirmed: bool) -> TOTPDevice | None:
    """The user's authenticator device: the one in use (confirmed) or the one being set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def user_with_two_factor_state(*, pk) -> User | None:
    """The user, with what every request asks about two-factor authentication, in one query:
    ``has_two_factor_device`` (a confirmed device) and ``two_factor_role_required`` (holds a role
    that TWO_FACTOR_REQUIRED_FOR lists).

    Written as SQL because it runs on every request: the ORM's compiling of two EXISTS subqueries
    cost twice the query itself.
    """
    try:
        pk = User._meta.pk.to_python(pk)
    except ValidationError:
        return None
    q = connection.ops.quote_name
    roles = sorted(set(settings.TWO_FACTOR_REQUIRED_FOR) - {"superuser"})
    role_required = (
        f"EXISTS (SELECT 1 FROM {q(OrganisationRole._meta.db_table)} r WHERE r.user_id = u.id"
        f" AND r.role IN ({', '.join(['%s'] * len(roles))}))"
        if roles
        else "1 = 0"
    )
    sql = (
        f"SELECT u.*, EXISTS (SELECT 1 FROM {q(TOTPDevice._meta.db_table)} d WHERE d.user_id = u.id AND d.confirmed)"
        f" AS has_two_factor_device, {role_required} AS two_factor_role_required"
        f" FROM {q(User._meta.db_table)} u WHERE u.id = %s"
    )
    user = next(iter(User._default_manager.raw(sql, [*roles, pk])), None)
    if user is not None:
        user.has_two_factor_device = bool(user.has_two_factor_device)
        user.two_factor_role_required = bool(user.two_factor_role_required)
    return user


@dataclass(frozen=True)
class HomeAdministration:
    superuser: bool
    grant_roles: bool
    audit_log: bool


def home_administration(*, user: User) -> HomeAdministration | None:
    """The administration tasks on a staff member's home page; None (no section) for everyone else."""
    if not user.is_staff:
        return None
    return HomeAdministration(
        superuser=user.is_superuser,
        grant_roles=user.has_perm("users.add_organisationrole"),
        audit_log=user.has_perm("audit.view_auditentry"),
    )
