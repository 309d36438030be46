from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Value
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
    that TWO_FACTOR_REQUIRED_FOR lists)."""
    roles = set(settings.TWO_FACTOR_REQUIRED_FOR) - {"superuser"}
    return (
        User._default_manager.annotate(
            has_two_factor_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            two_factor_role_required=Exists(OrganisationRole.objects.filter(user=OuterRef("pk"), role__in=roles))
            if roles
            else Value(False),
        )
        .filter(pk=pk)
        .first()
    )
