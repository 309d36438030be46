"""Agreements in the Django admin: for admins to find and inspect, read-only.

Every change goes through the services (permissions, locking, versions, timeline), which the
admin's generic forms would bypass; the portal's own pages are where agreements are edited. A
frozen agreement's text could not be changed here anyway: the database refuses it
(``agreements.frozen``). The admin shows its workflow marks: the status, the comment deadline, the
SHA-256 of the frozen text with who froze it and when, and its edition.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Annex, Comment, Event, Forum, Goal, Party, Section, SectionVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartyInline(ReadOnlyInline):
    model = Party
    fields = ("official_name", "business_id", "organisation", "position")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "county", "status", "language", "updated_at")
    list_filter = ("kind", "status", "language", "county")
    search_fields = ("title", "parties__official_name")
    date_hierarchy = "updated_at"
    list_select_related = ("county",)
    inlines = [PartyInline]
    fields = (
        "title",
        "kind",
        "status",
        "language",
        "county",
        "main_theme",
        "theme_labels",
        "valid_from",
        "valid_until",
        "entry_rule",
        "entry_quorum",
        "consultation_deadline",
        "text_sha256",
        "frozen_at",
        "frozen_by",
        "frozen_open_threads",
        "in_force_from",
        "ended_on",
        "termination_notice_by",
        "termination_reason",
        "edition",
        "series",
        "previous_edition",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("theme_labels", "created_at", "updated_at")

    @admin.display(description=_("themes"))
    def theme_labels(self, obj: Agreement) -> str:
        return ", ".join(str(label) for label in obj.get_theme_labels()) or "–"


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ("key", "title", "agreement", "version", "updated_at")
    list_filter = ("kind",)
    search_fields = ("title", "agreement__title", "text")
    list_select_related = ("agreement",)


@admin.register(SectionVersion)
class SectionVersionAdmin(ReadOnlyAdmin):
    list_display = ("section", "number", "created_by", "created_at", "restored_from", "resolved_conflict")
    list_filter = ("resolved_conflict",)
    search_fields = ("section__agreement__title", "created_by__username")
    list_select_related = ("section", "created_by")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "section", "author", "party", "created_at", "resolved_at")
    list_filter = ("resolved_at",)
    search_fields = ("text", "author__username")
    list_select_related = ("section", "author", "party")


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ("title", "theme", "agreement")
    list_filter = ("theme",)
    search_fields = ("title", "agreement__title")
    list_select_related = ("agreement",)


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "agreement", "chair")
    list_filter = ("level",)
    search_fields = ("name", "agreement__title")
    list_select_related = ("agreement", "chair")


@admin.register(Annex)
class AnnexAdmin(ReadOnlyAdmin):
    list_display = ("title", "agreement", "size", "uploaded_by", "uploaded_at")
    search_fields = ("title", "agreement__title", "sha256")
    list_select_related = ("agreement", "uploaded_by")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "subject", "agreement", "actor")
    list_filter = ("kind",)
    search_fields = ("subject", "agreement__title", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("agreement", "actor")
