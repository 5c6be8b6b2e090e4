"""The admin's door to imports and exports.

`ImportExportAdminMixin` goes on a change list's ModelAdmin (IKM units, sentra, activities, equipment,
OVOP ratings, field officers): it adds the "Impor" and "Ekspor" links, the upload page with the templates,
and the export of the current filtered rows. Uploaded files become ImportJobs, shown and confirmed on the
ImportJob pages below; large XLSX exports become ExportJobs built by the worker.
"""

import os

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ikm_registry.imports import exports, jobs
from ikm_registry.imports.ikm import VERIFY_PERMISSION
from ikm_registry.imports.kinds import KINDS, Kind, kind_for_model
from ikm_registry.imports.template_files import template_csv, template_xlsx
from ikm_registry.models import ExportJob, ExportState, ImportJob, ImportState

ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        help_text=_("Gunakan templat. CSV boleh dipisah koma atau titik koma, UTF-8 atau dari Excel."),
    )
    verify = forms.BooleanField(
        label=_("Tandai semua baris terverifikasi"),
        required=False,
        help_text=_("Hanya untuk verifikator: data yang diimpor langsung berstatus terverifikasi."),
    )

    def __init__(self, *args, can_verify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_verify:
            del self.fields["verify"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(gettext("Unggah berkas .xlsx atau .csv (Excel: Simpan Sebagai)."))
        if upload.size > jobs.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("Berkas terlalu besar (maksimal %(mb)s MB): bagi menjadi beberapa berkas.")
                % {"mb": jobs.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class ImportExportAdminMixin:
    """Import page, templates and export for a change list. The model's kind comes from imports.kinds."""

    change_list_template = "admin/imports/change_list.html"

    @property
    def import_kind(self) -> Kind:
        return kind_for_model(self.model)

    # --- permissions ---------------------------------------------------------------------------------------
    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("ikm_registry.add_importjob") and (
            self.has_add_permission(request) or self.has_change_permission(request)
        )

    def has_export_permission(self, request) -> bool:
        return self.has_view_or_change_permission(request)

    def get_valid_export_item_pks(self, request):
        # Should django-import-export's own export action ever be mixed in: never every pk of the table.
        return self.get_queryset(request).values_list("pk", flat=True)

    # --- urls ----------------------------------------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("impor/", wrap(self.import_view), name=f"{info[0]}_{info[1]}_import"),
            path("impor/templat.<str:fmt>", wrap(self.template_view), name=f"{info[0]}_{info[1]}_import_template"),
            path("ekspor/", wrap(self.export_view), name=f"{info[0]}_{info[1]}_export"),
            *super().get_urls(),
        ]

    def _url(self, name: str, **kwargs) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", kwargs=kwargs or None)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_import_permission(request):
            extra_context["import_url"] = self._url("import")
        if self.has_export_permission(request):
            query = request.GET.urlencode()
            extra_context["export_url"] = self._url("export") + (f"?{query}" if query else "")
        return super().changelist_view(request, extra_context)

    # --- import ----------------------------------------------------------------------------------------------
    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = self.import_kind
        can_verify = kind.verifiable and request.user.has_perm(VERIFY_PERMISSION)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES, can_verify=can_verify)
            if form.is_valid():
                job = jobs.create_job(
                    kind.code, form.cleaned_data["file"], request.user, form.cleaned_data.get("verify", False)
                )
                jobs.start_validation(job)
                return HttpResponseRedirect(reverse("admin:ikm_registry_importjob_change", args=[job.pk]))
        else:
            form = UploadForm(can_verify=can_verify)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Impor %(kind)s") % {"kind": kind.label},
            "kind": kind,
            "form": form,
            "columns": kind.columns,
            "template_xlsx_url": self._url("import_template", fmt="xlsx"),
            "template_csv_url": self._url("import_template", fmt="csv"),
            "changelist_url": self._url("changelist"),
            "recent_jobs": ImportJob.objects.for_user(request.user).filter(kind=kind.code).select_related("user")[:10],
            "threshold": jobs.background_threshold(),
        }
        return TemplateResponse(request, "admin/imports/import.html", context)

    def template_view(self, request, fmt: str):
        if not self.has_import_permission(request) and not self.has_export_permission(request):
            raise PermissionDenied
        kind = self.import_kind
        if fmt == "xlsx":
            response = HttpResponse(template_xlsx(kind), content_type=exports.XLSX)
        elif fmt == "csv":
            response = HttpResponse(
                template_csv(kind, request.GET.get("sep", ";")[:1] or ";"), content_type="text/csv; charset=utf-8"
            )
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="templat_{kind.code}.{fmt}"'
        return response

    # --- export ----------------------------------------------------------------------------------------------
    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        kind = self.import_kind
        query = exports.changelist_query(request)
        try:
            queryset = exports.filtered_queryset(self, request, query)
        except IncorrectLookupParameters:
            messages.error(request, gettext("Filter tidak dikenali; ekspor dibatalkan."))
            return redirect(self._url("changelist"))
        fmt = request.GET.get("_format")
        if fmt == "csv":
            delimiter = "," if request.GET.get("_sep") == "comma" else ";"
            return exports.csv_response(kind, queryset, request.user, delimiter)
        total = queryset.count()
        if fmt == "xlsx":
            if total <= exports.inline_xlsx_limit():
                return exports.xlsx_response(kind, queryset, request.user)
            job = exports.create_export_job(kind, request.user, query, total)
            from ikm_registry.imports.tasks import build_export

            build_export.enqueue(job.pk)
            return HttpResponseRedirect(reverse("admin:ikm_registry_exportjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ekspor %(kind)s") % {"kind": kind.label},
            "kind": kind,
            "total": total,
            "query": query.urlencode(),
            "filtered": bool(query),
            "changelist_url": self._url("changelist") + (f"?{query.urlencode()}" if query else ""),
            "export_url": self._url("export"),
            "personal": exports.include_personal(request.user),
            "background": total > exports.inline_xlsx_limit(),
        }
        return TemplateResponse(request, "admin/imports/export.html", context)


