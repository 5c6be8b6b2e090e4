"""The six kinds of import, each with its columns, importer, model (for admin URLs and permissions) and
export resource. Both doors (admin and `import_records`) pick their importer here."""

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Kind:
    code: str
    importer_path: str
    model_label: str  # the admin change list that links to this import and exports its rows
    # Whether rows carry a verification state (--verify).
    verifiable: bool = False

    @cached_property
    def importer(self):
        return import_string(self.importer_path)

    @property
    def columns(self):
        return self.importer.columns

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    @property
    def label(self) -> str:
        from ikm_registry.models import ImportKind

        return str(ImportKind(self.code).label)

    def permission(self, action: str) -> str:
        model = self.model
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


KINDS: dict[str, Kind] = {
    "ikm": Kind("ikm", "ikm_registry.imports.ikm.IKMImporter", "ikm_registry.IKMUnit", verifiable=True),
    "sentra": Kind("sentra", "ikm_registry.imports.sentra.SentraImporter", "sentra.Sentra"),
    "pembinaan": Kind("pembinaan", "ikm_registry.imports.pembinaan.TrainingImporter", "ikm_registry.TrainingActivity"),
    "bantuan": Kind("bantuan", "ikm_registry.imports.bantuan.EquipmentImporter", "ikm_registry.EquipmentAssistance"),
    "ovop": Kind("ovop", "ikm_registry.imports.ovop.OVOPImporter", "ikm_registry.OVOPRating"),
    "petugas": Kind("petugas", "ikm_registry.imports.petugas.FieldOfficerImporter", "ikm_registry.FieldOfficer"),
}


def kind_for_model(model) -> Kind | None:
    label = model._meta.label
    return next((k for k in KINDS.values() if k.model_label.lower() == label.lower()), None)
