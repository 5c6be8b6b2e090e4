from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    IKM = "ikm", _("Unit IKM dan data tahunan")
    SENTRA = "sentra", _("Sentra dan keanggotaan")
    PEMBINAAN = "pembinaan", _("Kegiatan pembinaan dan peserta")
    BANTUAN = "bantuan", _("Bantuan peralatan")
    OVOP = "ovop", _("Penilaian OVOP")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    VALIDATING = "validating", _("Memvalidasi")
    READY = "ready", _("Siap dikonfirmasi")
    IMPORTING = "importing", _("Mengimpor")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way in: validated first (dry run), committed only on confirmation."""

    kind = models.CharField(_("jenis data"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengunggah"), on_delete=models.PROTECT)
    verify = models.BooleanField(_("tandai terverifikasi"), default=False)
    state = models.CharField(_("status"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(_("baris diproses"), default=0)
    # Counts of new/changed/unchanged/error rows, the errors with row and column, and duplicate warnings.
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error_message = models.TextField(_("pesan galat"), blank=True)
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
