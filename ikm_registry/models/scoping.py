from django.db import models
from django.db.models import Q

LEVEL_COLUMNS = {1: "province_id", 2: "regency_id", 3: "district_id", 4: "village_id"}


def region_level_q(code: str, prefix: str = "") -> Q:
    """Rows in region `code` for models that carry province/regency/district/village columns
    (IKM units, sentra): one equality on the column of the code's level, so it uses an index."""
    level = code.count(".") + 1
    return Q(**{prefix + LEVEL_COLUMNS[level]: code})


def region_prefix_q(field: str, code: str) -> Q:
    """Rows whose region column `field` (a Region code) is `code` or lies below it."""
    # A foreign key's "_id" column takes no startswith lookup; "<fk>__pk" does, and still needs no join.
    if field.endswith("_id"):
        field = field[:-3] + "__pk"
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


class ScopedQuerySet(models.QuerySet):
    """A QuerySet limited to a staff account's region through `region_q(code)`, which subclasses define."""

    def region_q(self, code: str) -> Q:
        raise NotImplementedError

    def in_region(self, region) -> "ScopedQuerySet":
        code = region if isinstance(region, str) else region.code
        return self.filter(self.region_q(code))

    def for_user(self, user) -> "ScopedQuerySet":
        from ikm_registry.models.accounts import scope_region_code

        code = scope_region_code(user)
        if code is None:
            return self.none()
        return self if code == "" else self.in_region(code)


class UnitScopedQuerySet(ScopedQuerySet):
    """Records that belong to one IKM unit (figures, certificates, OVOP ratings, mentoring visits)."""

    def region_q(self, code: str) -> Q:
        return region_level_q(code, "unit__")


class OwnerRegionScopedQuerySet(ScopedQuerySet):
    """Records held by an office: scoped by the office region (kab/kota or province) that owns them."""

    def region_q(self, code: str) -> Q:
        return region_prefix_q("owner_region_id", code)
