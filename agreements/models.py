"""Agreements, their parties and their text, built to serve every agreement type.

An agreement has parties (organisations), sections (from the template) whose text is kept as
numbered versions, comments on sections, structured goals (section 3.2) and forums (4.1), annexes,
and a timeline of events. Status changes are declared in ``Agreement.TRANSITIONS`` and made only by
services.
"""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from regions.validators import validate_business_id

COUNCIL_TERM = (datetime.date(2025, 6, 1), datetime.date(2029, 5, 31))


class Theme(models.TextChoices):
    STRUCTURES = "structures", _("General structures and strategic leadership")
    WELLBEING = "wellbeing", _("Wellbeing and health promotion")
    CHILDREN_AND_YOUTH = "children_and_youth", _("Children and youth")
    STUDENT_WELFARE = "student_welfare", _("Student welfare")
    OLDER_PEOPLE = "older_people", _("Older people")
    EMPLOYMENT = "employment", _("Employment")
    SERVICE_NETWORK = "service_network", _("Service network, land use and premises")
    HOUSING = "housing", _("Housing")
    PREPAREDNESS = "preparedness", _("Preparedness and security")
    IMMIGRATION = "immigration", _("Immigration and integration")
    OTHER = "other", _("Other")


class AgreementQuerySet(models.QuerySet):
    def with_change_stamp(self) -> "AgreementQuerySet":
        """Annotates ``change_stamp``: the id of the agreement's newest audit log entry.

        The audit triggers write an entry, in the same transaction, for every change to the agreement
        or to anything that belongs to it (sections, comments, goals, parties, permissions …), and
        commit one agreement's entries in id order, so the stamp names the agreement's state: rendered
        fragments are keyed by it (``yhdyspinta.fragments``, which is emptied when ids may start
        again: after ``migrate`` and ``restore``). Read it in the same query as the agreement, before
        its contents. None when the agreement has no entry (a trigger is missing): nothing is cached.
        Only for a query whose main table is the agreement's own (the SQL names it).
        """
        # Raw SQL: the ORM's compilation of this subquery cost more than the query itself.
        newest = RawSQL(
            'SELECT id FROM audit_entry WHERE agreement_id = "agreements_agreement"."id" ORDER BY id DESC LIMIT 1', ()
        )
        return self.annotate(change_stamp=newest)


class Agreement(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic cooperation agreement")
        INTERFACE = "interface", _("Interface agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement status", "Draft")

    # The allowed status changes; approval and signing add their states here.
    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.DRAFT: ()}

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FINNISH)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    county = models.ForeignKey(
        "regions.WellbeingCounty",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("county"),
    )
    main_theme = models.CharField(_("main theme"), max_length=32, choices=Theme.choices, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), default=COUNCIL_TERM[0])
    valid_until = models.DateField(_("valid until"), default=COUNCIL_TERM[1])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-updated_at"]
        permissions = [
            ("comment_agreement", _("Can comment on the agreement")),
            ("edit_agreement", _("Can edit the agreement's text while it is a draft")),
            ("manage_agreement", _("Can manage the agreement and its parties")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="agreement_valid_period"),
            models.CheckConstraint(
                condition=Q(kind="strategic") | ~Q(main_theme=""), name="agreement_interface_has_main_theme"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_theme_labels(self) -> list[str]:
        return [Theme(t).label for t in self.themes if t in Theme.values]


class Party(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )
    official_name = models.CharField(_("official name"), max_length=300)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True, validators=[validate_business_id])
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["position", "official_name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "organisation"], name="party_once_per_agreement")]

    def __str__(self) -> str:
        return self.official_name


class Section(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        PARTIES = "parties", _("List of parties")
        GOALS = "goals", _("Goal table")
        FORUMS = "forums", _("Forums")
        SIGNATURES = "signatures", _("Signatures")
        ANNEXES = "annexes", _("Annexes")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="sections", verbose_name=_("agreement")
    )
    key = models.CharField(
        _("number"),
        max_length=8,
        validators=[RegexValidator(r"^\d{1,2}(\.\d{1,2})*$", _("A section number such as 3.2."))],
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"), blank=True, help_text=_("The current version's text, sanitised HTML."))
    version = models.PositiveIntegerField(_("current version"), default=0)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "key"], name="section_key_once_per_agreement")]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def depth(self) -> int:
        return self.key.count(".")


