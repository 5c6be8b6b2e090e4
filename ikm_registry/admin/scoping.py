"""Region scope for every staff screen: lists, object URLs, form choices, autocompletes and actions.

A ModelAdmin for a region-bound model mixes in RegionScopedAdmin; its model's default manager must offer
`for_user(user)` (see ikm_registry.models.scoping). Everything the admin shows goes through get_queryset,
so a Banjarmasin operator can neither list nor open (by guessing the URL) a Palangka Raya record.
"""

from django.contrib import admin
from django.db import models

from ikm_registry.models import Region, scope_region_code


class RegionScopedAdmin(admin.ModelAdmin):
    # Large tables: never COUNT(*) the whole table on every page.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices for any region-bound foreign key are limited to the user's scope too.
        remote = db_field.related_model
        if "queryset" not in kwargs and hasattr(remote._default_manager.get_queryset(), "for_user"):
            kwargs["queryset"] = remote._default_manager.for_user(request.user)
        elif remote is Region and "queryset" not in kwargs:
            scope = scope_region_code(request.user)
            if scope:
                kwargs["queryset"] = Region.objects.filter(
                    models.Q(code=scope)
                    | models.Q(code__startswith=scope + ".")
                    | models.Q(code__in=_ancestors(scope))
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionScopedInline:
    """Inline mixin: choices for region-bound foreign keys follow the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        remote = db_field.related_model
        if "queryset" not in kwargs and hasattr(remote._default_manager.get_queryset(), "for_user"):
            kwargs["queryset"] = remote._default_manager.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]
