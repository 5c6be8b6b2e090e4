"""Background work for reports, run by `python manage.py db_worker`."""

from django_tasks import task

from reports import rollups


@task()
def refresh_report_rollups() -> int:
    """Recount the province rollups an import made stale, so that the next national report is quick.
    (Reports never depend on it: a stale rollup is recounted before use anyway.)"""
    return rollups.refresh()
