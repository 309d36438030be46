from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regions.models import (
    CountyMembership,
    EmploymentArea,
    EmploymentAreaMembership,
    Municipality,
    Organisation,
    RegionalCouncil,
    RegionalCouncilMembership,
    WellbeingCounty,
)
from regions.services import employment_area_responsible_set

_NAMES = ("name_fi", "name_sv", "name_en", "business_id")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "name_sv", "kind", "business_id")
    list_filter = ("kind",)
    search_fields = ("name_fi", "name_sv", "name_en", "business_id")
    readonly_fields = ("kind",)
    fields = ("kind", *_NAMES)

    def save_model(self, request, obj, form, change):
        # Area organisations come from load_areas; bodies added here are of kind "other".
        if not change:
            obj.kind = Organisation.Kind.OTHER
        super().save_model(request, obj, form, change)


class AreaDataAdmin(admin.ModelAdmin):
    """Area rows come from load_areas; admins correct names and business IDs here."""

    search_fields = ("code", "name_fi", "name_sv")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Municipality)
class MunicipalityAdmin(AreaDataAdmin):
    list_display = ("code", "name_fi", "name_sv", "language", "is_aland", "abolished_on")
    list_filter = ("language", "is_aland", "county_memberships__county")
    readonly_fields = ("code", "is_aland", "abolished_on")
    fields = ("code", *_NAMES, "language", "is_aland", "abolished_on")


@admin.register(WellbeingCounty)
class WellbeingCountyAdmin(AreaDataAdmin):
    list_display = ("code", "name_fi", "name_sv", "is_city", "business_id")
    readonly_fields = ("code", "is_city")
    fields = ("code", *_NAMES, "is_city")


@admin.register(RegionalCouncil)
class RegionalCouncilAdmin(AreaDataAdmin):
    list_display = ("code", "name_fi", "area_name_fi", "is_aland", "business_id")
    readonly_fields = ("code", "is_aland")
    fields = ("code", *_NAMES, "area_name_fi", "area_name_sv", "area_name_en", "is_aland")


@admin.register(EmploymentArea)
class EmploymentAreaAdmin(AreaDataAdmin):
    list_display = (
        "code",
        "name_fi",
        "organisation_model",
        "responsible_municipality",
        "responsible_confidence",
    )
    list_filter = ("organisation_model", "responsible_confidence")
    readonly_fields = ("code", "responsible_confidence")
    autocomplete_fields = ("responsible_municipality",)
    fields = ("code", *_NAMES, "organisation_model", "responsible_municipality", "responsible_confidence")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "responsible_municipality" in form.changed_data:
            employment_area_responsible_set(area=obj, municipality=form.cleaned_data["responsible_municipality"])


class MembershipAdmin(admin.ModelAdmin):
    """Memberships are history: load_areas closes and opens them, nobody edits them by hand."""

    list_display = ("municipality", "area_name", "valid_from", "valid_to")
    list_filter = ("valid_to",)
    search_fields = ("municipality__name_fi", "municipality__code")
    date_hierarchy = "valid_from"

    @admin.display(description=_("area"))
    def area_name(self, obj):
        return obj.area

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CountyMembership)
class CountyMembershipAdmin(MembershipAdmin):
    list_filter = ("county", "valid_to")
    list_select_related = ("municipality", "county")


@admin.register(EmploymentAreaMembership)
class EmploymentAreaMembershipAdmin(MembershipAdmin):
    list_filter = ("employment_area", "valid_to")
    list_select_related = ("municipality", "employment_area")


@admin.register(RegionalCouncilMembership)
class RegionalCouncilMembershipAdmin(MembershipAdmin):
    list_filter = ("regional_council", "valid_to")
    list_select_related = ("municipality", "regional_council")
