"""Staff screens for pembinaan (TPL-IKM officers, activities, mentoring visits), bantuan peralatan and OVOP.

Every screen is limited to the staff member's region (RegionScopedAdmin), keeps history (simple-history),
picks units, sentra, villages and officers by autocomplete, and filters by region through the cascade of
ikm_registry.admin.filters. Rules live in the models' clean() and constraints; the admin only shows them.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry.admin.filters import REGION_FILTERS, RegionLevelFilter, unit_region_filters
from ikm_registry.admin.scoping import RegionScopedAdmin, RegionScopedInline
from ikm_registry.admin.widgets import RUPIAH_OVERRIDES
from ikm_registry.formatting import format_date, format_number, format_rupiah
from ikm_registry.imports.admin import ImportExportAdminMixin
from ikm_registry.models import (
    ConditionCheck,
    EquipmentAssistance,
    EquipmentCondition,
    FieldOfficer,
    MentoringVisit,
    OVOPRating,
    RegionLevel,
    TrainingActivity,
    TrainingParticipant,
    scope_region_code,
)

# --- shared building blocks ---------------------------------------------------------------------------------


class ScopedRegionFilter(RegionLevelFilter):
    """The region cascade for records scoped through their QuerySet's `in_region` (an office's own region,
    or a recipient that is a unit or a sentra) rather than through region columns of their own."""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value.count(".") + 1 != self.level:
            return queryset.none()
        return queryset.in_region(value)


def scoped_region_filters(max_level: int = RegionLevel.DISTRICT) -> list[type[RegionLevelFilter]]:
    """Province, kab/kota (and kecamatan) filters through `in_region`; offices stop at kab/kota."""
    return [
        type(f"Scoped{f.__name__}", (ScopedRegionFilter,), {"title": f.title, "level": f.level})
        for f in REGION_FILTERS
        if f.level <= max_level
    ]


def year_filter(field: str, title) -> type[admin.SimpleListFilter]:
    """A list filter over the years present in the user's own records (newest first), or a date's year."""
    lookup = field.replace("__year", "")

    class YearFilter(admin.SimpleListFilter):
        parameter_name = "tahun"

        def lookups(self, request, model_admin):
            qs = model_admin.get_queryset(request).order_by()
            if field.endswith("__year"):
                years = qs.dates(lookup, "year", order="DESC")
                return [(str(d.year), str(d.year)) for d in years]
            years = qs.values_list(field, flat=True).distinct().order_by(f"-{field}")
            return [(str(y), str(y)) for y in years if y]

        def queryset(self, request, queryset):
            value = self.value()
            if not value:
                return queryset
            if not value.isdigit():
                return queryset.none()
            return queryset.filter(**{field: int(value)})

    YearFilter.title = title
    return YearFilter


def year_column(field: str, description):
    """A list column for a year: plain digits (USE_THOUSAND_SEPARATOR would print 2024 as 2.024)."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        value = getattr(obj, field)
        return str(value) if value else "—"

    return column


