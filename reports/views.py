"""Public pages: the latest published report of each region and year, earlier versions, and their files."""

from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.generic import ListView

from reports.exporters import CONTENT_TYPES
from reports.models import FORMATS, ReportSnapshot


def public_base_template() -> str:
    """The site's base.html once the public site is wired in; a minimal page of our own until then."""
    try:
        reverse("public:home")
        get_template("base.html")
    except (NoReverseMatch, TemplateDoesNotExist):
        return "reports/public_base.html"
    return "base.html"


class PublishedReportListView(ListView):
    """Each region's current published report per year, newest year first, filterable by year and region."""

    template_name = "reports/public_list.html"
    context_object_name = "snapshots"
    paginate_by = 50

    def get_queryset(self):
        earlier = (
            ReportSnapshot.objects.filter(
                region_code=OuterRef("region_code"), year=OuterRef("year"), superseded_at__isnull=False
            )
            .order_by()
            .values("region_code")
            .annotate(n=Count("id"))
            .values("n")
        )
        snapshots = ReportSnapshot.objects.current().annotate(
            earlier_versions=Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0))
        )
        year = self.request.GET.get("tahun", "")
        if year.isdigit():
            snapshots = snapshots.filter(year=int(year))
        query = self.request.GET.get("wilayah", "").strip()
        if query:
            snapshots = snapshots.filter(
                Q(region_code=query) | Q(region_code__startswith=query + ".") | Q(region_name__icontains=query)
            )
        return snapshots.order_by("-year", "region_code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.request.GET.get("tahun", "")
        context.update(
            base_template=public_base_template(),
            formats=FORMATS,
            years=ReportSnapshot.objects.current().order_by("-year").values_list("year", flat=True).distinct(),
            selected_year=int(year) if year.isdigit() else None,
            region_query=self.request.GET.get("wilayah", ""),
            query=urlencode({k: v for k, v in self.request.GET.items() if k != "page"}),
        )
        return context


class ReportHistoryView(ListView):
    """Every published version of one region's report for one year, the superseded ones flagged."""

    template_name = "reports/public_history.html"
    context_object_name = "snapshots"

    def get_queryset(self):
        snapshots = ReportSnapshot.objects.filter(region_code=self.kwargs["region_code"], year=self.kwargs["year"])
        if not snapshots.exists():
            raise Http404
        return snapshots.order_by("-published_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            base_template=public_base_template(),
            formats=FORMATS,
            region_name=context["snapshots"][0].region_name,
            year=self.kwargs["year"],
        )
        return context


def snapshot_file(request, pk: int, fmt: str):
    """A published file, exactly as frozen. HTML opens in the browser; the other formats download."""
    if fmt not in FORMATS:
        raise Http404
    snapshot = get_object_or_404(ReportSnapshot, pk=pk)
    stored = snapshot.file_for(fmt)
    if not stored.name or not stored.storage.exists(stored.name):
        raise Http404
    name = f"laporan-ikm-{snapshot.region_code}-{snapshot.year}-v{snapshot.pk}.{fmt}"
    response = FileResponse(stored.open("rb"), as_attachment=fmt != "html", filename=name)
    response["Content-Type"] = CONTENT_TYPES[fmt]
    return response
