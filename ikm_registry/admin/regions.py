from django.contrib import admin
from django.db.models import Q

from ikm_registry.models import KBLI, Region, Sector, scope_region_code


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions are reference data from the Kemendagri decree: browsable and searchable, changed only by
    `load_regions`. The search serves every region autocomplete ("Pahandut" or "Langkai, Pahandut")."""

    list_display = ["code", "name", "level", "kind", "path", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "path"]
    ordering = ["code"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    readonly_fields = ["code", "name", "level", "kind", "parent", "postal_code", "path"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # Every comma- or space-separated word must appear in the path ("Langkai, Pahandut, Kota ...").
        words = search_term.replace(",", " ").split()
        for word in words:
            queryset = queryset.filter(Q(path__icontains=word) | Q(code__startswith=word))
        if request.path.endswith("/autocomplete/"):
            scope = scope_region_code(request.user)
            if scope:
                queryset = queryset.filter(Q(code=scope) | Q(code__startswith=scope + "."))
            queryset = queryset.filter(is_active=True)
        return queryset, False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kbli_divisions", "sort_order"]
    search_fields = ["code", "name"]


@admin.register(KBLI)
class KBLIAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "edition", "sector"]
    list_filter = ["edition", "sector"]
    search_fields = ["code", "title"]
    list_select_related = ["sector"]
