"""The one place that talks to django-guardian for roles, and who must use two-factor authentication.

Apps declare which object permissions each role of an organisation gets; this module turns a
role of an organisation into its group and grants or checks permissions through it.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from guardian.shortcuts import assign_perm
from guardian.utils import get_group_obj_perms_model

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


def _object_rows(perms: tuple[str, ...], obj: models.Model) -> tuple[type[models.Model], list[Permission], dict]:
    """guardian's table of group permissions on ``obj``, the ``Permission`` rows of ``perms`` and the
    columns that name ``obj`` in that table."""
    model = get_group_obj_perms_model(obj)
    content_type = ContentType.objects.get_for_model(obj)
    codenames = {perm.split(".", 1)[-1] for perm in perms}
    permissions = list(Permission.objects.filter(content_type=content_type, codename__in=codenames))
    unknown = codenames - {p.codename for p in permissions}
    if unknown:
        raise ValueError(f"no such permission on {content_type}: {', '.join(sorted(unknown))}")
    if model.objects.is_generic():
        return model, permissions, {"content_type": content_type, "object_pk": str(obj.pk)}
    return model, permissions, {"content_object": obj}


def grant_to_roles(*, perms: tuple[str, ...], obj: models.Model, organisation: Organisation, role: Role | str) -> None:
    """Gives everyone holding ``role`` in ``organisation`` the object permissions ``perms`` on ``obj``."""
    grant_to_many_roles(obj=obj, grants=[(organisation, role, perms)])


def grant_to_many_roles(*, obj: models.Model, grants: list[tuple[Organisation, Role | str, tuple[str, ...]]]) -> None:
    """``grant_to_roles`` for many (organisation, role, perms) at once: one insert for them all (an
    agreement of 30 parties grants some 300), keeping what is already granted."""
    if not grants:
        return
    organisations = {organisation.as_organisation.pk: organisation.as_organisation for organisation, _r, _p in grants}
    groups = {
        (rg.organisation_id, rg.role): rg.group_id
        for rg in RoleGroup.objects.filter(
            organisation__in=list(organisations), role__in={str(role) for _o, role, _p in grants}
        )
    }
    model, permissions, target = _object_rows(tuple({perm for _o, _r, perms in grants for perm in perms}), obj)
    by_codename = {p.codename: p for p in permissions}
    rows = []
    for organisation, role, perms in grants:
        key = (organisation.as_organisation.pk, str(role))
        if key not in groups:
            groups[key] = role_group_get_or_create(organisation=organisation, role=role).group_id
        rows += [
            model(permission=by_codename[perm.split(".", 1)[-1]], group_id=groups[key], **target) for perm in perms
        ]
    model.objects.bulk_create(rows, ignore_conflicts=True)


def revoke_from_roles(
    *, perms: tuple[str, ...], obj: models.Model, organisation: Organisation, role: Role | str
) -> None:
    group = role_group_get_or_create(organisation=organisation, role=role).group
    model, permissions, target = _object_rows(perms, obj)
    model.objects.filter(group=group, permission__in=permissions, **target).delete()


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
