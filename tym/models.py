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

    @property
    def term_last_day(self) -> datetime.date:
        """The term's last day, as people write a period (``term_end`` is the day after)."""
        return self.term_end - datetime.timedelta(days=1)

    def contains(self, start: datetime.date, end: datetime.date) -> bool:
        """Whether a period from ``start`` to ``end`` (both included) lies within the term."""
        return self.term_start <= start <= end <= self.term_last_day


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


# --- The TYM agreement ---------------------------------------------------------------------------
# A TYM agreement is an ``agreements.Agreement`` of kind "tym" (declared in ``tym.kind``); these rows
# are its structured terms. Each refers to the agreement directly, so the audit log and the
# frozen-text triggers find it; all of them are frozen with the text.


class TymAgreement(models.Model):
    """What a TYM agreement holds besides its sections: its group and its terms (decree 388/2024 §3)."""

    class StaffBasis(models.TextChoices):
        FTE = "fte", _("Full-time equivalents (FTE)")
        HEADCOUNT = "headcount", _("Persons (headcount)")

    class CostKey(models.TextChoices):
        STAFF = "staff", _("In proportion to the staff taking part (381/2023 §10)")
        FIXED = "fixed", _("Agreed fixed percentages")
        CUSTOM = "custom", _("An agreed key of its own, with its basis")

    class AuthoritySplit(models.TextChoices):
        STAFF = "staff", _("By each employment authority's staff")
        EQUAL = "equal", _("In equal parts")
        FIXED = "fixed", _("Agreed percentages")

    class KelaParticipation(models.TextChoices):
        NOT_STATED = "", _("Not stated yet")
        OWN_STAFF = "own_staff", _("Kela bears the cost of its own staff and no share of the joint costs")
        CONTRIBUTION = "contribution", _("Kela pays an agreed annual sum towards the joint costs")
        NONE = "none", _("Kela takes no part in the costs")

    agreement = models.OneToOneField(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tym",
        verbose_name=_("agreement"),
    )
    group = models.ForeignKey(
        SteeringGroup, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("steering group")
    )
    # (1) How the service is arranged: the locations are rows; the client process is text.
    client_criteria = models.TextField(
        _("who is referred"), blank=True, help_text=_("The need for multi-sector support (381/2023 §3).")
    )
    client_process = models.TextField(
        _("client process"),
        blank=True,
        help_text=_(
            "Referral, the plan within three months, reviews at least every three months, ending by a joint assessment."
        ),
    )
    # (2) Staff per party: the rows; the basis here.
    staff_basis = models.CharField(
        _("the staff are counted as"), max_length=16, choices=StaffBasis.choices, default=StaffBasis.FTE
    )
    expected_clients = models.PositiveIntegerField(_("expected number of clients a year"), null=True, blank=True)
    # (3) The yearly review of whether the staff suffice, and amending the agreement.
    staffing_review = models.TextField(_("yearly staffing review and amendment"), blank=True)
    # (4) The other joint costs between the employment authorities and the county.
    cost_key = models.CharField(
        _("joint costs are split"), max_length=16, choices=CostKey.choices, default=CostKey.STAFF
    )
    cost_key_name = models.CharField(_("name of the key"), max_length=200, blank=True)
    cost_key_basis = models.TextField(_("basis of the key"), blank=True)
    county_percent = models.DecimalField(_("county's share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    authority_split = models.CharField(
        _("the employment authorities' share is split"),
        max_length=16,
        choices=AuthoritySplit.choices,
        default=AuthoritySplit.STAFF,
    )
    authority_split_basis = models.TextField(_("basis of the employment authorities' split"), blank=True)
    # (5) How Kela takes part in the costs: stated explicitly, even when it is none.
    kela_participation = models.CharField(
        _("Kela's participation in the costs"), max_length=16, choices=KelaParticipation.choices, blank=True
    )
    kela_contribution = models.DecimalField(
        _("Kela's annual contribution (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    kela_terms = models.TextField(_("more on Kela's participation"), blank=True)

    class Meta:
        verbose_name = _("TYM agreement's terms")
        verbose_name_plural = _("TYM agreements' terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(county_percent__isnull=True) | Q(county_percent__gte=0, county_percent__lte=100),
                name="tym_county_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(kela_contribution__isnull=True) | Q(kela_contribution__gte=0),
                name="tym_kela_contribution_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.agreement)


# The terms' own fields, besides the agreement and the group: what a new edition and the bundle carry.
TERMS_FIELDS = tuple(f.name for f in TymAgreement._meta.concrete_fields if f.name not in ("agreement", "group"))


class ServiceLocation(models.Model):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        NETWORKED = "networked", _("Networked local service")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="tym_locations", verbose_name=_("agreement")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    channels = models.JSONField(_("ways of service"), default=list, blank=True)

    class Meta:
        verbose_name = _("service location")
        verbose_name_plural = _("service locations")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_channel_labels(self) -> list[str]:
        return [self.Channel(c).label for c in self.channels if c in self.Channel.values]


class StaffRow(models.Model):
    """One line of a party's staff: a title or profession, how many (FTE or persons), where and what."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="tym_staff", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        "agreements.Party", on_delete=models.CASCADE, related_name="tym_staff", verbose_name=_("party")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title or profession"), max_length=200)
    amount = models.DecimalField(_("number"), max_digits=7, decimal_places=2)
    location = models.ForeignKey(
        ServiceLocation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("location"),
    )
    tasks = models.TextField(_("tasks"), blank=True)

    class Meta:
        verbose_name = _("staff row")
        verbose_name_plural = _("staff rows")
        ordering = ["party__position", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tym_staff_amount_positive")]

    def __str__(self) -> str:
        return f"{self.title} {self.amount}"


class CostItem(models.Model):
    """A joint cost other than staff (premises, systems, …) with its annual amount."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="tym_costs", verbose_name=_("agreement")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("cost"), max_length=200)
    annual_amount = models.DecimalField(_("a year (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("joint cost")
        verbose_name_plural = _("joint costs")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(annual_amount__gte=0), name="tym_cost_amount_not_negative")]

    def __str__(self) -> str:
        return self.name


class AuthorityShare(models.Model):
    """With the split "agreed percentages": one employment authority's percent of the authorities' share."""

    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        related_name="tym_authority_shares",
        verbose_name=_("agreement"),
    )
    party = models.ForeignKey(
        "agreements.Party", on_delete=models.CASCADE, related_name="tym_authority_shares", verbose_name=_("party")
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("employment authority's share")
        verbose_name_plural = _("employment authorities' shares")
        ordering = ["party__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="tym_authority_share_once"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="tym_authority_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.percent} %"
