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

from agreements.kinds import kind_choices, section_kind_choices
from regions.validators import validate_business_id

COUNCIL_TERM = (datetime.date(2025, 6, 1), datetime.date(2029, 5, 31))


def person_field(verbose_name) -> models.ForeignKey:
    """Who did something: kept when the user is deleted as a blank, never deleting the record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


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
    # The kinds declared here; an app declares more through ``agreements.kinds`` (the field's choices).
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic cooperation agreement")
        INTERFACE = "interface", _("Interface agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("agreement status", "Submitted for approval")
        CONSULTATION = "consultation", pgettext_lazy("agreement status", "In consultation")
        NEGOTIATED = "negotiated", pgettext_lazy("agreement status", "Negotiated")
        IN_DECISION = "in_decision", pgettext_lazy("agreement status", "In decision")
        SIGNING = "signing", pgettext_lazy("agreement status", "Being signed")
        SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
        IN_FORCE = "in_force", pgettext_lazy("agreement status", "In force")
        EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")
        TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")
        SUPERSEDED = "superseded", pgettext_lazy("agreement status", "Superseded")

    # The workflow, declared once: the allowed moves from each status. Only the services of
    # ``agreements.services.workflow`` make them, each with its preconditions, under a row lock.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.CONSULTATION, Status.SUBMITTED, Status.NEGOTIATED),
        # Only a kind with approval steps (``agreements.kinds``) is submitted; it skips consultation.
        Status.SUBMITTED: (Status.DRAFT, Status.NEGOTIATED),
        Status.CONSULTATION: (Status.NEGOTIATED, Status.DRAFT),
        Status.NEGOTIATED: (Status.IN_DECISION,),
        Status.IN_DECISION: (Status.SIGNING, Status.SUPERSEDED),
        Status.SIGNING: (Status.SIGNED, Status.SUPERSEDED),
        Status.SIGNED: (Status.IN_FORCE, Status.SUPERSEDED),
        Status.IN_FORCE: (Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED),
        Status.EXPIRED: (),
        Status.TERMINATED: (),
        Status.SUPERSEDED: (),
    }
    # While the text may change; from NEGOTIATED on it is frozen (a database trigger refuses changes).
    # While it is submitted for approval nobody edits it (``permissions``), but a return reopens it.
    OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.CONSULTATION})
    # Public documents (621/1999): the public register shows these and nothing else.
    PUBLIC_STATUSES = frozenset({Status.IN_FORCE, Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED})
    ENDED_STATUSES = frozenset({Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED})

    # Section 5's terms the portal follows (the coordinators set them while the text is open).
    SECTION_5_TERMS = ("entry_rule", "entry_quorum", "valid_from", "valid_until", "notice_months", "review_due")
    # What the agreement is, besides its text: a new edition takes these over, freezing fixes them.
    TERMS = ("kind", "title", "language", "county", "main_theme", "themes", *SECTION_5_TERMS)

    class EntryRule(models.TextChoices):
        ALL = "all", _("When every party has approved")
        QUORUM = "quorum", _("When a stated number of parties has approved")

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")

    kind = models.CharField(_("kind"), max_length=16, choices=kind_choices)
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
    # Section 5: entry into force, validity, notice and review.
    entry_rule = models.CharField(
        _("enters into force"), max_length=8, choices=EntryRule.choices, default=EntryRule.ALL
    )
    entry_quorum = models.PositiveSmallIntegerField(
        _("parties needed"),
        null=True,
        blank=True,
        help_text=_("With the rule 'a stated number of parties': how many parties must have approved."),
    )
    notice_months = models.PositiveSmallIntegerField(_("notice period in months"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    # The workflow's own dates and marks, written by the workflow services only.
    consultation_deadline = models.DateField(_("comments by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    submission = models.PositiveSmallIntegerField(
        _("submission"), default=0, help_text=_("How many times it has been submitted for approval.")
    )
    frozen_at = models.DateTimeField(_("text frozen at"), null=True, blank=True)
    frozen_by = person_field(_("text frozen by"))
    text_sha256 = models.CharField(_("SHA-256 of the frozen text"), max_length=64, blank=True)
    frozen_open_threads = models.PositiveIntegerField(
        _("open discussions when frozen"), default=0, help_text=_("Confirmed by whoever froze the text.")
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    termination_notice_by = models.ForeignKey(
        "Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice given by"),
    )
    termination_reason = models.TextField(_("reason for ending"), blank=True)
    # Editions: a change after freezing is a new edition, an agreement of its own that starts from
    # the frozen text; ``series`` is the first edition (None on the first edition itself).
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    series = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_editions",
        verbose_name=_("first edition"),
    )
    previous_edition = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_edition",
        verbose_name=_("previous edition"),
    )
    created_by = person_field(_("created by"))
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
            ("approve_agreement", _("Can approve the agreement before its text is frozen")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="agreement_valid_period"),
            models.CheckConstraint(
                condition=Q(kind="strategic") | ~Q(main_theme=""), name="agreement_interface_has_main_theme"
            ),
            models.CheckConstraint(
                condition=Q(entry_rule="all") | Q(entry_quorum__gte=1), name="agreement_quorum_stated"
            ),
            models.CheckConstraint(
                condition=Q(edition=1, series__isnull=True) | Q(edition__gt=1, series__isnull=False),
                name="agreement_edition_in_series",
            ),
            models.UniqueConstraint(fields=["series", "edition"], name="agreement_edition_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def text_is_open(self) -> bool:
        """Whether the text may still change (draft or consultation); afterwards it is frozen."""
        return self.status in self.OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        """In force or ended after being in force (``permissions.public_agreements`` is the query)."""
        if self.status == self.Status.SUPERSEDED:
            return self.in_force_from is not None
        return self.status in self.PUBLIC_STATUSES

    @property
    def series_id_or_own(self) -> int:
        """The id every edition of this agreement shares: the first edition's."""
        return self.series_id or self.pk

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
    # The built-in kinds, and every agreement kind's structured parts (``agreements.kinds``).
    kind = models.CharField(_("kind"), max_length=16, choices=section_kind_choices, default=Kind.TEXT)
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"), blank=True, help_text=_("The current version's text, sanitised HTML."))
    version = models.PositiveIntegerField(_("current version"), default=0)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    updated_by = person_field(_("last changed by"))

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
    created_by = person_field(_("saved by"))
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
    author = person_field(_("written by"))
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
    resolved_by = person_field(_("resolved by"))

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
    uploaded_by = person_field(_("uploaded by"))
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
        STATUS_CHANGED = "status_changed", _("Status changed")
        TERMS_CHANGED = "terms_changed", _("Terms of entry into force, validity and notice changed")
        DEADLINE_CHANGED = "deadline_changed", _("Comment deadline changed")
        DECISION_RECORDED = "decision_recorded", _("Decision recorded")
        LEGAL_FORCE_RECORDED = "legal_force_recorded", _("Legal force recorded")
        APPEAL_RECORDED = "appeal_recorded", _("Appeal recorded")
        CHANGE_PROPOSED = "change_proposed", _("Change proposed in a decision")
        CHANGE_ACCEPTED = "change_accepted", _("Change proposal accepted")
        CHANGE_REJECTED = "change_rejected", _("Change proposal rejected")
        EDITION_STARTED = "edition_started", _("New edition started")
        SIGNATORY_NAMED = "signatory_named", _("Signatory named")
        SIGNATORY_REMOVED = "signatory_removed", _("Signatory removed")
        SIGNED = "signed", _("Signed")
        SIGNED_OUTSIDE = "signed_outside", _("Signature recorded from outside the portal")
        APPROVAL_GIVEN = "approval_given", _("Approved before freezing")
        APPROVAL_RETURNED = "approval_returned", _("Returned to the drafters with comments")
        PART_CHANGED = "part_changed", _("Structured terms changed")

    # Edits that come in bursts (autosaves; a goal saved with its measures and indicators): the
    # timeline keeps one entry per person, kind and subject for a burst (services.core.EDIT_BURST).
    BURST_KINDS = frozenset(
        {
            Kind.SECTION_SAVED,
            Kind.GOALS_CHANGED,
            Kind.FORUMS_CHANGED,
            Kind.ANNEX_ADDED,
            Kind.ANNEX_REMOVED,
            Kind.PART_CHANGED,
        }
    )

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="events", verbose_name=_("agreement")
    )
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    actor = person_field(_("done by"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    subject = models.CharField(_("about"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class Decision(models.Model):
    """One party's decision on one edition of an agreement, as its own body made it.

    A party may decide more than once (returned for preparation, then approved): its newest
    decision counts. Entered by the party's own officials, or by the organiser's coordinator for a
    party that has no user in the portal (``entered_for_party``).
    """

    class Body(models.TextChoices):
        COUNCIL = "council", _("Municipal council (kunnanvaltuusto)")
        BOARD = "board", _("Municipal board (kunnanhallitus)")
        REGIONAL_COUNCIL = "regional_council", _("County council (aluevaltuusto)")
        REGIONAL_BOARD = "regional_board", _("County board (aluehallitus)")
        COMMITTEE = "committee", _("Committee (lautakunta)")
        OFFICE_HOLDER = "office_holder", _("Office holder under the administrative regulations (hallintosääntö)")

    # A council's decision is appealed (municipal appeal, 30 days); any other body's first gets a
    # rectification request (14 days). kuntalaki 410/2015 §134, §140; 611/2021 §145.
    COUNCILS = frozenset({Body.COUNCIL, Body.REGIONAL_COUNCIL})

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for preparation")
        APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")

    class LegalForce(models.TextChoices):
        PENDING = "pending", _("Appeal period not over or not confirmed")
        FINAL = "final", _("Legally final, no appeal")
        APPEALED = "appealed", _("Appealed")

    class AppealOutcome(models.TextChoices):
        PENDING = "", _("Not decided yet")
        DISMISSED = "dismissed", _("Appeal dismissed or rejected: the decision stands")
        UPHELD = "upheld", _("Appeal upheld: the decision is annulled")
        WITHDRAWN = "withdrawn", _("Appeal withdrawn")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("party"))
    body = models.CharField(_("deciding body"), max_length=16, choices=Body.choices)
    body_name = models.CharField(
        _("name of the body"), max_length=200, blank=True, help_text=_("For example Työllisyyslautakunta.")
    )
    diary_number = models.CharField(_("diary number"), max_length=100, blank=True)
    proposal_body = models.CharField(_("proposal by"), max_length=200, blank=True)
    proposal_date = models.DateField(_("proposal date"), null=True, blank=True)
    proposal_section = models.CharField(_("proposal §"), max_length=20, blank=True)
    decided_on = models.DateField(_("decision date"))
    section = models.CharField(_("§"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    minutes_url = models.URLField(_("minutes online"), max_length=500, blank=True)
    minutes_file = models.FileField(_("minutes (PDF)"), upload_to="decisions/", blank=True)
    minutes_published_on = models.DateField(_("minutes published on"), null=True, blank=True)
    appeal_period_ends = models.DateField(_("appeal period ends"), null=True, blank=True)
    legal_force = models.CharField(
        _("legal force"), max_length=16, choices=LegalForce.choices, default=LegalForce.PENDING
    )
    legal_force_confirmed_by = person_field(_("legal force confirmed by"))
    legal_force_confirmed_at = models.DateTimeField(_("legal force confirmed at"), null=True, blank=True)
    appeal_court = models.CharField(_("court"), max_length=200, blank=True)
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("outcome of the appeal"), max_length=16, choices=AppealOutcome.choices, default="", blank=True
    )
    appeal_decided_on = models.DateField(_("appeal decided on"), null=True, blank=True)
    entered_for_party = models.BooleanField(
        _("entered by the coordinator"),
        default=False,
        help_text=_("Entered by the organiser's coordinator for a party that has no user in the portal."),
    )
    recorded_by = person_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["party", "-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_force="appealed") | (Q(appeal_filed_on__isnull=True) & Q(appeal_court="")),
                name="decision_appeal_only_when_appealed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_body_display()} {self.decided_on:%-d.%-m.%Y} § {self.section}"

    @property
    def is_approval(self) -> bool:
        return self.outcome in (self.Outcome.APPROVED, self.Outcome.APPROVED_WITH_CHANGES)


class ChangeProposal(models.Model):
    """A change to the text that a party's decision ("approved with changes") asks for.

    Accepting it starts a new edition that goes back to decision; rejecting it is recorded.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted: a new edition")
        REJECTED = "rejected", _("Rejected")

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="change_proposal", verbose_name=_("decision")
    )
    description = models.TextField(_("changes asked for"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_by = person_field(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("reasons"), blank=True)
    new_edition = models.OneToOneField(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_change_proposal",
        verbose_name=_("new edition"),
    )

    class Meta:
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Signatory(models.Model):
    """A person who signs the agreement for a party, with the basis of their authority."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("party"))
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    authority = models.CharField(
        _("authority to sign"),
        max_length=300,
        help_text=_("For example: hallintosääntö § 45, or the decision that names them."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatory_for",
        verbose_name=_("portal user"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["party", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


def signed_page_path(signature: "Signature", filename: str) -> str:
    return f"signatures/{signature.signatory.party.agreement_id}/{signature.signatory_id}.pdf"


class Signature(models.Model):
    """A signatory's signature: in the portal (with a fresh second factor) or recorded from outside."""

    signatory = models.OneToOneField(
        Signatory, on_delete=models.PROTECT, related_name="signature", verbose_name=_("signatory")
    )
    signed_at = models.DateTimeField(_("signed at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    user = person_field(_("signed or recorded by"))
    second_factor = models.CharField(
        _("second factor confirmed"), max_length=200, blank=True, help_text=_("The device whose code was checked.")
    )
    outside = models.BooleanField(_("signed outside the portal"), default=False)
    signed_page = models.FileField(_("signed page"), upload_to=signed_page_path, blank=True)
    signed_page_sha256 = models.CharField(_("SHA-256 of the signed page"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outside=False) & ~Q(second_factor="")) | (Q(outside=True) & ~Q(signed_page="")),
                name="signature_confirmed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signatory} {self.signed_at:%-d.%-m.%Y}"


class NotificationOptOut(models.Model):
    """A kind of e-mail a user has turned off (every kind is on unless turned off)."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation opened")
        IN_DECISION = "in_decision", _("Text frozen and in decision")
        SIGNATURE = "signature", _("Your signature is awaited")
        SIGNED = "signed", _("Agreement signed")
        IN_FORCE = "in_force", _("Agreement in force")
        REMINDER = "reminder", _("Reminders of dates: expiry, notice, review")
        # Approval before freezing (agreements.kinds): to the current step's approvers, and to the
        # organisers when an approver returns the agreement.
        APPROVAL = "approval", _("An agreement awaits your approval")
        RETURNED = "returned", _("An agreement was returned with comments")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("notification turned off")
        verbose_name_plural = _("notifications turned off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"


class Reminder(models.Model):
    """A reminder of a date sent about an agreement: once per agreement, reason and date."""

    class Reason(models.TextChoices):
        EXPIRES = "expires", _("The agreement expires")
        NOTICE = "notice", _("The notice period starts")
        REVIEW = "review", _("The agreement's review is due")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("agreement")
    )
    reason = models.CharField(_("reminder of"), max_length=16, choices=Reason.choices)
    on_date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "reason", "on_date"], name="reminder_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_reason_display()} {self.on_date:%-d.%-m.%Y}"


class Notification(models.Model):
    """One notice to one user about an agreement: shown on their home page and e-mailed, unless they
    turned its kind off or have no address. The row is the mail job's record (``emailed_at``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationOptOut.Kind.choices)
    reason = models.CharField(_("reminder of"), max_length=16, blank=True, choices=Reminder.Reason.choices)
    on_date = models.DateField(_("date"), null=True, blank=True, help_text=_("The deadline or the date reminded of."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_newest")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} – {self.agreement}"


class CountyNegotiation(models.Model):
    """A county's statutory negotiation with its municipalities (611/2021 §14, once per council term)."""

    county = models.ForeignKey(
        "regions.WellbeingCounty", on_delete=models.PROTECT, related_name="negotiations", verbose_name=_("county")
    )
    held_on = models.DateField(_("held on"))
    note = models.TextField(_("record"), blank=True)
    recorded_by = person_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("negotiation with the municipalities")
        verbose_name_plural = _("negotiations with the municipalities")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.county} {self.held_on:%-d.%-m.%Y}"


class Approval(models.Model):
    """One approval step's outcome for an agreement submitted for approval (``agreements.kinds``).

    The steps of the agreement's kind are taken in order after each submission; an approval counts
    for the submission it was given in (``submission``, the agreement's count when it was given). A return
    sends the agreement back to its drafters with the comments, which stay on record here and open
    a discussion on the section the approver chose, where the drafters answer them.
    """

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("agreement")
    )
    step = models.CharField(_("approval step"), max_length=32)
    submission = models.PositiveSmallIntegerField(_("submission"), default=1)
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("for the party")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    comments = models.TextField(_("comments"), blank=True)
    thread = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discussion opened"),
    )
    decided_by = person_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["agreement", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="approved") | ~Q(comments=""), name="approval_return_has_comments"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.step} {self.get_outcome_display()}"


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
