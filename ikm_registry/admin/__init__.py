"""Staff admin: one module per concept, each registering its own ModelAdmins."""

from ikm_registry.admin import regions, site  # noqa: F401
from ikm_registry.admin import accounts, unit_records, units  # noqa: F401
from ikm_registry.admin import programmes  # noqa: F401
from ikm_registry.imports import admin as imports_admin  # noqa: F401
