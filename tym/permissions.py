"""Who may do what with TYM steering groups: one function per action; views and services call these.

Steering groups are public bodies, so anyone logged in reads a county's overview and a group's page.
Everything else is a django-guardian object permission held by role groups, never by users one by
one, and asked here only:

- ``regions.set_up_steering_groups`` on an organisation (``regions.permissions``: a county's
  coordinators, an employment authority's officials and coordinators). Its holders set up the
  groups of a county and record the negotiation on them when the organisation is the county itself
  or an employment authority with a municipality in the county on that day (the areas change over
  time, so that half of the rule is read from the area data, not granted).
- On each group (``steering_group_grant``, when it is set up and whenever its areas change):
  ``tym.manage_steering_group`` for its county's coordinators and the officials and coordinators of
  each of its employment authorities, who record its goals and staffing reviews; and
  ``tym.name_own_members`` for those and for Kela's officials and coordinators.

The law has each county, employment authority and Kela name its own members (381/2023 §9), so a
member of an organisation is named by that organisation's people; the group's managers enter one on
its behalf only while it has nobody in the portal to do it (``entered_on_behalf``), as the
organiser's coordinator records a decision for a party with no user in the portal.

These read guardian's tables directly rather than ``user.has_perm``, which grants a superuser
everything: the portal admin runs the portal and names no group's people.
"""

import datetime
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from regions.models import Organisation, OrganisationGroupObjectPermission, WellbeingCounty
from regions.selectors import composition_on
from tym.models import SteeringGroup, SteeringGroupGroupObjectPermission
from users.models import Role, User
from users.permissions import grant_to_roles, revoke_from_roles

SET_UP = "regions.set_up_steering_groups"
MANAGE = "tym.manage_steering_group"
NAME_OWN = "tym.name_own_members"
AUTHORITY_ROLES = (Role.OFFICIAL, Role.COORDINATOR)

UserLike = User | AnonymousUser
NamingAs = Literal["own", "on_behalf"]


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1]


def _acts(user: UserLike) -> bool:
    return user.is_authenticated and user.is_active


def authorities_in_county(county: WellbeingCounty, day: datetime.date) -> set[int]:
    """The employment areas (authorities) with at least one municipality of the county on ``day``."""
    composition = composition_on(day)
    members = composition.members_of_county(county.pk)
    return {composition.employment_area_of[m] for m in members if m in composition.employment_area_of}


def group_grants(group: SteeringGroup) -> dict[tuple[int, str], tuple[str, ...]]:
    """What each (organisation, role) is granted on ``group``."""
    grants: dict[tuple[int, str], tuple[str, ...]] = {(group.county_id, Role.COORDINATOR): (MANAGE, NAME_OWN)}
    for area_id in group.employment_areas.values_list("pk", flat=True):
        for role in AUTHORITY_ROLES:
            grants[(area_id, role)] = (MANAGE, NAME_OWN)
    kela = Organisation.objects.filter(kind=Organisation.Kind.KELA).values_list("pk", flat=True).first()
    if kela is not None:
        for role in AUTHORITY_ROLES:
            grants.setdefault((kela, role), (NAME_OWN,))
    return grants


def steering_group_grant(*, group: SteeringGroup) -> None:
    """Brings the role groups' permissions on ``group`` in step with its county and areas: grants
    what ``group_grants`` says and revokes what an organisation no longer in the group held."""
    wanted = group_grants(group)
    held = SteeringGroupGroupObjectPermission.objects.filter(content_object=group).values_list(
        "group__role_group__organisation_id", "group__role_group__role", "permission__codename"
    )
    for organisation_id, role, codename in set(held):
        perm = f"tym.{codename}"
        if organisation_id is not None and perm not in wanted.get((organisation_id, role), ()):
            revoke_from_roles(perms=(perm,), obj=group, organisation=Organisation(pk=organisation_id), role=role)
    organisations = Organisation.objects.in_bulk({organisation_id for organisation_id, _role in wanted})
    for (organisation_id, role), perms in wanted.items():
        grant_to_roles(perms=perms, obj=group, organisation=organisations[organisation_id], role=role)


