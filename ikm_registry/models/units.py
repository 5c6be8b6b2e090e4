import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ikm_registry import personal_data
from ikm_registry.models.loading import DirectLoad
from ikm_registry.models.reference import KBLI, Sector
from ikm_registry.models.regions import Region, RegionLevel
from ikm_registry.models.scoping import ScopedQuerySet, UnitScopedQuerySet, region_level_q

# Thresholds of Permenperin 64/M-IND/PER/7/2016, in whole Rupiah of investment without land and buildings.
SMALL_MAX_WORKERS = 19
SMALL_INVESTMENT_LIMIT = 1_000_000_000
MEDIUM_INVESTMENT_LIMIT = 15_000_000_000

# Indonesia's extent, with a margin for outlying islands: Sabang to Merauke, Miangas to Rote.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


class SizeClass(models.TextChoices):
    KECIL = "kecil", _("Industri kecil")
    MENENGAH = "menengah", _("Industri menengah")
    BESAR = "besar", _("Industri besar")
    PERIKSA = "periksa", _("Periksa (tidak tercakup aturan)")


def classify_size(workers: int | None, investment: int | None) -> str:
    """Size class by workers and investment excluding land and buildings (Permenperin 64/2016).

    >>> classify_size(19, 999_999_999)
    'kecil'
    >>> classify_size(19, 1_000_000_000)
    'menengah'
    >>> classify_size(20, 15_000_000_000)
    'menengah'
    >>> classify_size(20, 15_000_000_001)
    'besar'
    >>> classify_size(5, 16_000_000_000)
    'periksa'
    """
    if workers is None or investment is None:
        return ""
    if workers <= SMALL_MAX_WORKERS:
        if investment < SMALL_INVESTMENT_LIMIT:
            return SizeClass.KECIL.value
        if investment <= MEDIUM_INVESTMENT_LIMIT:
            return SizeClass.MENENGAH.value
        # The regulation leaves this case open: staff must look at it, we do not guess.
        return SizeClass.PERIKSA.value
    if investment <= MEDIUM_INVESTMENT_LIMIT:
        return SizeClass.MENENGAH.value
    return SizeClass.BESAR.value


