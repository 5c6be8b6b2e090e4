from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def refresh_rollups_after_import(sender, instance, **kwargs) -> None:
    """Once an import is done, recount the province rollups it made stale in the background."""
    from ikm_registry.models import ImportState
    from reports import rollups

    if instance.state == ImportState.DONE and rollups.supported():
        from reports.tasks import refresh_report_rollups

        transaction.on_commit(refresh_report_rollups.enqueue)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The imports engine knows nothing of reports; its finished jobs are the cue to warm the rollups.
        post_save.connect(
            refresh_rollups_after_import, sender="ikm_registry.ImportJob", dispatch_uid="reports_rollups_after_import"
        )
