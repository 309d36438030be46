"""The one way TYM steering groups, their negotiations and members are written.

Every write locks the county row (group set-up, negotiation) or the group row (members), so two
officials setting up the last allowed group, or naming two chairs at once, cannot both pass the
checks. A broken rule is a ``ValidationError`` keyed by the form field it is about.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import permissions as agreement_permissions
from regions.models import EmploymentArea, Organisation, WellbeingCounty
from tym import permissions
from tym.models import (
    GroupMember,
    GroupNegotiation,
    GroupYearlyGoal,
    StaffingReview,
    SteeringGroup,
    TymAgreement,
    term_end_for,
)
from users.models import User

authorities_responsible_in = permissions.authorities_in_county


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
    areas, lead_authority = _check_areas(county, employment_areas, lead_authority, term_start, errors)
    if not errors:
        most = len(authorities_responsible_in(county, term_start))
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
    permissions.steering_group_grant(group=group)
    return group


def _check_areas(
    county: WellbeingCounty,
    employment_areas: list[EmploymentArea],
    lead_authority: EmploymentArea | None,
    term_start: datetime.date,
    errors: dict[str, str],
) -> tuple[dict[int, EmploymentArea], EmploymentArea | None]:
    """The group's areas by id and its lead authority; a broken rule goes into ``errors``."""
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
    return areas, lead_authority


@transaction.atomic
def steering_group_areas_change(
    *,
    group: SteeringGroup,
    employment_areas: list[EmploymentArea],
    by: User,
    lead_authority: EmploymentArea | None = None,
) -> SteeringGroup:
    """The group's areas as renegotiated: those who set up the county's groups change them, and
    the permissions on the group follow (an authority that left no longer names its members)."""
    county = _locked_county(group.county)
    group = SteeringGroup.objects.select_for_update().get(pk=group.pk)
    if not permissions.can_set_up_group(by, county):
        raise PermissionDenied
    errors: dict[str, str] = {}
    areas, lead_authority = _check_areas(county, employment_areas, lead_authority, group.term_start, errors)
    if errors:
        raise ValidationError(errors)
    agreements = [row.agreement for row in TymAgreement.objects.filter(group=group).select_related("agreement")]
    before = {a.pk: agreement_permissions.organisers_of(a) for a in agreements}
    group.lead_authority = lead_authority
    group.save(update_fields=["lead_authority"])
    group.employment_areas.set(areas.values())
    permissions.steering_group_grant(group=group)
    # The lead authority organises the group's agreements: a new lead takes them over.
    for agreement in agreements:
        agreement.tym.group = group
        agreement_permissions.organisers_changed(agreement=agreement, before=before[agreement.pk])
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
    # Each organisation names its own members; the group's managers one with nobody in the portal.
    naming = permissions.names_member_for(by, group, organisation)
    if naming is None:
        raise PermissionDenied
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
        entered_on_behalf=naming == "on_behalf",
    )


# --- Yearly goals and staffing reviews -----------------------------------------------------------


def _term_years(group: SteeringGroup) -> range:
    """The calendar years the group's term touches (its last day is the day before ``term_end``)."""
    return range(group.term_start.year, (group.term_end - datetime.timedelta(days=1)).year + 1)


def _locked_group_for_follow_up(group: SteeringGroup, by: User, year: int, errors: dict[str, str]) -> SteeringGroup:
    group = SteeringGroup.objects.select_for_update().get(pk=group.pk)
    if not permissions.can_record_follow_up(by, group):
        raise PermissionDenied
    years = _term_years(group)
    if year not in years:
        errors["year"] = _("The year must fall within the group's term (%(first)s–%(last)s).") % {
            "first": years[0],
            "last": years[-1],
        }
    return group


@transaction.atomic
def group_goal_add(*, group: SteeringGroup, year: int, goal: str, national_goal: str = "", by: User) -> GroupYearlyGoal:
    """A yearly goal of the group, listed after the year's earlier ones."""
    errors: dict[str, str] = {}
    group = _locked_group_for_follow_up(group, by, year, errors)
    if not goal.strip():
        errors["goal"] = _("Write the goal.")
    if errors:
        raise ValidationError(errors)
    last = group.yearly_goals.filter(year=year).order_by("-position").values_list("position", flat=True).first()
    return GroupYearlyGoal.objects.create(
        group=group,
        year=year,
        goal=goal.strip(),
        national_goal=national_goal.strip(),
        position=(last or 0) + 1,
        created_by=by,
    )


@transaction.atomic
def staffing_review_record(
    *,
    group: SteeringGroup,
    year: int,
    reviewed_on: datetime.date,
    sufficient: bool,
    findings: str,
    actions: str = "",
    by: User,
) -> StaffingReview:
    """The group's one review of a year of whether staffing is sufficient (decree 388/2024 §3); a
    review finding it insufficient says what is done (and whether the agreement is amended)."""
    errors: dict[str, str] = {}
    group = _locked_group_for_follow_up(group, by, year, errors)
    if "year" not in errors and group.staffing_reviews.filter(year=year).exists():
        errors["year"] = _("The group has already reviewed its staffing for that year.")
    if reviewed_on < group.term_start or ("year" not in errors and reviewed_on.year < year):
        errors["reviewed_on"] = _("The review cannot be held before the year or the group's term begins.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("The review cannot be dated in the future.")
    if not findings.strip():
        errors["findings"] = _("Write what the review found.")
    if not sufficient and not actions.strip():
        errors["actions"] = _("Staffing is not sufficient: say what is done, and whether the TYM agreement is amended.")
    if errors:
        raise ValidationError(errors)
    return StaffingReview.objects.create(
        group=group,
        year=year,
        reviewed_on=reviewed_on,
        sufficient=sufficient,
        findings=findings.strip(),
        actions=actions.strip(),
        recorded_by=by,
    )
