"""Staff admin: one module per concept, each registering its own ModelAdmins."""

from ikm_registry.admin import accounts, programmes, regions, site, unit_records, units  # noqa: F401
from ikm_registry.imports import admin as imports_admin  # noqa: F401
