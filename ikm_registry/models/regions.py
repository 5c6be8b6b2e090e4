from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikm_registry.models.loading import DirectLoad


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Kelurahan/Desa")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")


class RegionQuerySet(models.QuerySet):
    def provinces(self) -> "RegionQuerySet":
        return self.filter(level=RegionLevel.PROVINCE)

    def regencies(self) -> "RegionQuerySet":
        return self.filter(level=RegionLevel.REGENCY)

    def districts(self) -> "RegionQuerySet":
        return self.filter(level=RegionLevel.DISTRICT)

    def villages(self) -> "RegionQuerySet":
        return self.filter(level=RegionLevel.VILLAGE)

    def within(self, region: "Region") -> "RegionQuerySet":
        """The region itself and everything below it."""
        return self.filter(models.Q(code=region.code) | models.Q(code__startswith=region.code + "."))

    def current(self) -> "RegionQuerySet":
        return self.filter(is_active=True)


class Region(DirectLoad, models.Model):
    """A Kemendagri region: provinsi, kabupaten/kota, kecamatan or kelurahan/desa, keyed by its dotted code.

    The code is the primary key so that a unit's village column already carries the whole path
    (62.71.01.1003 lies in 62.71.01, 62.71 and 62). Regions are never deleted: a code retired by a
    pemekaran is kept inactive so that units pointing at it stay valid until they are moved.
    """

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    # "Langkai, Pahandut, Kota Palangkaraya": what the autocomplete matches and shows.
    path = models.CharField(_("jalur"), max_length=255, blank=True)
    is_active = models.BooleanField(_("berlaku"), default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = pgettext_lazy("plural", "wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        if self.level == RegionLevel.VILLAGE or self.level == RegionLevel.DISTRICT:
            return self.path or self.name
        return self.name

    @property
    def is_kelurahan(self) -> bool:
        return self.kind == RegionKind.KELURAHAN

    def ancestor_code(self, level: int) -> str | None:
        """The code of this region's ancestor at `level` (or its own code at its own level)."""
        parts = self.code.split(".")
        return ".".join(parts[:level]) if level <= len(parts) else None

    def contains(self, other: "Region | str") -> bool:
        code = other if isinstance(other, str) else other.code
        return code == self.code or code.startswith(self.code + ".")

    @property
    def child_level(self) -> int | None:
        return self.level + 1 if self.level < RegionLevel.VILLAGE else None
