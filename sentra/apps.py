from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentraConfig(AppConfig):
    name = "sentra"
    verbose_name = _("Sentra dan kawasan IKM")
    default_auto_field = "django.db.models.BigAutoField"
