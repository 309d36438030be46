"""Who may do what with TYM steering groups: one function per action; views and services call these.

Steering groups are public bodies, so anyone logged in reads a county's overview and a group's page.
Setting a group up, recording the negotiation on the groups and naming members is for the officials
and coordinators of an employment authority whose area lies in the county, and for the county's
coordinators. The portal admin runs the portal and names no group's people.
"""

import datetime

from django.db.models import Model
from django.utils import timezone

from regions.models import WellbeingCounty
from regions.selectors import composition_on
from tym.models import SteeringGroup
from users.models import OrganisationRole, Role

AUTHORITY_ROLES = (Role.OFFICIAL, Role.COORDINATOR)


def _authorities_in_county(county: WellbeingCounty, day: datetime.date) -> set[int]:
    composition = composition_on(day)
    members = composition.members_of_county(county.pk)
    return {composition.employment_area_of[m] for m in members if m in composition.employment_area_of}


def _writes_for(user: Model, county_id: int, authority_ids: set[int]) -> bool:
    if not user.is_authenticated:
        return False
    roles = OrganisationRole.objects.filter(user=user)
    return (
        roles.filter(organisation_id=county_id, role=Role.COORDINATOR).exists()
        or roles.filter(organisation_id__in=authority_ids, role__in=AUTHORITY_ROLES).exists()
    )


def can_view_groups(user: Model) -> bool:
    return user.is_authenticated


def can_set_up_group(user: Model, county: WellbeingCounty, day: datetime.date | None = None) -> bool:
    """Also who records the negotiation on the number and areas of the county's groups."""
    return _writes_for(user, county.pk, _authorities_in_county(county, day or timezone.localdate()))


def can_record_negotiation(user: Model, county: WellbeingCounty) -> bool:
    return can_set_up_group(user, county)


def can_name_members(user: Model, group: SteeringGroup) -> bool:
    """The group's employment authorities and its county's coordinators name (and enter) its members."""
    area_ids = {area.pk for area in group.employment_areas.all()}
    return _writes_for(user, group.county_id, area_ids)


# --- The TYM agreement ---------------------------------------------------------------------------
# Everything done to a TYM agreement once it exists is asked of ``agreements.permissions`` (the kind
# grants its parties' roles their permissions); here only who starts one from a group.


def can_start_tym_agreement(user: Model, group: SteeringGroup) -> bool:
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
