import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    IKM = "ikm", _("Unit IKM dan data tahunan")
    SENTRA = "sentra", _("Sentra dan keanggotaan")
    PEMBINAAN = "pembinaan", _("Kegiatan pembinaan dan peserta")
    BANTUAN = "bantuan", _("Bantuan peralatan")
    OVOP = "ovop", _("Penilaian OVOP")
    PETUGAS = "petugas", _("Petugas TPL-IKM dan fasilitator")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    VALIDATING = "validating", _("Memvalidasi")
    READY = "ready", _("Siap dikonfirmasi")
    IMPORTING = "importing", _("Mengimpor")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class PrivateStorage(FileSystemStorage):
    """Uploaded and exported spreadsheets hold personal data (NIK, phone): they live in PRIVATE_MEDIA_ROOT,
    outside MEDIA_ROOT, so that no media route ever serves them; views that check scope hand them out."""

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @cached_property
    def location(self):
        return os.path.abspath(self.base_location)

    @cached_property
    def base_url(self):
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateStorage()


def _private_storage():
    return private_storage


class JobQuerySet(models.QuerySet):
    def for_user(self, user) -> "JobQuerySet":
        """Jobs of the user's region: a city office sees its city's files, a province office its province's,
        national staff and superusers every file."""
        from ikm_registry.models.accounts import scope_region_code

        scope = scope_region_code(user)
        if scope is None:
            return self.none()
        if scope == "":
            return self
        return self.filter(Q(scope_code=scope) | Q(scope_code__startswith=scope + "."))


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way in: validated first (dry run), committed only on confirmation."""

    kind = models.CharField(_("jenis data"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/", storage=_private_storage)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengunggah"), on_delete=models.PROTECT)
    # The uploader's region when uploading ("" for national staff): who else may see the job.
    scope_code = models.CharField(_("wilayah kerja"), max_length=13, blank=True, db_index=True)
    verify = models.BooleanField(_("tandai terverifikasi"), default=False)
    state = models.CharField(_("status"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(_("baris diproses"), default=0)
    # Counts of new/changed/unchanged/error rows, the errors with row and column, and duplicate warnings.
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error_message = models.TextField(_("pesan galat"), blank=True)
    # The rows that failed, with an error column, for staff to fix and upload again.
    error_file = models.FileField(
        _("baris bermasalah"), upload_to="imports/errors/%Y/%m/", storage=_private_storage, blank=True
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = pgettext_lazy("plural", "impor berkas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def progress_percent(self) -> int:
        return min(100, int(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    BUILDING = "building", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ExportJob(models.Model):
    """A large XLSX export built by the worker: the change list's filters at the time of the request."""

    kind = models.CharField(_("jenis data"), max_length=10, choices=ImportKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pemohon"), on_delete=models.CASCADE)
    scope_code = models.CharField(_("wilayah kerja"), max_length=13, blank=True, db_index=True)
    # The change list's query string (filters, search, ordering), replayed by the worker.
    query_string = models.TextField(_("filter"), blank=True)
    file = models.FileField(_("berkas"), upload_to="exports/%Y/%m/", storage=_private_storage, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(_("baris diproses"), default=0)
    error_message = models.TextField(_("pesan galat"), blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("ekspor berkas")
        verbose_name_plural = pgettext_lazy("plural", "ekspor berkas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"

    @property
    def progress_percent(self) -> int:
        return min(100, int(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0
