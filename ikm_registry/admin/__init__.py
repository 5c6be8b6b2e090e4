"""Staff admin: one module per concept, each registering its own ModelAdmins."""

from ikm_registry.admin import regions, site  # noqa: F401