# --- the import jobs ---------------------------------------------------------------------------------------


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Uploaded files: state, progress, preview, confirmation, failed rows. Scoped to the uploader's region."""

    list_display = ["original_name", "kind", "state", "total_rows", "user", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    search_fields = ["original_name"]
    list_select_related = ["user"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", wrap(self.status_view), name="ikm_registry_importjob_status"),
            path("<int:pk>/konfirmasi/", wrap(self.confirm_view), name="ikm_registry_importjob_confirm"),
            path("<int:pk>/baris-bermasalah/", wrap(self.errors_view), name="ikm_registry_importjob_errors"),
            path("<int:pk>/berkas/", wrap(self.file_view), name="ikm_registry_importjob_file"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> ImportJob:
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = self.get_queryset(request).select_related("user").filter(pk=pk).first()
        if job is None:
            raise Http404
        return job

    def can_confirm(self, request, job: ImportJob) -> bool:
        return job.state == ImportState.READY and job.confirmed_at is None and job.user_id == request.user.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, unquote(object_id))
        kind = KINDS[job.kind]
        summary = job.summary or {}
        model_opts = kind.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Impor: %(file)s") % {"file": job.original_name},
            "job": job,
            "kind": kind,
            "status": jobs.status(job),
            "summary": summary,
            "counts": summary.get("counts", {}),
            "samples": summary.get("samples", {}),
            "errors": summary.get("errors", []),
            "warnings": summary.get("warnings", []),
            "can_confirm": self.can_confirm(request, job),
            "status_url": reverse("admin:ikm_registry_importjob_status", args=[job.pk]),
            "confirm_url": reverse("admin:ikm_registry_importjob_confirm", args=[job.pk]),
            "errors_url": reverse("admin:ikm_registry_importjob_errors", args=[job.pk])
            if job.error_file and self.may_download(request, job)
            else "",
            "file_url": reverse("admin:ikm_registry_importjob_file", args=[job.pk])
            if self.may_download(request, job)
            else "",
            "import_url": reverse(f"admin:{model_opts.app_label}_{model_opts.model_name}_import"),
            "changelist_url": reverse(f"admin:{model_opts.app_label}_{model_opts.model_name}_changelist"),
            "in_progress": job.state in (ImportState.QUEUED, ImportState.VALIDATING, ImportState.IMPORTING),
        }
        return TemplateResponse(request, "admin/imports/job.html", context)

    def status_view(self, request, pk):
        return JsonResponse(jobs.status(self._job(request, pk)))

    def confirm_view(self, request, pk):
        return require_POST(self._confirm)(request, pk)

    def _confirm(self, request, pk):
        job = self._job(request, pk)
        if not self.can_confirm(request, job):
            messages.error(
                request,
                gettext("Berkas ini tidak dapat dikonfirmasi (hanya pengunggah, setelah validasi tanpa galat)."),
            )
        else:
            jobs.confirm(job)
            job.refresh_from_db()
            if job.state == ImportState.DONE:
                messages.success(request, gettext("Impor selesai: data tersimpan."))
        return HttpResponseRedirect(reverse("admin:ikm_registry_importjob_change", args=[job.pk]))

    def may_download(self, request, job: ImportJob) -> bool:
        # The files hold personal data (NIK, phone): the uploader, or roles that may see it.
        return job.user_id == request.user.pk or request.user.has_perm(exports.PERSONAL_PERMISSION)

    def errors_view(self, request, pk):
        job = self._job(request, pk)
        if not self.may_download(request, job):
            raise PermissionDenied
        if not job.error_file:
            raise Http404
        return FileResponse(
            job.error_file.open("rb"), as_attachment=True, filename=os.path.basename(job.error_file.name)
        )

    def file_view(self, request, pk):
        job = self._job(request, pk)
        if not self.may_download(request, job):
            raise PermissionDenied
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.original_name)


# --- large exports -----------------------------------------------------------------------------------------


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """XLSX exports built by the worker. A file may hold personal data: only the person who asked sees it."""

    list_display = ["__str__", "kind", "state", "total_rows", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", wrap(self.status_view), name="ikm_registry_exportjob_status"),
            path("<int:pk>/unduh/", wrap(self.download_view), name="ikm_registry_exportjob_download"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> ExportJob:
        job = self.get_queryset(request).filter(user=request.user).filter(pk=pk).first()
        if job is None:
            raise Http404
        return job

    def _status(self, job: ExportJob) -> dict:
        return {
            "state": job.state,
            "state_label": str(job.get_state_display()),
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "percent": job.progress_percent,
            "confirmed": False,
            "finished": job.state in (ExportState.DONE, ExportState.FAILED),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, unquote(object_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ekspor: %(job)s") % {"job": job},
            "job": job,
            "status": self._status(job),
            "status_url": reverse("admin:ikm_registry_exportjob_status", args=[job.pk]),
            "download_url": reverse("admin:ikm_registry_exportjob_download", args=[job.pk]) if job.file else "",
            "in_progress": job.state in (ExportState.QUEUED, ExportState.BUILDING),
        }
        return TemplateResponse(request, "admin/imports/export_job.html", context)

    def status_view(self, request, pk):
        return JsonResponse(self._status(self._job(request, pk)))

    def download_view(self, request, pk):
        job = self._job(request, pk)
        if not job.file:
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=os.path.basename(job.file.name))
