"""Background work for imports and exports, run by `python manage.py db_worker` (django-tasks, database
backend): validating and committing large files, building large XLSX exports."""

from django_tasks import task

from ikm_registry.models import ExportJob, ImportJob, ImportState


@task()
def validate_import(job_id: int) -> None:
    from ikm_registry.imports.jobs import validate_job

    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None and job.confirmed_at is None and job.state in (ImportState.QUEUED, ImportState.VALIDATING):
        validate_job(job)


@task()
def commit_import(job_id: int) -> None:
    from ikm_registry.imports.jobs import commit_job

    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    # Only a confirmed, still queued job: a task delivered twice must not import twice.
    if job is not None and job.confirmed_at is not None and job.state == ImportState.QUEUED:
        commit_job(job)


@task()
def build_export(job_id: int) -> None:
    from ikm_registry.imports.exports import build_export as build

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is not None:
        build(job)
