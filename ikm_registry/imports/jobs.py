"""An uploaded file's life in the admin: upload, validate (in the request when small, else in the worker),
confirm, commit (likewise), with its state and progress on the ImportJob row.

A commit runs in one transaction, so progress written to the job row by the same connection would stay
invisible until the end; while importing, progress goes to a small file beside the upload instead.
"""

import json
import logging
import os
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ikm_registry.imports.errors_file import failed_rows_xlsx
from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import, tidy_after_import
from ikm_registry.models import ImportJob, ImportState, scope_region_code

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def background_threshold() -> int:
    return settings.IMPORT_BACKGROUND_THRESHOLD


def estimate_rows(fileobj, name: str) -> int:
    """Data rows in a file without parsing it: newlines of a CSV, <row> elements of an XLSX sheet."""
    head = fileobj.read(4)
    fileobj.seek(0)
    count = 0
    if head == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(fileobj) as archive:
                sheets = sorted(n for n in archive.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
                if sheets:
                    tail = b""
                    with archive.open(sheets[0]) as sheet:
                        while chunk := sheet.read(1 << 20):
                            data = tail + chunk
                            count += len(re.findall(rb"<(?:\w+:)?row[\s>]", data))
                            tail = data[-16:]
                            count -= len(re.findall(rb"<(?:\w+:)?row[\s>]", tail))
        except zipfile.BadZipFile:
            count = 0
    else:
        while chunk := fileobj.read(1 << 20):
            count += chunk.count(b"\n")
        fileobj.seek(-1, os.SEEK_END)
        if fileobj.read(1) != b"\n":
            count += 1
    fileobj.seek(0)
    return max(count - 1, 0)


def create_job(kind_code: str, upload, user, verify: bool = False) -> ImportJob:
    name = os.path.basename(upload.name)
    job = ImportJob(
        kind=kind_code,
        original_name=name,
        user=user,
        scope_code=scope_region_code(user) or "",
        verify=verify,
        state=ImportState.QUEUED,
    )
    job.total_rows = estimate_rows(upload, name)
    job.file.save(get_valid_filename(name) or "berkas", upload, save=False)
    job.save()
    return job


def is_small(job: ImportJob) -> bool:
    return job.total_rows <= background_threshold()


def start_validation(job: ImportJob) -> None:
    """Validate now when the file is small; otherwise queue it for the worker."""
    if is_small(job):
        validate_job(job)
    else:
        from ikm_registry.imports.tasks import validate_import

        transaction.on_commit(lambda: validate_import.enqueue(job.pk))


def confirm(job: ImportJob) -> None:
    """The uploader confirmed a validated file: write it now when small, else in the worker."""
    job.confirmed_at = timezone.now()
    if is_small(job):
        job.save(update_fields=["confirmed_at"])
        commit_job(job)
    else:
        job.state = ImportState.QUEUED
        job.processed_rows = 0
        job.save(update_fields=["confirmed_at", "state", "processed_rows"])
        from ikm_registry.imports.tasks import commit_import

        transaction.on_commit(lambda: commit_import.enqueue(job.pk))


# --- the two passes ----------------------------------------------------------------------------------------


def validate_job(job: ImportJob) -> None:
    _set_state(job, ImportState.VALIDATING)

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows)

    try:
        with job.file.open("rb") as handle:
            report = run_import(
                KINDS[job.kind], handle, job.original_name, job.user, commit=False, verify=job.verify, progress=progress
            )
    except Exception as exc:  # the job must never stay "validating" forever
        logger.exception("Validasi impor %s gagal", job.pk)
        _fail(job, _("Kesalahan sistem saat memvalidasi: %(error)s") % {"error": exc})
        return
    job.summary = report.as_dict()
    job.total_rows = report.total_rows
    job.processed_rows = report.total_rows
    if report.has_errors:
        job.state = ImportState.FAILED
        job.error_message = _("%(n)s galat ditemukan: tidak ada data yang disimpan.") % {"n": report.error_count}
        _attach_error_file(job, report)
    else:
        job.state = ImportState.READY
        job.error_message = ""
    job.save()


def commit_job(job: ImportJob) -> None:
    _set_state(job, ImportState.IMPORTING)
    progress_path = progress_file(job)

    def progress(rows: int) -> None:
        _write_progress(progress_path, rows)

    try:
        with job.file.open("rb") as handle:
            report = run_import(
                KINDS[job.kind], handle, job.original_name, job.user, commit=True, verify=job.verify, progress=progress
            )
    except Exception as exc:
        logger.exception("Impor %s gagal", job.pk)
        _fail(job, _("Kesalahan sistem saat mengimpor; tidak ada data yang disimpan: %(error)s") % {"error": exc})
        return
    finally:
        progress_path.unlink(missing_ok=True)
    job.summary = report.as_dict()
    job.processed_rows = report.total_rows
    job.finished_at = timezone.now()
    if report.committed:
        job.state = ImportState.DONE
        job.error_message = ""
    else:
        # Data changed between the preview and the confirmation (e.g. someone registered the same NIB).
        job.state = ImportState.FAILED
        job.error_message = _("%(n)s galat saat mengimpor: tidak ada data yang disimpan.") % {"n": report.error_count}
        _attach_error_file(job, report)
    job.save()
    tidy_after_import(report)


def _set_state(job: ImportJob, state: str) -> None:
    job.state = state
    job.processed_rows = 0
    ImportJob.objects.filter(pk=job.pk).update(state=state, processed_rows=0)


def _fail(job: ImportJob, message: str) -> None:
    job.state = ImportState.FAILED
    job.error_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error_message", "finished_at"])


def _attach_error_file(job: ImportJob, report) -> None:
    rows = report.error_rows()
    if not any(number > 1 for number in rows):
        return
    with job.file.open("rb") as handle:
        content = failed_rows_xlsx(handle, job.original_name, rows)
    stem = Path(get_valid_filename(job.original_name)).stem or "berkas"
    job.error_file.save(f"{stem}_baris_bermasalah.xlsx", ContentFile(content), save=False)


# --- progress while importing ------------------------------------------------------------------------------


def progress_file(job: ImportJob) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "progress" / f"import-{job.pk}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write_progress(path: Path, rows: int) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"processed_rows": rows}))
    temporary.replace(path)


def current_progress(job: ImportJob) -> int:
    if job.state == ImportState.IMPORTING:
        try:
            return int(json.loads(progress_file(job).read_text())["processed_rows"])
        except (OSError, ValueError, KeyError):
            return 0
    return job.processed_rows


def status(job: ImportJob) -> dict:
    """What the job page polls: state, its label, progress."""
    processed = current_progress(job)
    total = job.total_rows
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "confirmed": job.confirmed_at is not None,
        "processed_rows": processed,
        "total_rows": total,
        "percent": min(100, int(100 * processed / total)) if total else 0,
        "finished": job.state in (ImportState.READY, ImportState.DONE, ImportState.FAILED),
    }
