from django.contrib import admin

from pdfs.models import Rendition


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    """Read only: PDFs are made by their jobs, and a sealed one cannot be changed by anyone."""

    list_display = ("agreement", "purpose", "status", "edition", "version", "pages", "size", "requested_at")
    list_filter = ("purpose", "status")
    search_fields = ("agreement__title", "sha256")
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("agreement")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
