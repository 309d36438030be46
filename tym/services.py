"""The one way TYM steering groups, their negotiations and members are written.

Every write locks the county row (group set-up, negotiation) or the group row (members), so two
officials setting up the last allowed group, or naming two chairs at once, cannot both pass the
checks. A broken rule is a ``ValidationError`` keyed by the form field it is about.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import EmploymentArea, Organisation, WellbeingCounty
from regions.selectors import composition_on
from tym import permissions
from tym.models import GroupMember, GroupNegotiation, SteeringGroup, term_end_for
from users.models import User


def authorities_responsible_in(county: WellbeingCounty, day: datetime.date) -> set[int]:
    """The employment areas (authorities) with at least one municipality of the county on ``day``."""
    composition = composition_on(day)
    members = composition.members_of_county(county.pk)
    return {composition.employment_area_of[m] for m in members if m in composition.employment_area_of}


def groups_in_term(county: WellbeingCounty, day: datetime.date):
    return SteeringGroup.objects.filter(county=county, term_start__lte=day, term_end__gt=day)


def _locked_county(county: WellbeingCounty) -> WellbeingCounty:
    return WellbeingCounty.objects.select_for_update().get(pk=county.pk)


@transaction.atomic
def negotiation_record(
    *,
    county: WellbeingCounty,
    held_on: datetime.date,
    participants: str,
    outcome: str,
    group_count: int,
    by: User,
) -> GroupNegotiation:
    county = _locked_county(county)
    if not permissions.can_record_negotiation(by, county):
        raise PermissionDenied
    most = len(authorities_responsible_in(county, held_on))
    if group_count < 1 or group_count > most:
        raise ValidationError(
            {
                "group_count": _(
                    "A county has at least one steering group and at most as many as the employment "
                    "authorities responsible in its area (%(most)s on that day)."
                )
                % {"most": most}
            }
        )
    return GroupNegotiation.objects.create(
        county=county,
        held_on=held_on,
        participants=participants.strip(),
        outcome=outcome.strip(),
        group_count=group_count,
        recorded_by=by,
    )


@transaction.atomic
def steering_group_create(
    *,
    county: WellbeingCounty,
    name: str,
    employment_areas: list[EmploymentArea],
    term_start: datetime.date,
    by: User,
    lead_authority: EmploymentArea | None = None,
) -> SteeringGroup:
    county = _locked_county(county)
    if not permissions.can_set_up_group(by, county, term_start):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the group a name.")
    areas = {area.pk: area for area in employment_areas}
    responsible = authorities_responsible_in(county, term_start)
    if not areas:
        errors["employment_areas"] = _("Choose at least one employment area.")
    else:
        outside = sorted(area.name for pk, area in areas.items() if pk not in responsible)
        if outside:
            errors["employment_areas"] = _("Not in the county on the day the term starts: %(names)s.") % {
                "names": ", ".join(outside)
            }
    if len(areas) > 1:
        if lead_authority is None:
            errors["lead_authority"] = _(
                "A group of several employment areas needs the employment authority they agreed sets it up "
                "and names the chair."
            )
        elif lead_authority.pk not in areas:
            errors["lead_authority"] = _("The lead employment authority must be one of the group's areas.")
    elif len(areas) == 1:
        [lead_authority] = areas.values()
    if not errors:
        most = len(responsible)
        if groups_in_term(county, term_start).count() + 1 > most:
            errors["employment_areas"] = _(
                "The county already has %(most)s steering groups on that day: at most as many as the "
                "employment authorities responsible in its area."
            ) % {"most": most}
    if errors:
        raise ValidationError(errors)
    group = SteeringGroup.objects.create(
        county=county,
        name=name.strip(),
        lead_authority=lead_authority,
        term_start=term_start,
        term_end=term_end_for(term_start),
        created_by=by,
    )
    group.employment_areas.set(areas.values())
    return group


def _overlaps(query, start: datetime.date, end: datetime.date):
    return query.filter(valid_from__lt=end, valid_until__gt=start)


@transaction.atomic
def group_member_add(
    *,
    group: SteeringGroup,
    organisation: Organisation,
    role: str,
    person_name: str,
    title: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    deputy_name: str = "",
    deputy_title: str = "",
    user: User | None = None,
    by: User,
) -> GroupMember:
    group = SteeringGroup.objects.select_for_update().get(pk=group.pk)
    if not permissions.can_name_members(by, group):
        raise PermissionDenied
    Role = GroupMember.Role
    organisation = organisation.as_organisation
    valid_until = valid_until or group.term_end
    area_ids = set(group.employment_areas.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if not person_name.strip():
        errors["person_name"] = _("Give the person's name.")
    if not title.strip():
        errors["title"] = _("Give the person's title.")
    is_authority = organisation.pk in area_ids
    if not (is_authority or organisation.pk == group.county_id or organisation.kind == Organisation.Kind.KELA):
        errors["organisation"] = _("A member represents the group's county, one of its employment authorities or Kela.")
    elif role == Role.CHAIR and not is_authority:
        errors["organisation"] = _("The chair is named by the employment authority and represents it.")
    elif role == Role.VICE_CHAIR and organisation.pk != group.county_id:
        errors["organisation"] = _("The vice-chair is named by the county and represents it.")
    elif role in (Role.LEAD_PERSON, Role.LEAD_DEPUTY) and not is_authority:
        errors["organisation"] = _("The lead person and their deputy are named by the employment authority.")
    if role in GroupMember.SEATED_ROLES:
        if not deputy_name.strip():
            errors["deputy_name"] = _("Every member has a personal deputy: give the deputy's name.")
        if not deputy_title.strip():
            errors["deputy_title"] = _("Give the personal deputy's title.")
    if valid_from < group.term_start or valid_from >= group.term_end:
        errors["valid_from"] = _("The start must fall within the group's term.")
    if valid_until <= valid_from:
        errors["valid_until"] = _("The end must come after the start.")
    elif valid_until > group.term_end:
        if role in (Role.LEAD_PERSON, Role.LEAD_DEPUTY):
            errors["valid_until"] = _("The lead person is named for at most the group's term.")
        else:
            errors["valid_until"] = _("A member's period ends with the group's term at the latest.")
    if not errors and role != Role.MEMBER:
        taken = _overlaps(group.members.filter(role=role), valid_from, valid_until)
        if taken.exists():
            errors["role"] = _("The group already has someone in this role for part of that period.")
    if errors:
        raise ValidationError(errors)
    return GroupMember.objects.create(
        group=group,
        organisation=organisation,
        role=role,
        person_name=person_name.strip(),
        title=title.strip(),
        user=user,
        deputy_name=deputy_name.strip(),
        deputy_title=deputy_title.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=by,
    )