class SectionVersion(models.Model):
    """One saved state of a section's text. Versions are never changed or deleted."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions", verbose_name=_("section"))
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    based_on = models.PositiveIntegerField(_("based on version"))
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    resolved_conflict = models.BooleanField(_("resolves a conflict"), default=False)
    # History shows a burst of one person's saves as one entry; see services.core.starts_burst.
    starts_burst = models.BooleanField(_("starts a burst of saves"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("section version")
        verbose_name_plural = _("section versions")
        ordering = ["section", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="section_version_number_unique"),
            models.CheckConstraint(condition=Q(based_on__lt=models.F("number")), name="section_version_after_its_base"),
        ]
        # A page of history reads the newest burst starts: a range of this index, whatever the count.
        indexes = [
            models.Index(
                fields=["section", "number"], condition=Q(starts_burst=True), name="section_version_burst_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class Comment(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments", verbose_name=_("section"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("on behalf of"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="comment_only_threads_resolve",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None


class Goal(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="goals", verbose_name=_("agreement")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("goal"), max_length=500)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    responsible_parties = models.ManyToManyField(
        Party, related_name="responsible_for_goals", blank=True, verbose_name=_("responsible parties")
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures", verbose_name=_("goal"))
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("measure"))
    lead_party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads_measures",
        verbose_name=_("lead party"),
    )
    co_parties = models.ManyToManyField(Party, related_name="co_measures", blank=True, verbose_name=_("other parties"))
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Indicator(models.Model):
    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("Every year")
        TWICE_A_YEAR = "twice_a_year", _("Twice a year")
        COUNCIL_TERM = "council_term", _("Once per council term")
        OTHER = "other", pgettext_lazy("follow-up frequency", "Other")

    # What a user fills in for an indicator (form, service and bundle use the same list).
    EDITABLE_FIELDS = (
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "data_source",
        "sotkanet_id",
        "frequency",
    )

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal"))
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    sotkanet_id = models.PositiveIntegerField(_("Sotkanet indicator number"), null=True, blank=True)
    frequency = models.CharField(_("follow-up"), max_length=16, choices=Frequency.choices, default=Frequency.YEARLY)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__isnull=True)
                | Q(baseline_year__isnull=True)
                | Q(target_year__gte=models.F("baseline_year")),
                name="indicator_target_not_before_baseline",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Forum(models.Model):
    class Level(models.TextChoices):
        POLITICAL = "political", _("Political decision-makers")
        EXECUTIVE = "executive", _("Executive leadership")
        EXPERT = "expert", _("Experts and front-line staff")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="forums", verbose_name=_("agreement")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    chair = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chairs",
        verbose_name=_("chair"),
    )
    meeting_frequency = models.CharField(_("meets"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ForumSeat(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="seats", verbose_name=_("forum"))
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="forum_seats", verbose_name=_("party"))
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)

    class Meta:
        verbose_name = _("forum seat")
        verbose_name_plural = _("forum seats")
        constraints = [
            models.UniqueConstraint(fields=["forum", "party"], name="forum_seat_once_per_party"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="forum_seat_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.seats}"


def annex_path(annex: "Annex", filename: str) -> str:
    return f"annexes/{annex.agreement_id}/{annex.sha256[:16]}.pdf"


class Annex(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="annexes", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=annex_path)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """One entry of an agreement's timeline: what happened, who did it and when."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Agreement started")
        PARTY_ADDED = "party_added", _("Party added")
        PARTY_REMOVED = "party_removed", _("Party removed")
        PARTY_CHANGED = "party_changed", _("Party details changed")
        SECTION_SAVED = "section_saved", _("Section edited")
        SECTION_RESTORED = "section_restored", _("Earlier version restored")
        CONFLICT_RESOLVED = "conflict_resolved", _("Conflicting edits merged")
        COMMENTED = "commented", _("Comment written")
        COMMENT_RESOLVED = "comment_resolved", _("Comment resolved")
        COMMENT_REOPENED = "comment_reopened", _("Comment reopened")
        GOALS_CHANGED = "goals_changed", _("Goals changed")
        FORUMS_CHANGED = "forums_changed", _("Forums changed")
        ANNEX_ADDED = "annex_added", _("Annex added")
        ANNEX_REMOVED = "annex_removed", _("Annex removed")
        IMPORTED = "imported", _("Agreement imported")

    # Edits that come in bursts (autosaves; a goal saved with its measures and indicators): the
    # timeline keeps one entry per person, kind and subject for a burst (services.core.EDIT_BURST).
    BURST_KINDS = frozenset(
        {Kind.SECTION_SAVED, Kind.GOALS_CHANGED, Kind.FORUMS_CHANGED, Kind.ANNEX_ADDED, Kind.ANNEX_REMOVED}
    )

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="events", verbose_name=_("agreement")
    )
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    subject = models.CharField(_("about"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class AgreementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE, verbose_name=_("agreement"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user's permission on an agreement")
        verbose_name_plural = _("users' permissions on agreements")


class AgreementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE, verbose_name=_("agreement"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("role group's permission on an agreement")
        verbose_name_plural = _("role groups' permissions on agreements")
