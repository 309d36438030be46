"""TYM steering groups in the Django admin: for admins to find and inspect, read-only.

Groups, members, goals and reviews are written through ``tym.services``, which check the rules and
keep the role groups' permissions on each group in step (``tym.permissions.steering_group_grant``);
the admin's generic forms would bypass both.
"""

from django.contrib import admin

from agreements.admin import ReadOnlyAdmin, ReadOnlyInline
from tym.models import GroupMember, GroupNegotiation, GroupYearlyGoal, StaffingReview, SteeringGroup


class GroupMemberInline(ReadOnlyInline):
    model = GroupMember
    fields = ("person_name", "title", "role", "organisation", "deputy_name", "valid_from", "valid_until")


@admin.register(SteeringGroup)
class SteeringGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "county", "lead_authority", "term_start", "term_end")
    list_filter = ("county",)
    search_fields = ("name", "county__name_fi", "employment_areas__name_fi")
    list_select_related = ("county", "lead_authority")
    inlines = [GroupMemberInline]


@admin.register(GroupNegotiation)
class GroupNegotiationAdmin(ReadOnlyAdmin):
    list_display = ("county", "held_on", "group_count", "recorded_by")
    list_filter = ("county",)
    search_fields = ("county__name_fi", "participants", "outcome")
    date_hierarchy = "held_on"
    list_select_related = ("county", "recorded_by")


@admin.register(GroupMember)
class GroupMemberAdmin(ReadOnlyAdmin):
    list_display = ("person_name", "role", "organisation", "group", "valid_from", "valid_until", "entered_on_behalf")
    list_filter = ("role", "entered_on_behalf")
    search_fields = ("person_name", "deputy_name", "group__name", "organisation__name_fi")
    list_select_related = ("organisation", "group")


# --- Yearly goals and staffing reviews -----------------------------------------------------------


@admin.register(GroupYearlyGoal)
class GroupYearlyGoalAdmin(ReadOnlyAdmin):
    list_display = ("group", "year", "position", "goal")
    list_filter = ("year",)
    search_fields = ("group__name", "goal", "national_goal")
    list_select_related = ("group",)


@admin.register(StaffingReview)
class StaffingReviewAdmin(ReadOnlyAdmin):
    list_display = ("group", "year", "reviewed_on", "sufficient", "recorded_by")
    list_filter = ("year", "sufficient")
    search_fields = ("group__name", "findings", "actions")
    list_select_related = ("group", "recorded_by")
