from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from users.models import OrganisationRole, User
from users.services import organisation_role_grant, organisation_role_revoke


class OrganisationRoleInline(admin.TabularInline):
    """Shown on the user for reference; roles are granted in Organisation roles so groups stay in step."""

    model = OrganisationRole
    extra = 0
    fields = ("organisation", "role", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [OrganisationRoleInline]


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organisation__name_fi")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    def has_change_permission(self, request, obj=None):
        # A role is granted or revoked, never edited in place: each change moves a group membership.
        return False

    def save_model(self, request, obj, form, change):
        form.instance = organisation_role_grant(user=obj.user, organisation=obj.organisation, role=obj.role)

    def delete_model(self, request, obj):
        organisation_role_revoke(user=obj.user, organisation=obj.organisation, role=obj.role)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("user", "organisation"):
            self.delete_model(request, role)
