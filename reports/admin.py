"""Staff side of reports: generate any region and year within one's scope, preview, download, publish."""

import json
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikm_registry.formatting import format_date
from ikm_registry.models import scope_region_code
from reports.aggregates import district_report
from reports.exporters import CONTENT_TYPES, filename, render
from reports.exporters.html_export import report_context
from reports.forms import PublishForm, ReportRequestForm
from reports.models import FORMATS, ReportSnapshot
from reports.snapshots import publish


class CurrentFilter(admin.SimpleListFilter):
    title = gettext_lazy("versi")
    parameter_name = "versi"

    def lookups(self, request, model_admin):
        return [("terkini", gettext_lazy("Terkini")), ("digantikan", gettext_lazy("Digantikan"))]

    def queryset(self, request, queryset):
        if self.value() == "terkini":
            return queryset.current()
        if self.value() == "digantikan":
            return queryset.filter(superseded_at__isnull=False)
        return queryset


def file_links(snapshot: ReportSnapshot):
    return format_html_join(
        " · ",
        '<a href="{}">{}</a>',
        ((reverse("reports:file", args=[snapshot.pk, fmt]), fmt.upper()) for fmt in FORMATS),
    )


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    """Published reports are read-only: a correction is published as a new snapshot that supersedes."""

    list_display = ("region_label", "report_year", "published_at", "published_by_name", "version", "files")
    list_filter = (CurrentFilter, "year")
    search_fields = ("region_name", "region_code")
    list_select_related = ("superseded_by",)
    show_full_result_count = False
    fields = (
        "region_label",
        "report_year",
        "published_at",
        "published_by_name",
        "note",
        "version",
        "files",
        "figures_pretty",
    )
    readonly_fields = fields
    change_list_template = "admin/reports/reportsnapshot/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        # Snapshots are made by publishing from the "Buat laporan" page, never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("wilayah"), ordering="region_code")
    def region_label(self, obj: ReportSnapshot) -> str:
        return f"{obj.region_name} ({obj.region_code})"

    @admin.display(description=gettext_lazy("tahun"), ordering="year")
    def report_year(self, obj: ReportSnapshot) -> str:
        # A year, not a quantity: no thousands separator.
        return str(obj.year)

    @admin.display(description=gettext_lazy("versi"))
    def version(self, obj: ReportSnapshot):
        if not obj.is_superseded:
            return _("Terkini")
        when = format_date(timezone.localtime(obj.superseded_at))
        if obj.superseded_by_id:
            url = reverse("admin:reports_reportsnapshot_change", args=[obj.superseded_by_id])
            return format_html(
                '{} <a href="{}">{}</a>',
                _("Digantikan %(date)s oleh") % {"date": when},
                url,
                f"#{obj.superseded_by_id}",
            )
        return _("Digantikan %(date)s") % {"date": when}

    @admin.display(description=gettext_lazy("berkas"))
    def files(self, obj: ReportSnapshot):
        return file_links(obj)

    @admin.display(description=gettext_lazy("angka laporan"))
    def figures_pretty(self, obj: ReportSnapshot):
        return format_html("<pre>{}</pre>", json.dumps(obj.figures, ensure_ascii=False, indent=2))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_generate": self.can_generate(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path("buat/", self.admin_site.admin_view(self.generate_view), name="reports_reportsnapshot_generate"),
            path("terbitkan/", self.admin_site.admin_view(self.publish_view), name="reports_reportsnapshot_publish"),
            *super().get_urls(),
        ]

    # --- generate, preview, download, publish -----------------------------------------------------------------

    def can_generate(self, request) -> bool:
        user = request.user
        allowed = user.has_perm("reports.view_reportsnapshot") or user.has_perm("reports.add_reportsnapshot")
        return allowed and scope_region_code(user) is not None

    def generate_view(self, request):
        if not self.can_generate(request):
            raise PermissionDenied
        form = ReportRequestForm(request.GET or None, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Buat laporan"),
            "form": form,
            "can_publish": request.user.has_perm("reports.publish_reportsnapshot"),
        }
        if form.is_bound and form.is_valid():
            region, year = form.cleaned_data["region"], form.cleaned_data["year"]
            report = district_report(region, year)
            fmt = request.GET.get("format")
            if fmt in FORMATS:
                response = HttpResponse(render(report, fmt), content_type=CONTENT_TYPES[fmt])
                response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
                return response
            query = {"region": region.code, "year": year}
            context.update(report_context(report))
            context["downloads"] = [(fmt, "?" + urlencode({**query, "format": fmt})) for fmt in FORMATS]
            context["snapshots"] = [
                (snapshot, file_links(snapshot))
                for snapshot in ReportSnapshot.objects.filter(region_code=region.code, year=year).select_related(
                    "superseded_by"
                )
            ]
        return TemplateResponse(request, "admin/reports/reportsnapshot/generate.html", context)

    def publish_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("reports.publish_reportsnapshot") or not self.can_generate(request):
            raise PermissionDenied
        form = PublishForm(request.POST, user=request.user)
        back = reverse("admin:reports_reportsnapshot_generate")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(back)
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        snapshot = publish(region, year, request.user, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("Laporan %(region)s tahun %(year)s diterbitkan. Versi sebelumnya (bila ada) ditandai digantikan.")
            % {"region": snapshot.region_name, "year": year},
        )
        return HttpResponseRedirect(back + "?" + urlencode({"region": region.code, "year": year}))
