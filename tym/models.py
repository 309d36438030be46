"""TYM steering groups (381/2023 §9 as amended by 437/2024, decree 388/2024).

A county's area has at least one steering group (*monialaisen tuen johtoryhmä*) and at most as many
as the employment authorities responsible there; the county, those authorities and Kela negotiate
the number and areas first (``GroupNegotiation``). A group covers one or more employment areas of
the county for five years; its members represent the county, an employment authority of the group
or Kela, each member with a personal deputy. The rules live in ``tym.services``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agreements.models import person_field

TERM_YEARS = 5


def term_end_for(start: datetime.date) -> datetime.date:
    """Five years on from ``start`` (exclusive); 29 February moves to 1 March."""
    try:
        return start.replace(year=start.year + TERM_YEARS)
    except ValueError:
        return datetime.date(start.year + TERM_YEARS, 3, 1)


class GroupNegotiation(models.Model):
    """The negotiation of the number and areas of a county's steering groups."""

    county = models.ForeignKey(
        "regions.WellbeingCounty",
        on_delete=models.PROTECT,
        related_name="tym_negotiations",
        verbose_name=_("county"),
    )
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    outcome = models.TextField(_("outcome"))
    group_count = models.PositiveSmallIntegerField(
        _("number of groups agreed"),
        help_text=_("At least one, at most as many as the employment authorities responsible in the county."),
    )
    recorded_by = person_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("steering group negotiation")
        verbose_name_plural = _("steering group negotiations")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(group_count__gte=1), name="tym_negotiation_at_least_one_group"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.held_on:%-d.%-m.%Y}"


class SteeringGroup(models.Model):
    county = models.ForeignKey(
        "regions.WellbeingCounty",
        on_delete=models.PROTECT,
        related_name="tym_groups",
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=200)
    employment_areas = models.ManyToManyField(
        "regions.EmploymentArea",
        related_name="tym_groups",
        verbose_name=_("employment areas"),
    )
    lead_authority = models.ForeignKey(
        "regions.EmploymentArea",
        on_delete=models.PROTECT,
        related_name="tym_groups_led",
        verbose_name=_("lead employment authority"),
        help_text=_("The employment authority that sets up the group and names its chair and lead person."),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), help_text=_("Exclusive: five years after the start."))
    created_by = person_field(_("set up by"))
    created_at = models.DateTimeField(_("set up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("TYM steering group")
        verbose_name_plural = _("TYM steering groups")
        ordering = ["county__code", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="tym_group_term_ends_after_start"),
            models.CheckConstraint(condition=~Q(name=""), name="tym_group_name_not_empty"),
        ]
        # Granted on each group to role groups (tym.permissions.steering_group_grant).
        permissions = [
            ("manage_steering_group", _("Can name any member of the group and record its goals and reviews")),
            ("name_own_members", _("Can name the group's members from one's own organisation")),
        ]

    def __str__(self) -> str:
        return self.name

    def in_term_on(self, day: datetime.date) -> bool:
        return self.term_start <= day < self.term_end


class GroupMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        LEAD_PERSON = "lead_person", _("Lead person")
        LEAD_DEPUTY = "lead_deputy", _("Lead person's deputy")

    # Roles that sit on the group and so have a personal deputy; the lead person's deputy is a role.
    SEATED_ROLES = (Role.MEMBER, Role.CHAIR, Role.VICE_CHAIR)

    group = models.ForeignKey(SteeringGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="tym_memberships",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    person_name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tym_memberships",
        verbose_name=_("portal user"),
    )
    deputy_name = models.CharField(_("personal deputy's name"), max_length=200, blank=True)
    deputy_title = models.CharField(_("personal deputy's title"), max_length=200, blank=True)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), help_text=_("Exclusive; at most the end of the group's term."))
    created_by = person_field(_("named by"))
    entered_on_behalf = models.BooleanField(
        _("entered on the organisation's behalf"),
        default=False,
        help_text=_(
            "Entered by the group's employment authority or county for an organisation with nobody in the "
            "portal to name its members."
        ),
    )

    class Meta:
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group members")
        ordering = ["group", "role", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="tym_member_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"


# --- Yearly goals and staffing reviews ---------------------------------------------------------


class GroupYearlyGoal(models.Model):
    """A goal the group sets itself for a year; the TYM agreement's follow-up indicators read them."""

    group = models.ForeignKey(
        SteeringGroup, on_delete=models.CASCADE, related_name="yearly_goals", verbose_name=_("group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    goal = models.TextField(_("goal"))
    national_goal = models.TextField(
        _("national employment goals"),
        blank=True,
        help_text=_("How the goal serves the national employment goals (380/2023 §21), if it does."),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    created_by = person_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("yearly goal of a steering group")
        verbose_name_plural = _("yearly goals of steering groups")
        ordering = ["group", "year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "position"], name="tym_goal_position_unique"),
            models.CheckConstraint(condition=~Q(goal=""), name="tym_goal_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}: {self.goal[:60]}"


class StaffingReview(models.Model):
    """The group's yearly review of whether the staff of the multi-sector service suffice (388/2024 §3)."""

    group = models.ForeignKey(
        SteeringGroup, on_delete=models.CASCADE, related_name="staffing_reviews", verbose_name=_("group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    sufficient = models.BooleanField(_("staffing sufficient"))
    findings = models.TextField(_("findings"))
    actions = models.TextField(
        _("actions"),
        blank=True,
        help_text=_("What is done, and whether the TYM agreement needs amending."),
    )
    recorded_by = person_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staffing review of a steering group")
        verbose_name_plural = _("staffing reviews of steering groups")
        ordering = ["group", "year"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="tym_one_staffing_review_a_year"),
            models.CheckConstraint(
                condition=Q(sufficient=True) | ~Q(actions=""), name="tym_review_insufficient_has_actions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}"


# --- Object permissions on steering groups ------------------------------------------------------


class SteeringGroupUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key tables (granted to role groups only; the user table stays empty)."""

    content_object = models.ForeignKey(SteeringGroup, on_delete=models.CASCADE, verbose_name=_("group"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user's permission on a steering group")
        verbose_name_plural = _("users' permissions on steering groups")


class SteeringGroupGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SteeringGroup, on_delete=models.CASCADE, verbose_name=_("group"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("role group's permission on a steering group")
        verbose_name_plural = _("role groups' permissions on steering groups")
