"""The staff roles (Django groups) and the permissions each one holds, kept in sync after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from ikm_registry.models import Role

# Records an office enters and corrects. Operators never delete: they close units instead.
REGISTRY_MODELS = [
    "ikm_registry.ikmunit",
    "ikm_registry.yearlyfigures",
    "ikm_registry.product",
    "ikm_registry.certificate",
    "ikm_registry.fieldofficer",
    "ikm_registry.trainingactivity",
    "ikm_registry.trainingparticipant",
    "ikm_registry.mentoringvisit",
    "ikm_registry.equipmentassistance",
    "ikm_registry.conditioncheck",
    "ikm_registry.ovoprating",
    "sentra.sentra",
    "sentra.sentramembership",
]
REFERENCE_MODELS = ["ikm_registry.region", "ikm_registry.sector", "ikm_registry.kbli"]
REPORT_MODELS = ["reports.reportsnapshot"]


def _perms(models: list[str], actions: list[str]) -> list[str]:
    return [f"{m.split('.')[0]}.{a}_{m.split('.')[1]}" for m in models for a in actions]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OPERATOR: _perms(REGISTRY_MODELS, ["view", "add", "change"])
    + _perms(REFERENCE_MODELS + REPORT_MODELS, ["view"])
    + ["ikm_registry.add_importjob", "ikm_registry.view_importjob"],
    Role.VERIFIKATOR: _perms(REGISTRY_MODELS, ["view", "change"])
    + _perms(REFERENCE_MODELS + REPORT_MODELS, ["view"])
    + [
        "ikm_registry.verify_ikmunit",
        "ikm_registry.view_owner_nik",
        "ikm_registry.view_importjob",
        "ikm_registry.add_importjob",
    ],
    Role.PIMPINAN: _perms(REGISTRY_MODELS + REFERENCE_MODELS + REPORT_MODELS, ["view"])
    + ["ikm_registry.view_importjob", "reports.publish_reportsnapshot"],
    Role.ADMIN: _perms(REGISTRY_MODELS, ["view", "add", "change", "delete"])
    + _perms(REFERENCE_MODELS, ["view", "add", "change"])
    + _perms(REPORT_MODELS, ["view", "add"])
    + [
        "ikm_registry.verify_ikmunit",
        "ikm_registry.view_owner_nik",
        "ikm_registry.view_importjob",
        "ikm_registry.add_importjob",
        "ikm_registry.view_nikaccesslog",
        "reports.publish_reportsnapshot",
    ]
    # An office admin manages the staff accounts of its own region (the user admin limits them to it).
    + _perms(["auth.user", "ikm_registry.staffprofile"], ["view", "add", "change"]),
}


def sync_roles(**kwargs) -> None:
    """Create the four groups and give each exactly its permissions (idempotent; runs after migrate)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        query = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
