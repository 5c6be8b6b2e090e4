"""Staff screens for sentra and kawasan IKM, with their members.

A sentra below the legal minimum of five active members (PP 29/2018) is flagged in the list and on its
page, never refused: offices record the sentra they have. The change page shows the members of a year
chosen with ?tahun= (with their workers and production value of that year) and the support received.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ikm_registry.admin.filters import REGION_FILTERS
from ikm_registry.admin.programmes import RegionScopedHistoryAdmin
from ikm_registry.admin.scoping import RegionScopedInline
from ikm_registry.formatting import format_number
from ikm_registry.imports.admin import ImportExportAdminMixin
from sentra.models import SENTRA_MINIMUM_MEMBERS, Sentra, SentraMembership


class SentraMembershipFormSet(forms.BaseInlineFormSet):
    """Overlaps between rows of the same form (each row's clean() only sees what is already saved)."""

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("unit") or not data.get("joined_on"):
                continue
            candidate = SentraMembership(unit=data["unit"], joined_on=data["joined_on"], left_on=data.get("left_on"))
            for other in rows:
                if other.unit_id == candidate.unit_id and other.overlaps(candidate):
                    raise ValidationError(
                        _("%(unit)s tercatat dua kali dengan periode yang tumpang tindih.") % {"unit": data["unit"]}
                    )
            rows.append(candidate)


class SentraMembershipInline(RegionScopedInline, admin.TabularInline):
    model = SentraMembership
    formset = SentraMembershipFormSet
    fields = ["unit", "joined_on", "left_on", "unit_status"]
    readonly_fields = ["unit_status"]
    autocomplete_fields = ["unit"]
    extra = 1
    verbose_name = _("anggota")
    verbose_name_plural = _("anggota (unit IKM)")

    def get_queryset(self, request):
        # Current members first, then those who left, most recent first.
        return (
            super()
            .get_queryset(request)
            .select_related("unit")
            .order_by(F("left_on").desc(nulls_first=True), "unit__business_name")
        )

    @admin.display(description=_("status unit"))
    def unit_status(self, obj):
        return obj.unit.get_status_display() if obj and obj.unit_id else "—"


class BelowMinimumFilter(admin.SimpleListFilter):
    title = _("jumlah anggota")
    parameter_name = "anggota"

    def lookups(self, request, model_admin):
        return [
            ("kurang", _("Kurang dari %(n)s anggota aktif") % {"n": SENTRA_MINIMUM_MEMBERS}),
            ("cukup", _("Minimal %(n)s anggota aktif") % {"n": SENTRA_MINIMUM_MEMBERS}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "kurang":
            return queryset.filter(member_count__lt=SENTRA_MINIMUM_MEMBERS)
        if self.value() == "cukup":
            return queryset.filter(member_count__gte=SENTRA_MINIMUM_MEMBERS)
        return queryset


@admin.register(Sentra)
class SentraAdmin(ImportExportAdminMixin, RegionScopedHistoryAdmin):
    list_display = ["name", "kind", "status", "location", "main_commodity", "sector", "members_display"]
    list_filter = ["kind", "status", "sector", BelowMinimumFilter, *REGION_FILTERS]
    search_fields = ["name", "code", "main_commodity"]
    ordering = ["name", "id"]  # explicit: a GROUP BY query drops Meta.ordering
    search_help_text = _("Cari nama, kode atau komoditas utama.")
    list_select_related = ["village", "district", "sector"]
    autocomplete_fields = ["village"]
    inlines = [SentraMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "code", "kind", "main_commodity", "sector", "year_formed"]}),
        (
            _("Status"),
            {
                "fields": ["status", ("decree_number", "decree_date")],
                "description": _("Sentra formal ditetapkan dengan SK bupati/wali kota: isi nomor dan tanggal SK."),
            },
        ),
        (_("Lokasi"), {"fields": ["village", "area_hectares"]}),
        (_("Pengelola dan fasilitas"), {"fields": ["managing_body", "contact", "shared_facilities", "description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(description=_("kelurahan/desa, kecamatan"), ordering="village__name")
    def location(self, obj):
        return f"{obj.village.name}, {obj.district.name}"

    @admin.display(description=_("anggota aktif"), ordering="member_count")
    def members_display(self, obj):
        if obj.member_count < SENTRA_MINIMUM_MEMBERS:
            return format_html(
                '<span class="sentra-below-minimum" title="{}">⚠ {}</span>',
                _("Kurang dari %(n)s anggota aktif (batas minimal sentra)") % {"n": SENTRA_MINIMUM_MEMBERS},
                format_number(obj.member_count),
            )
        return format_number(obj.member_count)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sentra = self.get_object(request, unquote(object_id))
        if sentra is not None:
            extra_context = {**(extra_context or {}), **self.overview_context(request, sentra)}
        return super().change_view(request, object_id, form_url, extra_context)

    def overview_context(self, request, sentra: Sentra) -> dict:
        """The members of the chosen year with their figures, the support received and the minimum flag."""
        this_year = timezone.localdate().year
        years = sentra.figure_years()
        requested = request.GET.get("tahun", "")
        if requested.isdigit() and 1990 <= int(requested) <= this_year:
            year = int(requested)
        else:
            year = years[0] if years else this_year
        rows = sentra.member_figures(year)
        reported = [r.figures for r in rows if r.figures]
        active = sentra.active_member_count()
        return {
            "sentra_year": year,
            "sentra_years": sorted({*years, year, this_year}, reverse=True),
            "sentra_members": rows,
            "sentra_totals": {
                "men": sum(f.workers_male for f in reported),
                "women": sum(f.workers_female for f in reported),
                "workers": sum(f.workers_total for f in reported),
                "production_value": sum(f.production_value for f in reported),
                "reported": len(reported),
            },
            "sentra_support": sentra.support_received(),
            "sentra_active_members": active,
            "sentra_below_minimum": active < SENTRA_MINIMUM_MEMBERS,
            "sentra_minimum": SENTRA_MINIMUM_MEMBERS,
        }
