"""Staff admin for IKM units: the registry's main screen.

Everything is limited to the staff member's region (RegionScopedAdmin): the list, object URLs, the
village autocomplete, actions and history pages. Personal data (UU PDP) never shows whole by default: the
NIK is a write-only input and appears masked; the whole NIK only through the logged "tampilkan NIK" page;
owner phone and email are masked for roles without `view_owner_nik`.

Other modules extend IKMUnitAdmin by adding to `readonly_fields`, `fieldsets`, `inlines` or mixing in
import/export; keep those lists plain.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from ikm_registry import personal_data
from ikm_registry.admin.filters import REGION_FILTERS, EstimatedCountPaginator
from ikm_registry.admin.scoping import RegionScopedAdmin, RegionScopedInline
from ikm_registry.admin.widgets import RUPIAH_OVERRIDES
from ikm_registry.formatting import format_rupiah
from ikm_registry.history import deleted_unit_record, restore_deleted_unit
from ikm_registry.imports.admin import ImportExportAdminMixin
from ikm_registry.models import (
    Certificate,
    IKMUnit,
    NIKAccessLog,
    Product,
    SizeClass,
    VerificationStatus,
    YearlyFigures,
    scope_region_code,
    user_can_access_region,
)
from ikm_registry.search import staff_search_q
from ikm_registry.support_history import render_support_history

VIEW_OWNER_NIK = "ikm_registry.view_owner_nik"
VERIFY_IKMUNIT = "ikm_registry.verify_ikmunit"
# Private contact fields, masked for roles without VIEW_OWNER_NIK.
CONTACT_FIELDS = {"owner_phone": personal_data.mask_phone, "owner_email": personal_data.mask_email}
# Workflow and derived columns: changed only by actions and figures, never by a form or a history revert.
WORKFLOW_FIELDS = [
    "verification_status",
    "return_reason",
    "verified_by_id",
    "verified_at",
    "size_class",
    "latest_figures_year",
]
NIK_DIGITS = re.compile(r"^\d{16}$")
NIB_DIGITS = re.compile(r"^\d{13}$")
REGISTRY_CODE = re.compile(r"^IKM-\d{4}-\d{6}$", re.IGNORECASE)


def can_see_personal_data(user) -> bool:
    return user.has_perm(VIEW_OWNER_NIK)


# --- forms -------------------------------------------------------------------------------------------------


class IKMUnitForm(forms.ModelForm):
    """The unit form with a write-only NIK input. The admin subclasses it per request (see get_form) to
    set `user`, which decides masking of contact data and what a duplicate-NIK warning may reveal."""

    owner_nik_input = forms.CharField(
        label=_("NIK pemilik"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "size": 20}),
        help_text=_("16 angka sesuai KTP. Tidak pernah ditampilkan utuh di daftar, riwayat atau situs publik."),
    )
    clear_owner_nik = forms.BooleanField(label=_("Hapus NIK tersimpan"), required=False)

    user = None

    class Meta:
        model = IKMUnit
        # The admin passes the fields of its fieldsets; this list serves forms built elsewhere.
        fields = [
            "business_name",
            "brand",
            "legal_form",
            "nib",
            "year_established",
            "owner_name",
            "owner_gender",
            "owner_education",
            "owner_phone",
            "owner_email",
            "publish_contact",
            "village",
            "address",
            "latitude",
            "longitude",
            "kbli",
            "sector",
            "main_products",
            "marketing_reach",
            "export_destinations",
            "status",
            "status_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if "owner_nik_input" in self.fields and instance.owner_nik_encrypted:
            self.fields["owner_nik_input"].help_text = _(
                "NIK tersimpan: %(masked)s. Kosongkan untuk mempertahankan, isi untuk menggantinya."
            ) % {"masked": instance.owner_nik_masked}
        if instance.pk and not self.shows_private_contact:
            for name, mask in CONTACT_FIELDS.items():
                stored = getattr(instance, name)
                if name in self.fields and stored:
                    # The stored value never reaches the page; an empty input keeps it.
                    self.initial[name] = ""
                    self.fields[name].widget.attrs["placeholder"] = mask(stored)
                    self.fields[name].help_text = _(
                        "Tersimpan: %(masked)s. Kosongkan untuk mempertahankan, isi untuk mengganti."
                    ) % {"masked": mask(stored)}

    @property
    def shows_private_contact(self) -> bool:
        return self.user is None or can_see_personal_data(self.user)

    def _keep_masked(self, name: str):
        value = self.cleaned_data.get(name)
        if not value and self.instance.pk and not self.shows_private_contact:
            return getattr(self.instance, name)
        return value

    def clean_owner_phone(self):
        return self._keep_masked("owner_phone")

    def clean_owner_email(self):
        return self._keep_masked("owner_email")

    def clean_owner_nik_input(self):
        value = (self.cleaned_data.get("owner_nik_input") or "").strip()
        if not value:
            return ""
        nik = personal_data.validate_nik(value)
        # One person may own several businesses, so a shared NIK is saved and flagged, never refused.
        clash = (
            IKMUnit.objects.with_nik(nik)
            .exclude(pk=self.instance.pk)
            .values_list("registry_code", "regency_id", "business_name")
            .first()
        )
        if clash:
            code, regency, name = clash
            if self.user is not None and user_can_access_region(self.user, regency):
                self.nik_warning = gettext(
                    "Mungkin ganda: NIK ini juga tercatat sebagai pemilik %(name)s (%(code)s). "
                    "Periksa apakah keduanya memang usaha yang berbeda."
                ) % {"name": name, "code": code}
            else:
                self.nik_warning = gettext(
                    "Mungkin ganda: NIK ini juga tercatat sebagai pemilik unit IKM lain di wilayah lain."
                )
        return nik

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_owner_nik") and cleaned.get("owner_nik_input"):
            self.add_error("clear_owner_nik", _("Pilih salah satu: isi NIK baru atau hapus NIK tersimpan."))
        return cleaned

    def nik_changed(self) -> bool:
        return bool(self.cleaned_data.get("owner_nik_input") or self.cleaned_data.get("clear_owner_nik"))

    def save(self, commit=True):
        nik = self.cleaned_data.get("owner_nik_input")
        if nik:
            self.instance.set_owner_nik(nik)
            self.instance._change_reason = gettext("NIK pemilik diisi atau diganti")
        elif self.cleaned_data.get("clear_owner_nik"):
            self.instance.set_owner_nik("")
            self.instance._change_reason = gettext("NIK pemilik dihapus")
        return super().save(commit)


class ReturnReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=_("Tuliskan apa yang perlu diperbaiki operator. Alasan ini tampil di data unit."),
    )


class RevealNIKForm(forms.Form):
    purpose = forms.CharField(
        label=_("Keperluan"),
        max_length=100,
        help_text=_("Misalnya: verifikasi data, fasilitasi sertifikasi halal. Dicatat dalam log akses NIK."),
    )


# --- inlines -----------------------------------------------------------------------------------------------


class YearlyFiguresInline(RegionScopedInline, admin.StackedInline):
    model = YearlyFigures
    extra = 0
    formfield_overrides = {models.PositiveBigIntegerField: RUPIAH_OVERRIDES}
    readonly_fields = ["size_class_display", "workers_total_display", "values_display"]
    fieldsets = [
        (
            None,
            {"fields": [("year", "size_class_display"), ("workers_male", "workers_female", "workers_total_display")]},
        ),
        (
            _("Nilai (Rupiah)"),
            {
                "fields": [
                    ("investment_value", "land_building_investment"),
                    ("production_value", "raw_material_value"),
                    ("export_value", "fuel_cost"),
                    "values_display",
                ]
            },
        ),
        (
            _("Kapasitas, produksi, energi"),
            {
                "fields": [
                    ("installed_capacity", "production_capacity", "capacity_unit"),
                    "production_volume",
                    ("water_use_m3", "electricity_kwh"),
                    "machines",
                ]
            },
        ),
    ]

    @admin.display(description=_("kelas usaha (otomatis)"))
    def size_class_display(self, obj):
        if not obj or not obj.pk:
            return _("dihitung setelah disimpan")
        label = obj.get_size_class_display()
        if obj.size_class == SizeClass.PERIKSA:
            return format_html('<strong class="errornote">{}</strong>', label)
        return label

    @admin.display(description=_("jumlah tenaga kerja"))
    def workers_total_display(self, obj):
        return obj.workers_total if obj and obj.pk else "—"

    @admin.display(description=_("ringkasan nilai"))
    def values_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            _("Investasi"),
            format_rupiah(obj.investment_value),
            _("Produksi"),
            format_rupiah(obj.production_value),
            _("Bahan baku"),
            format_rupiah(obj.raw_material_value),
            _("Ekspor"),
            format_rupiah(obj.export_value),
        )


class ProductInline(RegionScopedInline, admin.TabularInline):
    model = Product
    extra = 0
    fields = ["name", "capacity", "capacity_unit", "value", "photo"]
    formfield_overrides = {models.PositiveBigIntegerField: RUPIAH_OVERRIDES}


class CertificateInline(RegionScopedInline, admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ["kind", "number", "issued_on", "expires_on"]


# --- history with masked contact data ----------------------------------------------------------------------


class MaskedHistoryContextHelper(HistoricalRecordContextHelper):
    """History deltas with the owner's phone and email masked for roles that may not see them."""

    def prepare_delta_change_value(self, change, value):
        mask = CONTACT_FIELDS.get(change.field)
        if mask is not None:
            return mask(value or "")
        return super().prepare_delta_change_value(change, value)


