"""Published district reports: frozen figures and files, never recomputed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikm_registry.models import Region
from ikm_registry.models.scoping import ScopedQuerySet, region_prefix_q

# The whole country has no Kemendagri code; reports, URLs and snapshots use the ISO country code.
NATIONAL_CODE = "ID"

FORMATS = ("json", "html", "pdf", "xlsx", "csv")


def snapshot_upload_to(instance: "ReportSnapshot", filename: str) -> str:
    return f"laporan/{instance.region_code}/{instance.year}/{filename}"


class ReportSnapshotQuerySet(ScopedQuerySet):
    def region_q(self, code: str) -> Q:
        return region_prefix_q("region_code", code)

    def current(self) -> "ReportSnapshotQuerySet":
        """Snapshots not superseded by a newer one: the latest published report per region and year."""
        return self.filter(superseded_at__isnull=True)


class ReportSnapshot(models.Model):
    """A published laporan: the figures and rendered files of one region and year, frozen when published."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong untuk laporan nasional."),
    )
    # Kept beside the foreign key so the snapshot reads the same after a region is renamed or retired.
    region_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    region_name = models.CharField(_("nama wilayah"), max_length=150)
    region_level = models.PositiveSmallIntegerField(_("tingkat wilayah"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    published_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by_name = models.CharField(_("nama penerbit"), max_length=150)
    note = models.CharField(_("catatan"), max_length=255, blank=True, help_text=_("Misalnya alasan koreksi."))
    figures = models.JSONField(_("angka laporan"))
    json_file = models.FileField(_("berkas JSON"), upload_to=snapshot_upload_to)
    html_file = models.FileField(_("berkas HTML"), upload_to=snapshot_upload_to)
    pdf_file = models.FileField(_("berkas PDF"), upload_to=snapshot_upload_to)
    xlsx_file = models.FileField(_("berkas XLSX"), upload_to=snapshot_upload_to)
    csv_file = models.FileField(_("berkas CSV"), upload_to=snapshot_upload_to)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("digantikan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("digantikan pada"), null=True, blank=True)

    objects = ReportSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan terbit")
        verbose_name_plural = pgettext_lazy("plural", "laporan terbit")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_reportsnapshot", _("Dapat menerbitkan laporan"))]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year"],
                condition=Q(superseded_at__isnull=True),
                name="snapshot_one_current_per_region_year",
            )
        ]
        indexes = [models.Index(fields=["year", "region_code"], name="snapshot_year_region")]

    def __str__(self) -> str:
        return f"{self.region_name} {self.year} ({self.published_at:%Y-%m-%d %H:%M})" if self.published_at else ""

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    def file_for(self, fmt: str):
        """The stored file of one format (json, html, pdf, xlsx, csv)."""
        if fmt not in FORMATS:
            raise KeyError(fmt)
        return getattr(self, f"{fmt}_file")


class ReportRollup(models.Model):
    """A province's counted rows for one year, kept so that national and provincial reports need not count
    a million units each time. Recounted whenever RollupChange shows its data changed (reports.rollups)."""

    province = models.CharField(_("provinsi"), max_length=2)
    year = models.PositiveSmallIntegerField(_("tahun"))
    rows = models.JSONField(_("baris"))
    computed_at = models.DateTimeField(_("dihitung pada"))
    # The PostgreSQL snapshot the rows were counted in, and the last change already noted then.
    snapshot = models.TextField()
    last_change_id = models.BigIntegerField(default=0)
    # The counting transaction's own id, when it had already written: its own earlier changes are seen.
    xid = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("rekap provinsi")
        verbose_name_plural = pgettext_lazy("plural", "rekap provinsi")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="rollup_one_per_province_year")]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class RollupChange(models.Model):
    """A write to registry data that rollups count, noted by a database trigger: which province (empty for
    all) and which transaction. Written only by the triggers of migration 0004; pruned by reports.rollups."""

    province = models.CharField(max_length=2, null=True)
    xid = models.BigIntegerField(db_index=True)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("perubahan data untuk rekap")
        verbose_name_plural = pgettext_lazy("plural", "perubahan data untuk rekap")
        indexes = [models.Index(fields=["province", "id"], name="rollupchange_province_id")]

    def __str__(self) -> str:
        return f"{self.province or '*'} {self.xid}"
