"""Admin for enterprises, surveys and indicators: read-only, the pages change them
(core.admin says why)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Enterprise, EnterpriseSurvey, IndicatorReport


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "industry", "size", "region", "is_key", "listing_status")
    list_filter = ("is_key", "industry", "ownership", "size", "listing_status", "region")
    search_fields = ("name", "credit_code", "main_products", "legal_representative")
    autocomplete_fields = ("region",)


@admin.register(EnterpriseSurvey)
class EnterpriseSurveyAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "surveyed_on", "surveyed_by")
    list_filter = ("surveyed_on",)
    search_fields = ("enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "surveyed_on"


@admin.register(IndicatorReport)
class IndicatorReportAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "month", "output_value", "value_added", "profit", "tax", "source")
    list_filter = ("source", "month")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "month"