# --- the unit admin ----------------------------------------------------------------------------------------


@admin.register(IKMUnit)
class IKMUnitAdmin(ImportExportAdminMixin, RegionScopedAdmin, SimpleHistoryAdmin):
    form = IKMUnitForm
    paginator = EstimatedCountPaginator
    list_per_page = 50
    list_display = [
        "registry_code",
        "business_name",
        "brand",
        "location",
        "sector",
        "size_class",
        "status",
        "verification_status",
        "owner_nik_masked_display",
    ]
    list_display_links = ["registry_code", "business_name"]
    list_select_related = ["village", "district", "sector"]
    list_filter = [*REGION_FILTERS, "sector", "size_class", "status", "verification_status"]
    search_fields = ["business_name", "brand", "=nib", "owner_name", "main_products", "=registry_code"]
    search_help_text = _("Cari nama usaha, merek, NIB, kode IKM, nama pemilik, produk, atau NIK (16 angka, persis).")
    autocomplete_fields = ["village", "kbli"]
    inlines = [YearlyFiguresInline, ProductInline, CertificateInline]
    actions = ["submit_units", "verify_units", "return_units"]
    formfield_overrides = {models.PositiveBigIntegerField: RUPIAH_OVERRIDES}
    readonly_fields = [
        "registry_code",
        "owner_nik_display",
        "owner_phone_masked_display",
        "owner_email_masked_display",
        "region_display",
        "verification_status",
        "return_reason",
        "verified_by",
        "verified_at",
        "size_class",
        "latest_figures_year",
        "created_at",
        "updated_at",
        "support_history",
    ]
    fieldsets = [
        (
            _("Identitas usaha"),
            {"fields": ["registry_code", "business_name", "brand", "legal_form", "nib", "year_established"]},
        ),
        (
            _("Pemilik (data pribadi)"),
            {
                "fields": [
                    "owner_name",
                    ("owner_gender", "owner_education"),
                    "owner_nik_display",
                    ("owner_nik_input", "clear_owner_nik"),
                    ("owner_phone", "owner_email"),
                    "publish_contact",
                ]
            },
        ),
        (_("Lokasi"), {"fields": ["village", "region_display", "address", ("latitude", "longitude")]}),
        (
            _("Klasifikasi, produk dan pemasaran"),
            {"fields": ["kbli", "sector", "main_products", "marketing_reach", "export_destinations"]},
        ),
        (_("Status usaha"), {"fields": [("status", "status_date")]}),
        (
            _("Verifikasi"),
            {"fields": ["verification_status", "return_reason", ("verified_by", "verified_at")]},
        ),
        (
            _("Ringkasan"),
            {"fields": [("size_class", "latest_figures_year"), ("created_at", "updated_at")], "classes": ["collapse"]},
        ),
        (_("Riwayat pembinaan dan bantuan"), {"fields": ["support_history"]}),
    ]

    # --- list ----------------------------------------------------------------------------------------------
    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        scope = scope_region_code(request.user)
        if scope is not None and scope.count(".") == 0 and "location" in columns:
            # Province and national staff need the kab/kota too (one more joined table, still one query).
            columns.insert(columns.index("location") + 1, "regency_name")
        return columns

    def get_list_select_related(self, request):
        related = list(super().get_list_select_related(request))
        scope = scope_region_code(request.user)
        if scope is not None and scope.count(".") == 0:
            related.append("regency")
        return related

    @admin.display(description=_("kelurahan/desa, kecamatan"), ordering="village__name")
    def location(self, obj):
        return f"{obj.village.name}, {obj.district.name}"

    @admin.display(description=_("kabupaten/kota"), ordering="regency__name")
    def regency_name(self, obj):
        return obj.regency.name

    @admin.display(description=_("NIK pemilik"))
    def owner_nik_masked_display(self, obj):
        return obj.owner_nik_masked or "—"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        # A whole IKM code or NIB, as staff copy it from a letter or from OSS, finds its unit through the column's
        # unique index. Searched as text beside the names it read every unit in scope: 1.4 s at a million
        # units for a national account (bench/bench_admin.py).
        if REGISTRY_CODE.match(term):
            return queryset.filter(registry_code=term.upper()), False
        digits = personal_data.normalize_nik(term)  # spaces, dots and dashes dropped, as staff type numbers
        if NIB_DIGITS.match(digits):
            return queryset.filter(nib=digits), False
        # An exact NIK finds its unit through the keyed hash; the NIK itself is never searchable text.
        if NIK_DIGITS.match(digits):
            return queryset.with_nik(digits), False
        if connections[queryset.db].vendor == "postgresql":
            condition = staff_search_q(term)
            return (queryset if condition is None else queryset.filter(condition)), False
        return super().get_search_results(request, queryset, search_term)  # SQLite: a scan, as small as its office

    # --- form ----------------------------------------------------------------------------------------------
    def _is_view_only(self, request, obj) -> bool:
        if obj is None:
            return not self.has_add_permission(request)
        return not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        hide = set()
        swap = {}
        if self._is_view_only(request, obj):
            hide |= {"owner_nik_input", "clear_owner_nik"}
            if not can_see_personal_data(request.user):
                swap = {"owner_phone": "owner_phone_masked_display", "owner_email": "owner_email_masked_display"}
        if obj is None:
            hide |= {"clear_owner_nik", "owner_nik_display", "registry_code", "verification_status", "return_reason"}
            hide |= {"verified_by", "verified_at", "support_history"}
        elif not obj.owner_nik_encrypted:
            hide.add("clear_owner_nik")
        return _rewrite_fieldsets(super().get_fieldsets(request, obj), hide, swap)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description=_("pembinaan, bantuan, OVOP dan sentra"))
    def support_history(self, obj):
        # Read-only, in date order; built by ikm_registry.support_history.
        return render_support_history(obj) if obj and obj.pk else "—"

    @admin.display(description=_("NIK pemilik tersimpan"))
    def owner_nik_display(self, obj):
        return obj.owner_nik_masked if obj and obj.owner_nik_encrypted else "—"

    @admin.display(description=_("telepon pemilik"))
    def owner_phone_masked_display(self, obj):
        return personal_data.mask_phone(obj.owner_phone) or "—"

    @admin.display(description=_("email"))
    def owner_email_masked_display(self, obj):
        return personal_data.mask_email(obj.owner_email) or "—"

    @admin.display(description=_("kecamatan, kabupaten/kota, provinsi"))
    def region_display(self, obj):
        if not obj or not obj.village_id:
            return _("terisi otomatis dari kelurahan/desa")
        return obj.village.path or obj.village.name

    def save_model(self, request, obj, form, change):
        if change:
            current = IKMUnit.objects.filter(pk=obj.pk).values(
                "owner_nik_encrypted", "owner_nik_hash", *WORKFLOW_FIELDS
            )
            current = current.first()
            if current is not None:
                # A history revert brings back old values of everything; NIK (never in history) and the
                # workflow state stay as they are now. A normal form never edits them anyway.
                for name in WORKFLOW_FIELDS:
                    setattr(obj, name, current[name])
                if not form.nik_changed():
                    obj.owner_nik_encrypted = current["owner_nik_encrypted"]
                    obj.owner_nik_hash = current["owner_nik_hash"]
                if form.has_changed():
                    self._require_reverification(request, obj)
        super().save_model(request, obj, form, change)
        if getattr(form, "nik_warning", None):
            self.message_user(request, form.nik_warning, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            obj = form.instance
            if self._require_reverification(request, obj):
                obj._change_reason = gettext("Data tahunan/produk/sertifikat diubah: perlu verifikasi ulang")
                obj.save()

    def _require_reverification(self, request, obj) -> bool:
        """Verified data is what the public and reports see: a change by someone who may not verify sends the
        unit back to the verifier instead of publishing unverified figures."""
        if obj.verification_status != VerificationStatus.VERIFIED or request.user.has_perm(VERIFY_IKMUNIT):
            return False
        obj.submit()
        self.message_user(
            request,
            gettext("Data %(unit)s berubah: statusnya kini Diajukan dan perlu diverifikasi ulang.") % {"unit": obj},
            messages.WARNING,
        )
        return True

    # --- actions -------------------------------------------------------------------------------------------
    def has_verify_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(VERIFY_IKMUNIT)

    def _apply(self, request, queryset, allowed_states, change, message, reason=""):
        done = skipped = 0
        with transaction.atomic():
            # The action queryset is the scoped change-list queryset; select_for_update keeps two verifiers
            # from acting on the same rows at once.
            for unit in queryset.select_for_update(of=("self",)):
                if unit.verification_status not in allowed_states:
                    skipped += 1
                    continue
                change(unit)
                unit._history_user = request.user
                unit._change_reason = reason or message
                unit.save()
                self.log_change(request, unit, message)
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d unit: %(what)s.", "%(count)d unit: %(what)s.", done)
                % {
                    "count": done,
                    "what": message,
                },
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d unit dilewati karena statusnya tidak sesuai.",
                    "%(count)d unit dilewati karena statusnya tidak sesuai.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Ajukan untuk verifikasi"), permissions=["change"])
    def submit_units(self, request, queryset):
        self._apply(
            request,
            queryset,
            {VerificationStatus.DRAFT, VerificationStatus.RETURNED},
            lambda unit: unit.submit(),
            gettext("diajukan untuk verifikasi"),
        )

    @admin.action(description=_("Verifikasi"), permissions=["verify"])
    def verify_units(self, request, queryset):
        self._apply(
            request,
            queryset,
            {VerificationStatus.SUBMITTED},
            lambda unit: unit.verify(request.user),
            gettext("diverifikasi"),
        )

    @admin.action(description=_("Kembalikan dengan alasan"), permissions=["verify"])
    def return_units(self, request, queryset):
        form = ReturnReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply(
                request,
                queryset,
                {VerificationStatus.SUBMITTED, VerificationStatus.VERIFIED},
                lambda unit: unit.return_for_correction(reason),
                gettext("dikembalikan untuk diperbaiki"),
                reason=gettext("Dikembalikan: %(reason)s") % {"reason": reason},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Kembalikan unit IKM dengan alasan"),
            "opts": self.opts,
            "form": form,
            "units": queryset.select_related("village")[:200],
            "unit_count": queryset.count(),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/ikm_registry/ikmunit/return_reason.html", context)

    # --- the logged NIK view -------------------------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/nik/",
                self.admin_site.admin_view(self.reveal_nik_view),
                name="{}_{}_reveal_nik".format(*info),
            ),
            *super().get_urls(),
        ]

    def reveal_nik_view(self, request, object_id):
        """Shows one unit's whole NIK after the user states a purpose; every showing is logged."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("Unit IKM tidak ditemukan."))
        if not can_see_personal_data(request.user):
            raise PermissionDenied
        nik = ""
        if request.method == "POST":
            form = RevealNIKForm(request.POST)
            if form.is_valid() and obj.owner_nik_encrypted:
                NIKAccessLog.objects.create(
                    user=request.user,
                    unit=obj,
                    purpose=form.cleaned_data["purpose"],
                    ip_address=request.META.get("REMOTE_ADDR") or None,
                )
                nik = obj.owner_nik
        else:
            form = RevealNIKForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("NIK pemilik %(unit)s") % {"unit": obj},
            "opts": self.opts,
            "original": obj,
            "form": form,
            "nik": nik,
            "has_nik": bool(obj.owner_nik_encrypted),
            "masked": obj.owner_nik_masked,
        }
        # admin_view() already marks the response never-cache (no-store): the NIK stays out of browser caches.
        return TemplateResponse(request, "admin/ikm_registry/ikmunit/reveal_nik.html", context)

    # --- history: scoped, masked, and undo of a delete -----------------------------------------------------
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Scope first (RegionScopedAdmin.history_in_scope), then the undo of a delete.
        if not self.history_in_scope(request, object_id):
            raise Http404(gettext("Unit IKM tidak ditemukan."))
        pk = int(unquote(object_id))
        if not IKMUnit.objects.filter(pk=pk).exists():
            # Undo of a delete: only those who may delete may bring a unit back, with its child records.
            if request.method == "POST":
                if not self.has_delete_permission(request):
                    raise PermissionDenied
                return self._restore_response(request, pk)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        if obj is not None and obj.pk and not IKMUnit.objects.filter(pk=obj.pk).exists():
            return not self.has_delete_permission(request)
        return super().revert_disabled(request, obj)

    def _restore_response(self, request, pk):
        try:
            unit, children = restore_deleted_unit(pk, request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:ikm_registry_ikmunit_history", args=[pk]))
        self.log_change(request, unit, gettext("Dipulihkan dari riwayat"))
        self.message_user(
            request,
            gettext(
                "%(unit)s dipulihkan beserta %(count)d data terkait. NIK pemilik tidak disimpan dalam riwayat:"
                " isi kembali bila perlu."
            )
            % {"unit": unit, "count": children},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:ikm_registry_ikmunit_change", args=[unit.pk]))

    def get_historical_record_context_helper(self, request, historical_record):
        if can_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedHistoryContextHelper(self.model, historical_record)


def _rewrite_fieldsets(fieldsets, hide: set[str], swap: dict[str, str]):
    """Fieldsets with some field names dropped or replaced (rows given as tuples keep their shape)."""
    result = []
    for title, options in fieldsets:
        rows = []
        for row in options.get("fields", []):
            if isinstance(row, (list, tuple)):
                names = tuple(swap.get(name, name) for name in row if name not in hide)
                if names:
                    rows.append(names if len(names) > 1 else names[0])
            elif row not in hide:
                rows.append(swap.get(row, row))
        if rows:
            result.append((title, {**options, "fields": rows}))
    return result


class DeletedFilter(admin.SimpleListFilter):
    title = _("jenis perubahan")
    parameter_name = "jenis"

    def lookups(self, request, model_admin):
        return [("+", _("Dibuat")), ("~", _("Diubah")), ("-", _("Dihapus"))]

    def queryset(self, request, queryset):
        return queryset.filter(history_type=self.value()) if self.value() else queryset


@admin.register(IKMUnit.history.model)
class IKMUnitHistoryAdmin(admin.ModelAdmin):
    """Every create, change and delete of IKM units in the user's region, newest first; deleted units can be
    brought back from here by those who may delete."""

    list_display = [
        "history_date",
        "history_type_display",
        "registry_code",
        "business_name",
        "history_user",
        "history_change_reason",
    ]
    list_filter = [DeletedFilter]
    list_select_related = ["history_user"]
    search_fields = ["business_name", "=registry_code"]
    ordering = ["-history_date", "-history_id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["restore_deleted"]
    list_display_links = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scope_region_code(request.user)
        if scope is None:
            return queryset.none()
        if scope:
            from ikm_registry.models.scoping import region_level_q

            queryset = queryset.filter(region_level_q(scope))
        return queryset

    def get_urls(self):
        # Only the list: a version opens on the unit's own history page, where scope and masking apply.
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="{}_{}_changelist".format(*info))]

    def has_module_permission(self, request):
        return request.user.has_perm("ikm_registry.view_ikmunit")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("ikm_registry.view_ikmunit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return request.user.has_perm("ikm_registry.delete_ikmunit")

    @admin.display(description=_("perubahan"), ordering="history_type")
    def history_type_display(self, obj):
        url = reverse("admin:ikm_registry_ikmunit_history", args=[obj.id])
        return format_html('<a href="{}">{}</a>', url, obj.get_history_type_display())

    @admin.action(description=_("Pulihkan unit yang terhapus"), permissions=["restore"])
    def restore_deleted(self, request, queryset):
        restored = 0
        for unit_id in sorted({row.id for row in queryset.filter(history_type="-")}):
            if deleted_unit_record(unit_id) is None:
                continue
            try:
                unit, _children = restore_deleted_unit(unit_id, request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            restored += 1
        self.message_user(
            request,
            ngettext("%(count)d unit dipulihkan.", "%(count)d unit dipulihkan.", restored) % {"count": restored},
            messages.SUCCESS if restored else messages.WARNING,
        )
