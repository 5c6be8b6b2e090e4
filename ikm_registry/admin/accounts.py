"""Staff accounts with their home region (StaffProfile inline), and the NIK access log.

Superusers manage every account. A non-superuser who is given the user permissions (for example a province
office's Admin) manages only accounts whose home region lies inside their own, may give only the four role
groups, and can never grant superuser status or single permissions: no way to widen one's own reach.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ikm_registry.admin.filters import EstimatedCountPaginator, unit_region_filters
from ikm_registry.models import NIKAccessLog, Region, Role, StaffProfile, scope_region_code
from ikm_registry.models.scoping import region_level_q, region_prefix_q


class StaffProfileFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        scope = scope_region_code(self.request_user)
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            region = form.cleaned_data.get("home_region")
            if scope and (region is None or not (region.code == scope or region.code.startswith(scope + "."))):
                raise ValidationError(gettext("Wilayah kerja harus berada di dalam wilayah Anda sendiri."))


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    formset = StaffProfileFormSet
    can_delete = False
    min_num = 1
    max_num = 1
    autocomplete_fields = ["home_region"]
    fields = ["home_region", "is_national", "office_name"]
    verbose_name_plural = _("wilayah kerja")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    def get_readonly_fields(self, request, obj=None):
        # Only superusers give national (all-region) access.
        return [] if request.user.is_superuser else ["is_national"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "home_region":
            scope = scope_region_code(request.user)
            if scope:
                kwargs["queryset"] = Region.objects.filter(Q(code=scope) | Q(code__startswith=scope + "."))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "full_name", "email", "roles", "home_region", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]
    list_select_related = ["staff_profile__home_region"]
    search_fields = ["username", "first_name", "last_name", "email", "staff_profile__home_region__name"]
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if request.user.is_superuser:
            return queryset
        scope = scope_region_code(request.user)
        if scope is None:
            return queryset.none()
        queryset = queryset.filter(is_superuser=False)
        if scope:
            queryset = queryset.filter(region_prefix_q("staff_profile__home_region_id", scope))
        return queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Non-superusers manage identity, activity and roles only.
        trimmed = []
        for title, options in fieldsets:
            fields = [f for f in options["fields"] if f not in ("is_superuser", "user_permissions")]
            trimmed.append((title, {**options, "fields": fields}))
        return trimmed

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("nama"))
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("peran"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("wilayah kerja"), ordering="staff_profile__home_region__name")
    def home_region(self, obj):
        profile = getattr(obj, "staff_profile", None)
        if profile is None:
            return "—"
        return profile.home_region.name if profile.home_region_id else gettext("nasional")

    def get_inline_instances(self, request, obj=None):
        # The add page of UserAdmin asks only for username and password first.
        return super().get_inline_instances(request, obj) if obj is not None else []


@admin.register(NIKAccessLog)
class NIKAccessLogAdmin(admin.ModelAdmin):
    """Read-only: who saw which unit's whole NIK, when and why (UU PDP accountability)."""

    list_display = ["accessed_at", "user", "unit", "purpose", "ip_address"]
    list_select_related = ["user", "unit"]
    list_filter = [*unit_region_filters("unit__"), ("accessed_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "=unit__registry_code", "unit__business_name", "purpose"]
    date_hierarchy = None
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scope_region_code(request.user)
        if scope is None:
            return queryset.none()
        return queryset.filter(region_level_q(scope, "unit__")) if scope else queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
