from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes entries, superusers included."""

    list_display = ("at", "action", "table", "object_id", "agreement_id", "actor", "ip")
    list_filter = ("action", "table")
    search_fields = ("actor", "ip", "object_id", "source")
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
