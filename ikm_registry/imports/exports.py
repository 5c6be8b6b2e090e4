"""Exports of an admin change list: the rows its filters and search select (never one page, never outside the
user's region), in the template's columns, as CSV (streamed) or XLSX (in the request when small, else built
by the worker with openpyxl's write-only mode)."""

import copy
import io
import logging

from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry.imports.kinds import KINDS, Kind
from ikm_registry.imports.resources import resource_for
from ikm_registry.imports.writers import stream_csv, write_xlsx
from ikm_registry.models import ExportJob, ExportState, scope_region_code

logger = logging.getLogger(__name__)

PERSONAL_PERMISSION = "ikm_registry.view_owner_nik"
# The export page's own parameters, removed before the change list reads its filters.
EXPORT_PARAMS = ("_format", "_sep", "_go")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inline_xlsx_limit() -> int:
    return getattr(settings, "EXPORT_BACKGROUND_THRESHOLD", max(settings.IMPORT_BACKGROUND_THRESHOLD, 5000))


def changelist_query(request) -> QueryDict:
    query = request.GET.copy()
    for name in EXPORT_PARAMS:
        query.pop(name, None)
    return query


def filtered_queryset(model_admin, request, query: QueryDict):
    """The change list's queryset for these filters: region scope, filters, search and ordering applied."""
    listing = copy.copy(request)
    listing.GET = query
    changelist = model_admin.get_changelist_instance(listing)
    return changelist.get_queryset(listing)


def include_personal(user) -> bool:
    return user.has_perm(PERSONAL_PERMISSION)


def file_name(kind: Kind, extension: str) -> str:
    return f"{kind.code}_{timezone.localtime():%Y%m%d_%H%M}.{extension}"


def csv_response(kind: Kind, queryset, user, delimiter: str) -> StreamingHttpResponse:
    name = file_name(kind, "csv")
    resource = resource_for(kind.code, user, include_personal(user), purpose=_("ekspor %(file)s") % {"file": name})
    response = StreamingHttpResponse(
        stream_csv(resource.headers(), resource.iter_rows(queryset), delimiter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_bytes(kind: Kind, queryset, user, name: str, progress=None) -> bytes:
    resource = resource_for(kind.code, user, include_personal(user), purpose=_("ekspor %(file)s") % {"file": name})
    headers = resource.headers()
    buffer = io.BytesIO()
    dates = [i for i, h in enumerate(headers) if h.startswith("tanggal")]
    write_xlsx(buffer, headers, resource.iter_rows(queryset, progress=progress), title=kind.code, date_columns=dates)
    return buffer.getvalue()


def xlsx_response(kind: Kind, queryset, user) -> HttpResponse:
    name = file_name(kind, "xlsx")
    response = HttpResponse(xlsx_bytes(kind, queryset, user, name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- in the worker -------------------------------------------------------------------------------------------


def create_export_job(kind: Kind, user, query: QueryDict, total: int) -> ExportJob:
    return ExportJob.objects.create(
        kind=kind.code,
        user=user,
        scope_code=scope_region_code(user) or "",
        query_string=query.urlencode(),
        total_rows=total,
    )


def build_export(job: ExportJob) -> None:
    """Replay the change list's filters for the job's user and write the XLSX file."""
    kind = KINDS[job.kind]
    model_admin = admin.site._registry[kind.model]
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.BUILDING, processed_rows=0)
    try:
        request = RequestFactory().get("/", data=QueryDict(job.query_string))
        request.user = job.user
        queryset = filtered_queryset(model_admin, request, QueryDict(job.query_string))
        name = file_name(kind, "xlsx")

        def progress(rows: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(processed_rows=rows)

        content = xlsx_bytes(kind, queryset, job.user, name, progress=progress)
    except Exception as exc:
        logger.exception("Ekspor %s gagal", job.pk)
        job.state = ExportState.FAILED
        job.error_message = _("Kesalahan sistem saat membuat berkas: %(error)s") % {"error": exc}
        job.finished_at = timezone.now()
        job.save()
        return
    job.file.save(name, ContentFile(content), save=False)
    job.state = ExportState.DONE
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save()
