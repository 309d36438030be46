"""The one place that talks to django-guardian for roles, and who must use two-factor authentication.

Apps declare which object permissions each role of an organisation gets; this module turns a
role of an organisation into its group and grants or checks permissions through it.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.db import models
from guardian.shortcuts import assign_perm, remove_perm

from regions.models import Organisation
from users.models import OrganisationRole, Role, RoleGroup, User


def role_group_get_or_create(*, organisation: Organisation, role: Role | str) -> RoleGroup:
    """The group for ``role`` in ``organisation``, created with the role's permissions on first use."""
    organisation = organisation.as_organisation
    role_group = RoleGroup.objects.select_related("group").filter(organisation=organisation, role=role).first()
    if role_group:
        return role_group
    group, _created = Group.objects.get_or_create(name=f"org:{organisation.pk}:{role}")
    role_group = RoleGroup.objects.create(group=group, organisation=organisation, role=role)
    role_group_sync_permissions(role_group=role_group)
    return role_group


def role_group_sync_permissions(*, role_group: RoleGroup) -> None:
    """Gives the group every permission its role has on its own organisation (new ones included)."""
    # Imported here: regions declares its permissions per role and itself uses this module.
    from regions.permissions import organisation_permissions_of

    for perm in organisation_permissions_of(role_group.organisation, role_group.role):
        assign_perm(perm, role_group.group, role_group.organisation)


def grant_to_roles(*, perms: tuple[str, ...], obj: models.Model, organisation: Organisation, role: Role | str) -> None:
    """Gives everyone holding ``role`` in ``organisation`` the object permissions ``perms`` on ``obj``."""
    group = role_group_get_or_create(organisation=organisation, role=role).group
    for perm in perms:
        assign_perm(perm, group, obj)


def revoke_from_roles(
    *, perms: tuple[str, ...], obj: models.Model, organisation: Organisation, role: Role | str
) -> None:
    group = role_group_get_or_create(organisation=organisation, role=role).group
    for perm in perms:
        remove_perm(perm, group, obj)


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether TWO_FACTOR_REQUIRED_FOR covers ``user``: "superuser" a portal admin, a role anyone who
    holds it in any organisation."""
    required = set(settings.TWO_FACTOR_REQUIRED_FOR)
    if not required or not user.is_authenticated:
        return False
    if "superuser" in required and user.is_superuser:
        return True
    roles = required - {"superuser"}
    if not roles:
        return False
    if hasattr(user, "two_factor_role_required"):  # loaded with the user by users.backends.UserBackend
        return user.two_factor_role_required
    return OrganisationRole.objects.filter(user=user, role__in=roles).exists()


def can_remove_two_factor_device(user: User) -> bool:
    """Only someone whom nothing requires to use two-factor authentication may turn it off."""
    return not two_factor_required(user)
