"""Region scope for every staff screen: lists, object URLs, form choices, autocompletes and actions.

A ModelAdmin for a region-bound model mixes in RegionScopedAdmin; its model's default manager must offer
`for_user(user)` (see ikm_registry.models.scoping). Everything the admin shows goes through get_queryset,
so a Banjarmasin operator can neither list nor open (by guessing the URL) a Palangka Raya record.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from ikm_registry.models import Region, scope_region_code


class RegionScopedAdmin(admin.ModelAdmin):
    # Large tables: never COUNT(*) the whole table on every page.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    # History pages (simple-history) fall back to the historical rows when the object is not in get_queryset,
    # and its version page reads them directly: both must be held to the scope too.
    def history_in_scope(self, request, object_id) -> bool:
        """A live object's history follows the object's scope; a deleted one's follows its last recorded region."""
        scoped = self.get_queryset(request)
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
            if scoped.filter(pk=pk).exists():
                return True
        except (ValidationError, ValueError, TypeError):
            return False
        if self.model._default_manager.filter(pk=pk).exists():
            return False
        history = getattr(self.model, "history", None)
        scope = scope_region_code(request.user)
        if history is None or scope is None:
            return False
        latest = history.filter(**{self.model._meta.pk.attname: pk}).order_by("-history_date", "-history_id").first()
        if latest is None:
            return False
        return scope == "" or history.filter(history_id=latest.history_id).filter(scoped.region_q(scope)).exists()

    def history_view(self, request, object_id, extra_context=None):
        if not self.history_in_scope(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.history_in_scope(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices for any region-bound foreign key are limited to the user's scope too.
        remote = db_field.related_model
        if "queryset" not in kwargs and hasattr(remote._default_manager.get_queryset(), "for_user"):
            kwargs["queryset"] = remote._default_manager.for_user(request.user)
        elif remote is Region and "queryset" not in kwargs:
            scope = scope_region_code(request.user)
            if scope:
                kwargs["queryset"] = Region.objects.filter(
                    models.Q(code=scope) | models.Q(code__startswith=scope + ".") | models.Q(code__in=_ancestors(scope))
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