def _held_on(user: UserLike, group: SteeringGroup, *perms: str) -> QuerySet:
    return SteeringGroupGroupObjectPermission.objects.filter(
        content_object_id=group.pk, permission__codename__in=[_codename(p) for p in perms], group__user=user
    )


def can_view_groups(user: UserLike) -> bool:
    return user.is_authenticated


def can_set_up_group(user: UserLike, county: WellbeingCounty, day: datetime.date | None = None) -> bool:
    """The county's coordinators, and the officials and coordinators of an employment authority with
    a municipality in the county on ``day`` (today by default)."""
    if not _acts(user):
        return False
    organisations = {county.pk} | authorities_in_county(county, day or timezone.localdate())
    return OrganisationGroupObjectPermission.objects.filter(
        permission__content_type__app_label="regions",
        permission__codename=_codename(SET_UP),
        content_object_id__in=organisations,
        group__user=user,
    ).exists()


def can_record_negotiation(user: UserLike, county: WellbeingCounty) -> bool:
    """The negotiation on the number and areas of the county's groups: those who set them up."""
    return can_set_up_group(user, county)


def can_name_members(user: UserLike, group: SteeringGroup) -> bool:
    """Whether the user may name any member of the group (``names_member_for`` says whose)."""
    return _acts(user) and _held_on(user, group, MANAGE, NAME_OWN).exists()


def organisation_has_namers(group: SteeringGroup, organisation: Organisation) -> bool:
    """Someone active in the portal may name ``organisation``'s members of ``group`` themselves."""
    return SteeringGroupGroupObjectPermission.objects.filter(
        content_object_id=group.pk,
        permission__codename=_codename(NAME_OWN),
        group__role_group__organisation_id=organisation.pk,
        group__user__is_active=True,
    ).exists()


def names_member_for(user: UserLike, group: SteeringGroup, organisation: Organisation) -> NamingAs | None:
    """How ``user`` may name a member of ``group`` representing ``organisation``: ``"own"`` as one of
    that organisation's people, ``"on_behalf"`` as one of the group's managers for an organisation
    with nobody in the portal to name its members; ``None`` if not at all."""
    if not _acts(user):
        return None
    own = _held_on(user, group, NAME_OWN).filter(group__role_group__organisation_id=organisation.pk)
    if own.exists():
        return "own"
    if _held_on(user, group, MANAGE).exists() and not organisation_has_namers(group, organisation):
        return "on_behalf"
    return None


def organisations_named_by(user: UserLike, group: SteeringGroup) -> list[Organisation]:
    """The organisations of the group (its county, its employment authorities, Kela) whose members
    ``user`` may name."""
    candidates = Organisation.objects.filter(
        pk__in=[group.county_id, *group.employment_areas.values_list("pk", flat=True)]
    ) | Organisation.objects.filter(kind=Organisation.Kind.KELA)
    return [o for o in candidates.order_by("kind", "name_fi") if names_member_for(user, group, o)]


def can_record_follow_up(user: UserLike, group: SteeringGroup) -> bool:
    """The group's yearly goals and staffing reviews: its managers (its county's coordinators and its
    employment authorities' officials and coordinators), who prepare its work; Kela takes part as a
    member."""
    return _acts(user) and _held_on(user, group, MANAGE).exists()


# --- The TYM agreement ---------------------------------------------------------------------------
# Everything done to a TYM agreement once it exists is asked of ``agreements.permissions`` (the kind
# grants its parties' roles their permissions); here only who starts one from a group.


def can_start_tym_agreement(user: UserLike, group: SteeringGroup) -> bool:
    """Starting a group's TYM agreement: the officials and coordinators of one of the group's
    employment authorities (who hold ``regions.record_decisions`` on it: they draft its agreements).
    A portal admin speaks for no authority."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    from guardian.core import ObjectPermissionChecker

    checker = ObjectPermissionChecker(user)
    areas = [area.as_organisation for area in group.employment_areas.all()]
    checker.prefetch_perms(areas)
    return any(checker.has_perm("record_decisions", area) for area in areas)
