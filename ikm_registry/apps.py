from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class IKMRegistryConfig(AppConfig):
    name = "ikm_registry"
    verbose_name = _("Registri IKM")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ikm_registry.reference_data import load_reference_data
        from ikm_registry.roles import sync_roles

        # Reference rows and role permissions must exist in every database, test databases included.
        post_migrate.connect(load_reference_data, sender=self, dispatch_uid="ikm_reference_data")
        # Roles after the last app's migrate, when every app's permissions exist.
        from django.apps import apps

        last_app = list(apps.get_app_configs())[-1]
        post_migrate.connect(sync_roles, sender=last_app, dispatch_uid="ikm_sync_roles")

        # A unit publishes its OVOP stars, sentra, certificates and products: saving or deleting one of them
        # is a change of the unit (IKMUnitQuerySet.touch). Imports, which write in bulk, touch their units too.
        from ikm_registry.models import Certificate, OVOPRating, Product
        from ikm_registry.models.units import touch_members_of_deleted_sentra, touch_unit
        from sentra.models import Sentra, SentraMembership

        for model in (OVOPRating, SentraMembership, Certificate, Product):
            post_save.connect(touch_unit, sender=model, dispatch_uid=f"ikm_touch_unit_save_{model.__name__}")
            post_delete.connect(touch_unit, sender=model, dispatch_uid=f"ikm_touch_unit_delete_{model.__name__}")
        pre_delete.connect(touch_members_of_deleted_sentra, sender=Sentra, dispatch_uid="ikm_touch_sentra_members")
