"""Standalone lists of a unit's records, for questions that cut across units: this year's figures of a
kecamatan, certificates that expire soon. Scoped, filtered by region cascade, history kept."""

import datetime

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry.admin.filters import EstimatedCountPaginator, unit_region_filters
from ikm_registry.admin.scoping import RegionScopedAdmin
from ikm_registry.admin.widgets import RUPIAH_OVERRIDES
from ikm_registry.formatting import format_date, format_rupiah
from ikm_registry.models import Certificate, Product, YearlyFigures


class UnitRecordAdmin(RegionScopedAdmin, SimpleHistoryAdmin):
    paginator = EstimatedCountPaginator
    list_filter = unit_region_filters("unit__")
    autocomplete_fields = ["unit"]
    formfield_overrides = {models.PositiveBigIntegerField: RUPIAH_OVERRIDES}
    list_per_page = 50

    @admin.display(description=_("unit IKM"), ordering="unit__business_name")
    def unit_name(self, obj):
        return f"{obj.unit.business_name} ({obj.unit.registry_code})"


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(UnitRecordAdmin):
    list_display = [
        "unit_name",
        "year",
        "workers_male",
        "workers_female",
        "investment",
        "production",
        "export",
        "size_class",
    ]
    list_select_related = ["unit"]
    list_filter = [*unit_region_filters("unit__"), "year", "size_class"]
    search_fields = ["unit__business_name", "=unit__registry_code", "=unit__nib"]
    readonly_fields = ["size_class"]
    ordering = ["-year", "unit__business_name", "id"]

    @admin.display(description=_("investasi"), ordering="investment_value")
    def investment(self, obj):
        return format_rupiah(obj.investment_value)

    @admin.display(description=_("nilai produksi"), ordering="production_value")
    def production(self, obj):
        return format_rupiah(obj.production_value)

    @admin.display(description=_("nilai ekspor"), ordering="export_value")
    def export(self, obj):
        return format_rupiah(obj.export_value)


class ExpiryFilter(admin.SimpleListFilter):
    title = _("masa berlaku")
    parameter_name = "berlaku"

    def lookups(self, request, model_admin):
        return [
            ("habis", _("Sudah habis")),
            ("90hari", _("Habis dalam 90 hari")),
            ("berlaku", _("Masih berlaku")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "habis":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "90hari":
            return queryset.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=90))
        if self.value() == "berlaku":
            return queryset.filter(models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today))
        return queryset


@admin.register(Certificate)
class CertificateAdmin(UnitRecordAdmin):
    list_display = ["unit_name", "kind", "number", "issued", "expires"]
    list_select_related = ["unit"]
    list_filter = [*unit_region_filters("unit__"), "kind", ExpiryFilter]
    search_fields = ["number", "unit__business_name", "=unit__registry_code"]
    ordering = ["expires_on", "id"]

    @admin.display(description=_("tanggal terbit"), ordering="issued_on")
    def issued(self, obj):
        return format_date(obj.issued_on)

    @admin.display(description=_("berlaku sampai"), ordering="expires_on")
    def expires(self, obj):
        return format_date(obj.expires_on) or _("tanpa batas")


@admin.register(Product)
class ProductAdmin(UnitRecordAdmin):
    list_display = ["name", "unit_name", "capacity", "capacity_unit", "product_value"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__business_name", "=unit__registry_code"]
    ordering = ["name", "id"]

    @admin.display(description=_("nilai"), ordering="value")
    def product_value(self, obj):
        return format_rupiah(obj.value)