class Gender(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD atau tidak tamat")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    DIPLOMA = "diploma", _("Diploma")
    S1 = "s1", _("Sarjana (S1)")
    PASCA = "pasca", _("Pascasarjana")


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("Perorangan")
    UD = "ud", _("UD")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    PT_PERORANGAN = "pt_perorangan", _("PT Perorangan")
    KOPERASI = "koperasi", _("Koperasi")
    LAINNYA = "lainnya", _("Lainnya")


class MarketingReach(models.TextChoices):
    LOKAL = "lokal", _("Lokal")
    REGIONAL = "regional", _("Regional")
    NASIONAL = "nasional", _("Nasional")
    EKSPOR = "ekspor", _("Ekspor")


class UnitStatus(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
    TUTUP = "tutup", _("Tutup")


class VerificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Terverifikasi")
    RETURNED = "returned", _("Dikembalikan")


class RegistryCodeSequence(models.Model):
    """The last registry number handed out in one kabupaten/kota, so codes read IKM-6271-000123."""

    regency = models.OneToOneField(Region, on_delete=models.PROTECT, primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("urutan kode registri")
        verbose_name_plural = pgettext_lazy("plural", "urutan kode registri")

    def __str__(self) -> str:
        return f"{self.regency_id}: {self.last_value}"

    @classmethod
    def reserve(cls, regency_code: str, count: int = 1) -> list[str]:
        """Reserve `count` consecutive registry codes for a kab/kota, safely under concurrent writers."""
        with transaction.atomic():
            cls.objects.get_or_create(regency_id=regency_code)
            seq = cls.objects.select_for_update().get(regency_id=regency_code)
            start = seq.last_value + 1
            seq.last_value = F("last_value") + count
            seq.save(update_fields=["last_value"])
        digits = regency_code.replace(".", "")
        return [f"IKM-{digits}-{n:06d}" for n in range(start, start + count)]


def sql_constant(value: str) -> RawSQL:
    """A constant of our own (a choice's value) written into the SQL rather than bound as a parameter."""
    if not value.isidentifier():  # nothing that could need quoting
        raise ValueError(f"Not a plain constant: {value!r}")
    return RawSQL(f"'{value}'", ())


class IKMUnitQuerySet(ScopedQuerySet):
    def region_q(self, code: str) -> Q:
        # One indexed equality on the column of the code's level (village fixes all four).
        return region_level_q(code)

    def verified(self) -> "IKMUnitQuerySet":
        return self.filter(verification_status=VerificationStatus.VERIFIED)

    def active(self) -> "IKMUnitQuerySet":
        return self.filter(status=UnitStatus.AKTIF)

    def touch(self, unit_ids) -> None:
        """Mark these units changed now: what they publish changed in another table (their OVOP ratings, sentra
        memberships, certificates, products). Their updated_at is the API's `updated_since` and the public
        pages' data stamp, so a copy kept in step and the cached pages both see the change. In batches: an
        import may touch tens of thousands of units, past SQLite's limit of parameters in one statement."""
        ids, now = sorted(set(unit_ids)), timezone.now()
        for start in range(0, len(ids), 1000):
            self.filter(pk__in=ids[start : start + 1000]).update(updated_at=now)

    def public(self) -> "IKMUnitQuerySet":
        """What the public may see: verified and active."""
        # One filter() rather than verified().active(): every public request starts here. The values are written
        # into the SQL, not bound: only then can a prepared statement's plan use the partial indexes of public
        # units (WHERE status = 'aktif' AND verification_status = 'verified'), whatever its parameters.
        return self.filter(
            verification_status=sql_constant(VerificationStatus.VERIFIED), status=sql_constant(UnitStatus.AKTIF)
        )

    def active_in(self, year: int) -> "IKMUnitQuerySet":
        """Units operating in `year`: established by then and not closed before it."""
        return self.filter(Q(year_established__isnull=True) | Q(year_established__lte=year)).exclude(
            status=UnitStatus.TUTUP, status_date__year__lt=year
        )

    def with_nik(self, nik: str) -> "IKMUnitQuerySet":
        return self.filter(owner_nik_hash=personal_data.nik_lookup_hash(nik))


# Deletes whose rows taken along need no touch each: a unit's rows go with it, and a deleted sentra touches its
# current members itself, in one UPDATE (touch_members_of_deleted_sentra), not one per membership row.
DELETES_TOUCHING_NOTHING_PER_ROW = {"ikm_registry.IKMUnit", "sentra.Sentra"}


def touch_unit(sender, instance, origin=None, **kwargs) -> None:
    """Receiver of the saves and deletes of what a unit publishes from other tables (connected in apps.py)."""
    # A delete's origin is the object or queryset whose delete() was called.
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if origin is not None and origin_model._meta.label in DELETES_TOUCHING_NOTHING_PER_ROW:
        return
    if instance.unit_id:
        IKMUnit.objects.touch([instance.unit_id])


def touch_members_of_deleted_sentra(sender, instance, **kwargs) -> None:
    """Before a sentra goes: its current members' public records lose its name (connected in apps.py)."""
    instance.touch_current_members([instance.pk])


class IKMUnitManager(models.Manager.from_queryset(IKMUnitQuerySet)):
    _public_templates: dict = {}

    def public(self) -> IKMUnitQuerySet:
        # Every public request starts here: the filter is built once per database and cloned after (about 50
        # µs against 2). Only on the model's own manager: a related manager's queryset is narrowed to its
        # owner, and builds its own.
        if type(self) is not IKMUnitManager:
            return super().public()
        template = self._public_templates.get(self._db)
        if template is None:
            template = self._public_templates[self._db] = self.get_queryset().public()
        return template._chain()


class IKMUnit(DirectLoad, models.Model):
    """An IKM (Industri Kecil dan Menengah) unit: one small or medium manufacturing business."""

    registry_code = models.CharField(_("kode IKM"), max_length=20, unique=True, editable=False)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{13}$", _("NIB harus 13 angka."))],
        help_text=_("Nomor Induk Berusaha dari OSS, 13 angka. Kosongkan bila belum ada."),
    )
    business_name = models.CharField(_("nama usaha"), max_length=200)
    brand = models.CharField(_("merek"), max_length=200, blank=True)
    legal_form = models.CharField(_("bentuk usaha"), max_length=20, choices=LegalForm.choices, blank=True)
    year_established = models.PositiveSmallIntegerField(
        _("tahun berdiri"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )

    owner_name = models.CharField(_("nama pemilik"), max_length=200)
    owner_gender = models.CharField(_("jenis kelamin pemilik"), max_length=1, choices=Gender.choices, blank=True)
    owner_education = models.CharField(_("pendidikan pemilik"), max_length=10, choices=Education.choices, blank=True)
    # Personal data: never shown publicly, kept out of history. See ikm_registry.personal_data.
    owner_nik_encrypted = models.TextField(_("NIK pemilik (terenkripsi)"), blank=True, editable=False)
    # Indexed, not unique: one person may own several businesses; a shared NIK is flagged as a possible duplicate.
    owner_nik_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # indexed in Meta
    owner_phone = models.CharField(_("telepon pemilik"), max_length=20, blank=True)
    owner_email = models.EmailField(_("email"), blank=True)
    publish_contact = models.BooleanField(
        _("kontak usaha boleh dipublikasikan"),
        default=False,
        help_text=_("Hanya dengan persetujuan pemilik. Tanpa ini, telepon dan email tidak pernah tampil publik."),
    )

    address = models.CharField(_("alamat"), max_length=255, blank=True)
    # The region and sector keys are indexed in Meta, not by db_index: see the note on the indexes there.
    village = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": RegionLevel.VILLAGE},
        db_index=False,
    )
    # Derived from the village, so that counting at every level is one indexed column.
    district = models.ForeignKey(
        Region, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    regency = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)

    kbli = models.ForeignKey(KBLI, verbose_name=_("KBLI"), null=True, blank=True, on_delete=models.PROTECT)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sektor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Terisi otomatis dari KBLI bila dikosongkan."),
        db_index=False,
    )
    main_products = models.CharField(_("produk utama"), max_length=255, blank=True)
    marketing_reach = models.CharField(
        _("jangkauan pemasaran"), max_length=10, choices=MarketingReach.choices, default=MarketingReach.LOKAL
    )
    export_destinations = models.CharField(
        _("negara tujuan ekspor"), max_length=255, blank=True, help_text=_("Dipisah koma, misalnya Jepang, Malaysia.")
    )

    status = models.CharField(_("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.AKTIF)
    status_date = models.DateField(_("tanggal status"), null=True, blank=True)

    verification_status = models.CharField(
        _("verifikasi"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.DRAFT
    )
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(_("waktu verifikasi"), null=True, blank=True, editable=False)

    # The latest year's derived size class, kept on the unit so the directory can filter by it.
    size_class = models.CharField(
        _("kelas usaha"), max_length=10, choices=SizeClass.choices, blank=True, editable=False
    )
    latest_figures_year = models.PositiveSmallIntegerField(_("tahun data terakhir"), null=True, editable=False)

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["owner_nik_encrypted", "owner_nik_hash"],
        # Each save and import row writes a history row into every index of the history table. History is read
        # by unit (id), by time and user, and scoped by kecamatan, kab/kota or province; not by these.
        no_db_index=["registry_code", "nib", "village", "sector", "kbli", "verified_by"],
        # Listed in the admin ("Riwayat unit IKM"), so named in Indonesian rather than simple-history's English.
        verbose_name=_("riwayat unit IKM"),
        verbose_name_plural=pgettext_lazy("plural", "riwayat unit IKM"),
    )
    objects = IKMUnitManager()

    class Meta:
        verbose_name = _("unit IKM")
        verbose_name_plural = pgettext_lazy("plural", "unit IKM")
        ordering = ["business_name", "id"]
        permissions = [
            ("view_owner_nik", _("Dapat melihat NIK pemilik secara utuh")),
            ("verify_ikmunit", _("Dapat memverifikasi dan mengembalikan data IKM")),
        ]
        # Every save of a unit writes updated_at, which is indexed, so PostgreSQL writes an entry in every index of
        # the table for it: each index costs every save and import row. So no index twice. The region and
        # sector keys are not indexed by db_index, which on PostgreSQL also adds a varchar_pattern_ops copy for
        # LIKE that no query of units uses; kecamatan, kab/kota and province lead the composite indexes below.
        indexes = [
            models.Index(fields=["village"], name="ikm_village"),
            models.Index(fields=["sector"], name="ikm_sector"),
            # Possible duplicates: units of one owner (same NIK).
            models.Index(fields=["owner_nik_hash"], name="ikm_owner_nik_hash"),
            models.Index(fields=["regency", "sector", "business_name", "id"], name="ikm_regency_sector_name"),
            models.Index(fields=["district", "sector"], name="ikm_district_sector"),
            models.Index(fields=["province", "sector"], name="ikm_province_sector"),
            # The admin list of a province office, sorted by name: deep pages 440 ms -> 3 ms at 1M units.
            models.Index(fields=["province", "business_name", "id"], name="ikm_province_name"),
            # The data stamp of one province's public pages (stats.data_stamp): max(updated_at) in one probe.
            models.Index(fields=["province", "updated_at"], name="ikm_province_updated"),
            # The API's updated_since (a copy kept in step) and the national data stamp: the latest changes first.
            models.Index(fields=["updated_at"], name="ikm_updated"),
            models.Index(fields=["verification_status", "status"], name="ikm_verif_status"),
            models.Index(fields=["business_name", "id"], name="ikm_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-11.5, latitude__lte=6.5),
                name="ikm_latitude_in_indonesia",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=94.5, longitude__lte=141.5),
                name="ikm_longitude_in_indonesia",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_name} ({self.registry_code})" if self.registry_code else self.business_name

    def save(self, *args, **kwargs):
        # Derived columns must never drift from the village; imports call assign_defaults() before bulk_create.
        self.assign_defaults()
        super().save(*args, **kwargs)

    # --- personal data -------------------------------------------------------------------------------------
    @property
    def owner_nik(self) -> str:
        """The whole NIK, decrypted. Views must check `view_owner_nik` and log access (NIKAccessLog)."""
        return personal_data.decrypt_nik(self.owner_nik_encrypted)

    def set_owner_nik(self, nik: str) -> None:
        nik = personal_data.normalize_nik(nik)
        if nik:
            self.owner_nik_encrypted = personal_data.encrypt_nik(nik)
            self.owner_nik_hash = personal_data.nik_lookup_hash(nik)
        else:
            self.owner_nik_encrypted = ""
            self.owner_nik_hash = None

    @property
    def owner_nik_masked(self) -> str:
        return personal_data.mask_nik(self.owner_nik)

    @property
    def owner_phone_masked(self) -> str:
        return personal_data.mask_phone(self.owner_phone)

    # --- derived fields --------------------------------------------------------------------------------------
    def assign_regions(self) -> None:
        """Fill kecamatan, kab/kota and province from the village code."""
        code = self.village_id
        if code:
            parts = code.split(".")
            self.province_id, self.regency_id, self.district_id = (
                parts[0],
                ".".join(parts[:2]),
                ".".join(parts[:3]),
            )

    def assign_defaults(self) -> None:
        """Derived values that every door (admin, import, API) fills the same way."""
        self.assign_regions()
        if self.sector_id is None and self.kbli_id is not None:
            self.sector = self.kbli.sector or Sector.for_kbli_code(self.kbli.code)
        if self.nib == "":
            self.nib = None
        if not self.registry_code and self.regency_id:
            self.registry_code = RegistryCodeSequence.reserve(self.regency_id)[0]

    def clean(self) -> None:
        errors = {}
        if self.village_id:
            try:
                village = self.village
            except Region.DoesNotExist:
                village = None
            if village is None or village.level != RegionLevel.VILLAGE:
                errors["village"] = _("Pilih kelurahan/desa.")
        if self.owner_phone:
            try:
                self.owner_phone = personal_data.normalize_phone(self.owner_phone)
            except ValidationError as exc:
                errors["owner_phone"] = exc.messages
        if self.latitude is not None and not (LATITUDE_RANGE[0] <= self.latitude <= LATITUDE_RANGE[1]):
            errors["latitude"] = _("Lintang berada di luar wilayah Indonesia.")
        if self.longitude is not None and not (LONGITUDE_RANGE[0] <= self.longitude <= LONGITUDE_RANGE[1]):
            errors["longitude"] = _("Bujur berada di luar wilayah Indonesia.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur bersama-sama.")
        this_year = timezone.localdate().year
        if self.year_established and self.year_established > this_year:
            errors["year_established"] = _("Tahun berdiri tidak boleh di masa depan.")
        if self.status in (UnitStatus.TUTUP, UnitStatus.TIDAK_AKTIF) and not self.status_date:
            errors["status_date"] = _("Isi tanggal ketika status berubah.")
        if self.marketing_reach == MarketingReach.EKSPOR and not self.export_destinations.strip():
            errors["export_destinations"] = _("Isi negara tujuan ekspor.")
        if self.verification_status == VerificationStatus.RETURNED and not self.return_reason.strip():
            errors["return_reason"] = _("Isi alasan pengembalian.")
        if errors:
            raise ValidationError(errors)

    # --- verification workflow -------------------------------------------------------------------------------
    def submit(self) -> None:
        self.verification_status = VerificationStatus.SUBMITTED
        self.return_reason = ""

    def verify(self, user) -> None:
        self.verification_status = VerificationStatus.VERIFIED
        self.verified_by = user
        self.verified_at = timezone.now()
        self.return_reason = ""

    def return_for_correction(self, reason: str) -> None:
        if not reason or not reason.strip():
            raise ValidationError(_("Isi alasan pengembalian."))
        self.verification_status = VerificationStatus.RETURNED
        self.return_reason = reason.strip()

    def refresh_size_class(self) -> None:
        """Copy the latest year's derived size class onto the unit (for directory filters)."""
        latest = self.yearly_figures.order_by("-year").first()
        self.size_class = latest.size_class if latest else ""
        self.latest_figures_year = latest.year if latest else None
        # A new class is a change of the published record: updated_at with it (updated_since, data stamp).
        now = timezone.now()
        changed = (
            IKMUnit.objects.filter(pk=self.pk)
            .exclude(size_class=self.size_class, latest_figures_year=self.latest_figures_year)
            .update(size_class=self.size_class, latest_figures_year=self.latest_figures_year, updated_at=now)
        )
        if changed:
            self.updated_at = now

    @property
    def export_destination_list(self) -> list[str]:
        return [c.strip() for c in self.export_destinations.split(",") if c.strip()]


def validate_not_future_year(value: int) -> None:
    if value and value > timezone.localdate().year:
        raise ValidationError(_("Tahun %(year)s ada di masa depan.") % {"year": value})


class YearlyFigures(models.Model):
    """A unit's figures for one year: the SIINas small-industry items, workers by gender."""

    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="yearly_figures"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(1990), validate_not_future_year])
    workers_male = models.PositiveIntegerField(_("tenaga kerja laki-laki"), default=0)
    workers_female = models.PositiveIntegerField(_("tenaga kerja perempuan"), default=0)
    investment_value = models.PositiveBigIntegerField(
        _("nilai investasi (tanpa tanah dan bangunan)"), default=0, help_text=_("Rupiah.")
    )
    land_building_investment = models.PositiveBigIntegerField(
        _("investasi tanah dan bangunan"), default=0, help_text=_("Rupiah.")
    )
    installed_capacity = models.DecimalField(
        _("kapasitas terpasang"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    production_capacity = models.DecimalField(
        _("kapasitas produksi"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    capacity_unit = models.CharField(_("satuan kapasitas"), max_length=30, blank=True)
    production_volume = models.DecimalField(_("produksi"), max_digits=16, decimal_places=2, null=True, blank=True)
    production_value = models.PositiveBigIntegerField(_("nilai produksi"), default=0, help_text=_("Rupiah."))
    raw_material_value = models.PositiveBigIntegerField(_("nilai bahan baku"), default=0, help_text=_("Rupiah."))
    export_value = models.PositiveBigIntegerField(_("nilai ekspor"), default=0, help_text=_("Rupiah."))
    water_use_m3 = models.DecimalField(_("pemakaian air (m³)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fuel_cost = models.PositiveBigIntegerField(_("biaya bahan bakar dan pelumas"), default=0, help_text=_("Rupiah."))
    electricity_kwh = models.DecimalField(_("listrik (kWh)"), max_digits=14, decimal_places=2, null=True, blank=True)
    machines = models.CharField(_("mesin dan peralatan produksi"), max_length=255, blank=True)
    size_class = models.CharField(_("kelas usaha"), max_length=10, choices=SizeClass.choices, editable=False)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("data tahunan")
        verbose_name_plural = pgettext_lazy("plural", "data tahunan")
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="figures_one_per_unit_year")]
        indexes = [models.Index(fields=["year", "unit"], name="figures_year_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"

    def save(self, *args, **kwargs):
        # The size class is derived, never typed (DOMAIN.md); imports set it before bulk_create.
        self.size_class = self.derive_size_class()
        super().save(*args, **kwargs)
        self.unit.refresh_size_class()

    @property
    def workers_total(self) -> int:
        return (self.workers_male or 0) + (self.workers_female or 0)

    def derive_size_class(self) -> str:
        return classify_size(self.workers_total, self.investment_value)


class Product(models.Model):
    """A product a unit makes, with its capacity and value."""

    unit = models.ForeignKey(IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("nama produk"), max_length=200)
    capacity = models.DecimalField(_("kapasitas"), max_digits=16, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("satuan"), max_length=30, blank=True)
    value = models.PositiveBigIntegerField(_("nilai (Rp)"), null=True, blank=True)
    photo = models.ImageField(_("foto"), upload_to="products/", blank=True)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = pgettext_lazy("plural", "produk")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return self.name


class CertificateKind(models.TextChoices):
    PIRT = "pirt", _("SPP-IRT/PIRT")
    BPOM_MD = "bpom_md", _("BPOM MD")
    HALAL = "halal", _("Halal")
    SNI = "sni", _("SNI")
    HAKI = "haki", _("HAKI/Merek")
    TKDN_IK = "tkdn_ik", _("TKDN-IK")
    EKATALOG = "ekatalog", _("e-Katalog")
    LAINNYA = "lainnya", _("Lainnya")


class Certificate(models.Model):
    """A licence or certificate a unit holds (SPP-IRT, Halal, SNI, ...), with number and validity."""

    unit = models.ForeignKey(IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("jenis"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(_("nomor"), max_length=100)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat/izin")
        verbose_name_plural = pgettext_lazy("plural", "sertifikat/izin")
        ordering = ["unit", "kind"]
        indexes = [models.Index(fields=["kind", "unit"], name="certificate_kind_unit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("Tanggal berlaku sampai harus setelah tanggal terbit.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.expires_on is None or self.expires_on >= day


__all__ = [
    "Certificate",
    "CertificateKind",
    "Education",
    "Gender",
    "IKMUnit",
    "LegalForm",
    "MarketingReach",
    "Product",
    "RegistryCodeSequence",
    "SizeClass",
    "UnitStatus",
    "VerificationStatus",
    "YearlyFigures",
    "classify_size",
]