class RegionScopedHistoryAdmin(RegionScopedAdmin, SimpleHistoryAdmin):
    """Region scope (RegionScopedAdmin also holds simple-history's history pages to it), history and
    Rupiah inputs for every programme screen."""

    formfield_overrides = {models.PositiveBigIntegerField: RUPIAH_OVERRIDES}
    list_per_page = 50

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        remote = db_field.related_model
        if "queryset" not in kwargs and hasattr(remote._default_manager.get_queryset(), "for_user"):
            kwargs["queryset"] = remote._default_manager.for_user(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OwnedByOfficeAdmin(RegionScopedHistoryAdmin):
    """Records an office holds (officers, activities): the office is the staff member's home region, filled
    in for them; only national staff choose it."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and scope_region_code(request.user):
            return [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "owner_region"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and scope_region_code(request.user):
            readonly.append("owner_region")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = scope_region_code(request.user)
        if not scope:
            return form

        class OwnedForm(form):
            def _post_clean(self):
                # Before model validation, so that clean() can check the officer's area against the office.
                if not self.instance.owner_region_id:
                    self.instance.owner_region_id = scope
                super()._post_clean()

        return OwnedForm


# --- TPL-IKM officers ---------------------------------------------------------------------------------------


@admin.register(FieldOfficer)
class FieldOfficerAdmin(ImportExportAdminMixin, OwnedByOfficeAdmin):
    list_display = ["name", "is_tpl_ikm", "assigned_region", "contract_year_display", "institution", "visit_count"]
    list_filter = [
        "is_tpl_ikm",
        year_filter("contract_year", _("tahun kontrak")),
        *scoped_region_filters(RegionLevel.REGENCY),
    ]
    search_fields = ["name", "institution"]
    ordering = ["name", "id"]  # explicit: a GROUP BY query drops Meta.ordering
    autocomplete_fields = ["assigned_region", "owner_region"]
    list_select_related = ["assigned_region"]
    fields = ["name", "is_tpl_ikm", "contract_year", "assigned_region", "institution", "phone", "owner_region"]

    contract_year_display = year_column("contract_year", _("tahun kontrak"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(visit_total=Count("visits"))

    @admin.display(description=_("kunjungan"), ordering="visit_total")
    def visit_count(self, obj):
        return format_number(obj.visit_total)


# --- training activities ------------------------------------------------------------------------------------


class TrainingParticipantFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            unit, name = form.cleaned_data.get("unit"), (form.cleaned_data.get("attendee_name") or "").strip().lower()
            if unit and name:
                if (unit.pk, name) in seen:
                    raise ValidationError(
                        _("%(name)s dari %(unit)s tercatat dua kali pada kegiatan ini.")
                        % {"name": form.cleaned_data["attendee_name"], "unit": unit}
                    )
                seen.add((unit.pk, name))


class TrainingParticipantInline(RegionScopedInline, admin.TabularInline):
    model = TrainingParticipant
    formset = TrainingParticipantFormSet
    fields = ["unit", "attendee_name", "attendee_gender", "attended", "outcome", "note"]
    autocomplete_fields = ["unit"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


@admin.register(TrainingActivity)
class TrainingActivityAdmin(ImportExportAdminMixin, OwnedByOfficeAdmin):
    list_display = [
        "title",
        "kind",
        "start_display",
        "fiscal_year_display",
        "funding_source",
        "organiser_level",
        "participant_count",
        "budget_display",
    ]
    list_filter = [
        "kind",
        "funding_source",
        "organiser_level",
        year_filter("fiscal_year", _("tahun anggaran")),
        *scoped_region_filters(RegionLevel.REGENCY),
    ]
    search_fields = ["title", "topic", "venue", "organiser_name"]
    ordering = ["-start_date", "title", "id"]  # explicit: a GROUP BY query drops Meta.ordering
    autocomplete_fields = ["venue_village", "facilitators", "owner_region"]
    inlines = [TrainingParticipantInline]
    fieldsets = [
        (None, {"fields": ["title", "kind", "topic", "description"]}),
        (
            _("Penyelenggara dan anggaran"),
            {
                "fields": [
                    "organiser_level",
                    "organiser_name",
                    "funding_source",
                    "fiscal_year",
                    "budget",
                    "owner_region",
                ]
            },
        ),
        (_("Waktu dan tempat"), {"fields": ["start_date", "end_date", "venue_village", "venue"]}),
        (_("Fasilitator"), {"fields": ["facilitators"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(participant_total=Count("participants", filter=Q(participants__attended=True)))
        )

    fiscal_year_display = year_column("fiscal_year", _("tahun anggaran"))

    @admin.display(description=_("tanggal mulai"), ordering="start_date")
    def start_display(self, obj):
        return format_date(obj.start_date)

    @admin.display(description=_("peserta hadir"), ordering="participant_total")
    def participant_count(self, obj):
        return format_number(obj.participant_total)

    @admin.display(description=_("anggaran"), ordering="budget")
    def budget_display(self, obj):
        return format_rupiah(obj.budget) or "—"


# --- mentoring visits ---------------------------------------------------------------------------------------


@admin.register(MentoringVisit)
class MentoringVisitAdmin(RegionScopedHistoryAdmin):
    list_display = ["visit_display", "unit", "officer", "activity", "problem_short"]
    list_filter = [year_filter("visit_date__year", _("tahun")), *unit_region_filters("unit__")]
    search_fields = ["unit__business_name", "unit__registry_code", "officer__name", "problem_found", "advice_given"]
    autocomplete_fields = ["unit", "officer", "activity"]
    list_select_related = ["unit", "officer", "activity"]
    fields = ["unit", "visit_date", "officer", "activity", "problem_found", "advice_given"]

    @admin.display(description=_("tanggal kunjungan"), ordering="visit_date")
    def visit_display(self, obj):
        return format_date(obj.visit_date)

    @admin.display(description=_("masalah yang ditemukan"))
    def problem_short(self, obj):
        text = obj.problem_found
        return text if len(text) <= 80 else text[:77] + "…"


# --- equipment assistance -----------------------------------------------------------------------------------


class ConditionCheckInline(admin.TabularInline):
    model = ConditionCheck
    fields = ["checked_on", "condition", "officer", "note"]
    autocomplete_fields = ["officer"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "officer":
            kwargs["queryset"] = FieldOfficer.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LatestConditionFilter(admin.SimpleListFilter):
    title = _("kondisi terakhir")
    parameter_name = "kondisi"
    NOT_CHECKED = "belum"

    def lookups(self, request, model_admin):
        return [*EquipmentCondition.choices, (self.NOT_CHECKED, _("Belum diperiksa"))]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == self.NOT_CHECKED:
            return queryset.filter(latest_condition__isnull=True)
        return queryset.filter(latest_condition=value)


class RecipientKindFilter(admin.SimpleListFilter):
    title = _("jenis penerima")
    parameter_name = "penerima"

    def lookups(self, request, model_admin):
        return [("unit", _("Unit IKM")), ("sentra", _("Sentra"))]

    def queryset(self, request, queryset):
        if self.value() == "unit":
            return queryset.filter(unit__isnull=False)
        if self.value() == "sentra":
            return queryset.filter(sentra__isnull=False)
        return queryset


class DuplicateAidFilter(admin.SimpleListFilter):
    title = _("bantuan ganda")
    parameter_name = "ganda"

    def lookups(self, request, model_admin):
        return [("ya", _("Ya, dengan alasan")), ("tidak", _("Tidak"))]

    def queryset(self, request, queryset):
        if self.value() == "ya":
            return queryset.exclude(duplicate_justification="")
        if self.value() == "tidak":
            return queryset.filter(duplicate_justification="")
        return queryset


@admin.register(EquipmentAssistance)
class EquipmentAssistanceAdmin(ImportExportAdminMixin, RegionScopedHistoryAdmin):
    list_display = [
        "name",
        "recipient_display",
        "quantity_display",
        "value_display",
        "funding_source",
        "fiscal_year_display",
        "handover_display",
        "bast_number",
        "latest_condition_display",
        "duplicate_flag",
    ]
    list_filter = [
        year_filter("fiscal_year", _("tahun anggaran")),
        "funding_source",
        LatestConditionFilter,
        RecipientKindFilter,
        DuplicateAidFilter,
        *scoped_region_filters(),
    ]
    search_fields = ["name", "brand", "bast_number", "unit__business_name", "unit__registry_code", "sentra__name"]
    autocomplete_fields = ["unit", "sentra"]
    list_select_related = ["unit", "sentra"]
    inlines = [ConditionCheckInline]
    fieldsets = [
        (None, {"fields": ["name", "brand", "specification", ("quantity", "quantity_unit"), "value"]}),
        (
            _("Penerima (isi salah satu)"),
            {
                "fields": ["unit", "sentra"],
                "description": _("Bantuan diserahkan kepada satu unit IKM atau satu sentra."),
            },
        ),
        (_("Anggaran dan serah terima"), {"fields": ["funding_source", "fiscal_year", "handover_date", "bast_number"]}),
        (_("Bantuan ganda"), {"fields": ["duplicate_justification"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_condition()

    fiscal_year_display = year_column("fiscal_year", _("tahun anggaran"))

    @admin.display(description=_("penerima"))
    def recipient_display(self, obj):
        if obj.unit_id:
            return obj.unit
        return format_html("{} <small>({})</small>", obj.sentra, _("sentra"))

    @admin.display(description=_("jumlah"), ordering="quantity")
    def quantity_display(self, obj):
        return f"{format_number(obj.quantity)} {obj.quantity_unit}"

    @admin.display(description=_("nilai"), ordering="value")
    def value_display(self, obj):
        return format_rupiah(obj.value)

    @admin.display(description=_("tanggal serah terima"), ordering="handover_date")
    def handover_display(self, obj):
        return format_date(obj.handover_date)

    @admin.display(description=_("kondisi terakhir"), ordering="latest_condition")
    def latest_condition_display(self, obj):
        if not obj.latest_condition:
            return _("Belum diperiksa")
        label = EquipmentCondition(obj.latest_condition).label
        return format_html("{} <small>({})</small>", label, format_date(obj.latest_checked_on))

    @admin.display(description=_("ganda"), boolean=True)
    def duplicate_flag(self, obj):
        return bool(obj.duplicate_justification.strip())


# --- OVOP ratings -------------------------------------------------------------------------------------------


STARS_MESSAGE = _("Bintang OVOP antara 1 sampai 5.")


class OVOPRatingForm(forms.ModelForm):
    stars = forms.IntegerField(
        label=_("bintang"),
        min_value=1,
        max_value=5,
        help_text=_("1 (terendah) sampai 5. Tingkat pembinaan mengikuti bintang."),
        error_messages={"min_value": STARS_MESSAGE, "max_value": STARS_MESSAGE, "invalid": STARS_MESSAGE},
    )

    class Meta:
        model = OVOPRating
        fields = [
            "unit",
            "product_name",
            "category",
            "assessment_year",
            "stars",
            "certificate_number",
            "assessing_body",
        ]


class CurrentRatingFilter(admin.SimpleListFilter):
    title = _("penilaian")
    parameter_name = "terkini"

    def lookups(self, request, model_admin):
        return [("ya", _("Hanya yang terkini")), ("tidak", _("Hanya riwayat lama"))]

    def queryset(self, request, queryset):
        if self.value() == "ya":
            return queryset.filter(is_current=True)
        if self.value() == "tidak":
            return queryset.filter(is_current=False)
        return queryset


@admin.register(OVOPRating)
class OVOPRatingAdmin(ImportExportAdminMixin, RegionScopedHistoryAdmin):
    form = OVOPRatingForm
    list_display = [
        "product_name",
        "unit",
        "category",
        "assessment_year_display",
        "stars_display",
        "fostering_level",
        "current_display",
        "certificate_number",
    ]
    list_filter = [
        year_filter("assessment_year", _("tahun penilaian")),
        "stars",
        "fostering_level",
        CurrentRatingFilter,
        "category",
        *unit_region_filters("unit__"),
    ]
    search_fields = ["product_name", "unit__business_name", "unit__registry_code", "certificate_number"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "category"]
    readonly_fields = ["fostering_level"]
    fields = [
        "unit",
        "product_name",
        "category",
        "assessment_year",
        "stars",
        "fostering_level",
        "certificate_number",
        "assessing_body",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_is_current()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("assessment_year", timezone.localdate().year)
        return initial

    assessment_year_display = year_column("assessment_year", _("tahun penilaian"))

    @admin.display(description=_("bintang"), ordering="stars")
    def stars_display(self, obj):
        return format_html('<span title="{}">{}</span>', obj.stars, obj.star_display)

    @admin.display(description=_("terkini"), boolean=True, ordering="is_current")
    def current_display(self, obj):
        return obj.is_current
