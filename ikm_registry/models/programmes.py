"""Pembinaan (training and mentoring), bantuan peralatan (equipment assistance) and OVOP ratings."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ikm_registry.models.reference import Sector
from ikm_registry.models.regions import Region, RegionLevel
from ikm_registry.models.scoping import OwnerRegionScopedQuerySet, UnitScopedQuerySet, region_level_q
from ikm_registry.models.units import Gender, IKMUnit, validate_not_future_year

OFFICE_REGION_LEVELS = {"level__in": [RegionLevel.PROVINCE, RegionLevel.REGENCY]}


def normalize_name(value: str) -> str:
    """Trim and collapse inner spaces, so "Mesin  jahit " and "Mesin jahit" are the same item or product.

    >>> normalize_name("  Mesin   jahit ")
    'Mesin jahit'
    """
    return re.sub(r"\s+", " ", value or "").strip()


def validate_not_future_date(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("Tanggal %(date)s ada di masa depan.") % {"date": value.strftime("%d-%m-%Y")})


class FundingSource(models.TextChoices):
    APBD_KABKOTA = "apbd_kabkota", _("APBD kabupaten/kota")
    APBD_PROVINSI = "apbd_provinsi", _("APBD provinsi")
    APBN = "apbn", _("APBN")
    DAK = "dak", _("DAK")
    DEKONSENTRASI = "dekonsentrasi", _("Dekonsentrasi")
    LAINNYA = "lainnya", _("Lainnya")


class OrganiserLevel(models.TextChoices):
    KABKOTA = "kabkota", _("Kabupaten/kota")
    PROVINSI = "provinsi", _("Provinsi")
    KEMENTERIAN = "kementerian", _("Kementerian")
    LAINNYA = "lainnya", _("Pihak lain")


class ActivityKind(models.TextChoices):
    PELATIHAN = "pelatihan", _("Pelatihan/bimtek")
    PENDAMPINGAN = "pendampingan", _("Pendampingan")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    FASILITASI = "fasilitasi", _("Fasilitasi sertifikasi")
    PROMOSI = "promosi", _("Promosi/pameran")


class FieldOfficer(models.Model):
    """A TPL-IKM (Tenaga Penyuluh Lapangan IKM) officer or other facilitator, contracted for a year."""

    name = models.CharField(_("nama"), max_length=200)
    is_tpl_ikm = models.BooleanField(_("TPL-IKM"), default=True)
    assigned_region = models.ForeignKey(
        Region, verbose_name=_("wilayah tugas"), on_delete=models.PROTECT, related_name="+"
    )
    owner_region = models.ForeignKey(
        Region,
        verbose_name=_("kantor pencatat"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=OFFICE_REGION_LEVELS,
    )
    contract_year = models.PositiveSmallIntegerField(
        _("tahun kontrak"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000)],
        help_text=_("TPL-IKM dikontrak per tahun: wajib diisi untuk TPL-IKM."),
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    institution = models.CharField(_("instansi"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = OwnerRegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("petugas/fasilitator")
        verbose_name_plural = pgettext_lazy("plural", "petugas/fasilitator")
        ordering = ["name"]

    def __str__(self) -> str:
        suffix = f" (TPL-IKM {self.contract_year})" if self.is_tpl_ikm and self.contract_year else ""
        return f"{self.name}{suffix}"

    def clean(self) -> None:
        errors = {}
        if self.is_tpl_ikm and not self.contract_year:
            errors["contract_year"] = _("Isi tahun kontrak petugas TPL-IKM.")
        if self.contract_year and self.contract_year > timezone.localdate().year + 1:
            errors["contract_year"] = _("Tahun kontrak paling jauh tahun depan.")
        # An office assigns its officers inside its own area.
        if self.assigned_region_id and self.owner_region_id:
            own = self.owner_region_id
            if not (self.assigned_region_id == own or self.assigned_region_id.startswith(own + ".")):
                errors["assigned_region"] = _("Wilayah tugas harus berada di wilayah kantor pencatat.")
        if errors:
            raise ValidationError(errors)


class TrainingActivity(models.Model):
    """A pembinaan activity: pelatihan/bimtek, sosialisasi, fasilitasi, promosi or a pendampingan programme."""

    title = models.CharField(_("judul"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=15, choices=ActivityKind.choices)
    topic = models.CharField(_("topik"), max_length=255, blank=True)
    organiser_level = models.CharField(
        _("penyelenggara"), max_length=12, choices=OrganiserLevel.choices, default=OrganiserLevel.KABKOTA
    )
    organiser_name = models.CharField(_("nama penyelenggara"), max_length=200, blank=True)
    funding_source = models.CharField(_("sumber dana"), max_length=15, choices=FundingSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"), validators=[MinValueValidator(2000)])
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue_village = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan/desa tempat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    venue = models.CharField(_("tempat"), max_length=255, blank=True)
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), null=True, blank=True)
    facilitators = models.ManyToManyField(FieldOfficer, verbose_name=_("fasilitator"), blank=True)
    owner_region = models.ForeignKey(
        Region,
        verbose_name=_("kantor pencatat"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=OFFICE_REGION_LEVELS,
    )
    description = models.TextField(_("keterangan"), blank=True)

    history = HistoricalRecords(m2m_fields=[facilitators])
    objects = OwnerRegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kegiatan pembinaan")
        verbose_name_plural = pgettext_lazy("plural", "kegiatan pembinaan")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["owner_region", "fiscal_year"], name="activity_region_year")]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y})" if self.start_date else self.title

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.fiscal_year and self.fiscal_year > timezone.localdate().year + 1:
            errors["fiscal_year"] = _("Tahun anggaran paling jauh tahun depan.")
        if errors:
            raise ValidationError(errors)


class ParticipantOutcome(models.TextChoices):
    NONE = "", _("Belum dicatat")
    CERTIFICATE = "sertifikat", _("Memperoleh sertifikat")
    FOLLOW_UP = "tindak_lanjut", _("Perlu tindak lanjut")
    COMPLETED = "selesai", _("Selesai")


class TrainingParticipant(models.Model):
    """A unit's participation in an activity, with the person who attended."""

    activity = models.ForeignKey(
        TrainingActivity, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="participants"
    )
    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.PROTECT, related_name="training_participations"
    )
    attendee_name = models.CharField(_("nama peserta"), max_length=200)
    attendee_gender = models.CharField(_("jenis kelamin peserta"), max_length=1, choices=Gender.choices)
    attended = models.BooleanField(_("hadir"), default=True)
    outcome = models.CharField(_("hasil"), max_length=15, choices=ParticipantOutcome.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = pgettext_lazy("plural", "peserta")
        ordering = ["activity", "attendee_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "unit", "attendee_name"],
                name="participant_once_per_activity",
                violation_error_message=_("Peserta ini sudah tercatat pada kegiatan ini untuk unit yang sama."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name} — {self.unit}"


class MentoringVisit(models.Model):
    """A pendampingan visit to one unit: what the officer found and advised."""

    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.PROTECT, related_name="mentoring_visits"
    )
    activity = models.ForeignKey(
        TrainingActivity,
        verbose_name=_("lanjutan dari kegiatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_visits",
    )
    visit_date = models.DateField(_("tanggal kunjungan"), validators=[validate_not_future_date])
    officer = models.ForeignKey(
        FieldOfficer, verbose_name=_("petugas"), on_delete=models.PROTECT, related_name="visits"
    )
    problem_found = models.TextField(_("masalah yang ditemukan"))
    advice_given = models.TextField(_("saran yang diberikan"))

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan pendampingan")
        verbose_name_plural = pgettext_lazy("plural", "kunjungan pendampingan")
        ordering = ["-visit_date"]

    def __str__(self) -> str:
        return f"{self.unit} {self.visit_date}"

    def clean(self) -> None:
        if not self.activity_id:
            return
        # A follow-up visit comes after the activity, to a unit that took part in it.
        errors = {}
        if self.visit_date and self.activity.start_date and self.visit_date < self.activity.start_date:
            errors["visit_date"] = _("Kunjungan lanjutan tidak boleh sebelum kegiatan dimulai (%(date)s).") % {
                "date": self.activity.start_date.strftime("%d-%m-%Y")
            }
        if self.unit_id and not self.activity.participants.filter(unit_id=self.unit_id).exists():
            errors["activity"] = _("Unit ini bukan peserta kegiatan %(activity)s.") % {"activity": self.activity}
        if errors:
            raise ValidationError(errors)


class EquipmentCondition(models.TextChoices):
    BAIK = "baik", _("Baik")
    RUSAK_RINGAN = "rusak_ringan", _("Rusak ringan")
    RUSAK_BERAT = "rusak_berat", _("Rusak berat")
    TIDAK_DIMANFAATKAN = "tidak_dimanfaatkan", _("Tidak dimanfaatkan")
    HILANG = "hilang", _("Hilang")


class EquipmentQuerySet(OwnerRegionScopedQuerySet):
    def region_q(self, code: str) -> Q:
        # By the recipient's place, whether a unit or a sentra.
        return region_level_q(code, "unit__") | region_level_q(code, "sentra__")

    def with_latest_condition(self) -> "EquipmentQuerySet":
        """Annotate `latest_condition` and `latest_checked_on`: the item's condition is its latest check."""
        latest = ConditionCheck.objects.filter(equipment=models.OuterRef("pk")).order_by("-checked_on", "-id")
        return self.annotate(
            latest_condition=models.Subquery(latest.values("condition")[:1]),
            latest_checked_on=models.Subquery(latest.values("checked_on")[:1]),
        )


class EquipmentAssistance(models.Model):
    """Bantuan peralatan: an item handed over (BAST) to exactly one recipient, a unit or a sentra."""

    name = models.CharField(
        _("nama barang"),
        max_length=200,
        help_text=_("Jenis barang, misalnya Mesin jahit. Merek dan tipe diisi di kolom merek dan spesifikasi."),
    )
    brand = models.CharField(_("merek"), max_length=100, blank=True)
    specification = models.TextField(_("spesifikasi"), blank=True)
    quantity = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    quantity_unit = models.CharField(_("satuan"), max_length=30, default="unit")
    value = models.PositiveBigIntegerField(_("nilai (Rp)"))
    funding_source = models.CharField(_("sumber dana"), max_length=15, choices=FundingSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"), validators=[MinValueValidator(2000)])
    handover_date = models.DateField(_("tanggal serah terima"), validators=[validate_not_future_date])
    bast_number = models.CharField(_("nomor BAST"), max_length=100)
    unit = models.ForeignKey(
        IKMUnit,
        verbose_name=_("penerima: unit IKM"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    sentra = models.ForeignKey(
        "sentra.Sentra",
        verbose_name=_("penerima: sentra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    duplicate_justification = models.TextField(
        _("alasan bantuan ganda"),
        blank=True,
        help_text=_("Wajib bila penerima yang sama sudah menerima barang sejenis pada tahun anggaran yang sama."),
    )

    history = HistoricalRecords()
    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bantuan peralatan")
        verbose_name_plural = pgettext_lazy("plural", "bantuan peralatan")
        ordering = ["-handover_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(sentra__isnull=True))
                | (Q(unit__isnull=True) & Q(sentra__isnull=False)),
                name="equipment_exactly_one_recipient",
                violation_error_message=_("Penerima harus tepat satu: unit IKM atau sentra."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.recipient}"

    @property
    def recipient(self):
        return self.unit or self.sentra

    def similar_aid(self):
        """Other items of the same kind to the same recipient in the same fiscal year (auditors flag these)."""
        qs = EquipmentAssistance.objects.filter(fiscal_year=self.fiscal_year, name__iexact=normalize_name(self.name))
        qs = qs.filter(unit_id=self.unit_id) if self.unit_id else qs.filter(sentra_id=self.sentra_id)
        return qs.exclude(pk=self.pk) if self.pk else qs

    def clean(self) -> None:
        # Errors sit on the recipient fields, so the form shows them there (and only once).
        if not self.unit_id and not self.sentra_id:
            raise ValidationError({"unit": _("Pilih penerima bantuan: satu unit IKM atau satu sentra.")})
        if self.unit_id and self.sentra_id:
            raise ValidationError({"sentra": _("Penerima harus tepat satu: isi unit IKM atau sentra, tidak keduanya.")})
        self.name = normalize_name(self.name)
        if self.fiscal_year and self.handover_date and self.handover_date.year < self.fiscal_year:
            raise ValidationError(
                {
                    "handover_date": _("Serah terima tidak boleh sebelum tahun anggaran %(year)s.")
                    % {"year": self.fiscal_year}
                }
            )
        if self.name and self.fiscal_year and not self.duplicate_justification.strip():
            other = self.similar_aid().order_by("handover_date").first()
            if other:
                raise ValidationError(
                    {
                        "duplicate_justification": _(
                            "%(recipient)s sudah menerima %(name)s pada tahun anggaran %(year)s (BAST %(bast)s). "
                            "Bantuan sejenis kedua dalam tahun yang sama wajib disertai alasan tertulis."
                        )
                        % {
                            "recipient": self.recipient,
                            "name": other.name,
                            "year": self.fiscal_year,
                            "bast": other.bast_number,
                        }
                    }
                )

    @property
    def latest_condition_label(self) -> str:
        """The label of the item's condition: from with_latest_condition() when annotated, else its latest check."""
        if hasattr(self, "latest_condition"):
            code = self.latest_condition
        else:
            check = self.latest_check
            code = check.condition if check else None
        return EquipmentCondition(code).label if code else ""

    @property
    def latest_check(self):
        """The latest condition check (its condition is the item's condition), or None before any check."""
        checks = getattr(self, "_prefetched_objects_cache", {}).get("condition_checks")
        if checks is not None:
            # Prefetched lists keep ConditionCheck.Meta.ordering: newest first.
            return checks[0] if checks else None
        return self.condition_checks.order_by("-checked_on", "-id").first()


class ConditionCheck(models.Model):
    """A check of a handed-over item's condition; the latest check is the item's condition."""

    equipment = models.ForeignKey(
        EquipmentAssistance, verbose_name=_("barang"), on_delete=models.CASCADE, related_name="condition_checks"
    )
    checked_on = models.DateField(_("tanggal pemeriksaan"), validators=[validate_not_future_date])
    condition = models.CharField(_("kondisi"), max_length=20, choices=EquipmentCondition.choices)
    officer = models.ForeignKey(
        FieldOfficer, verbose_name=_("petugas"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemeriksaan kondisi")
        verbose_name_plural = pgettext_lazy("plural", "pemeriksaan kondisi")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_condition_display()} ({self.checked_on})"

    def clean(self) -> None:
        handed_over = self.equipment.handover_date if self.equipment_id else None
        if handed_over and self.checked_on and self.checked_on < handed_over:
            raise ValidationError(
                {
                    "checked_on": _("Pemeriksaan tidak boleh sebelum serah terima (%(date)s).")
                    % {"date": handed_over.strftime("%d-%m-%Y")}
                }
            )


class FosteringLevel(models.TextChoices):
    KABKOTA = "kabkota", _("Kabupaten/kota")
    PROVINSI = "provinsi", _("Provinsi")
    KEMENTERIAN = "kementerian", _("Kementerian")


def fostering_level_for(stars: int) -> str:
    """Who fosters an OVOP product: 1-2 stars the kab/kota, 3 the province, 4-5 the ministry.

    >>> [fostering_level_for(s) for s in (1, 2, 3, 4, 5)]
    ['kabkota', 'kabkota', 'provinsi', 'kementerian', 'kementerian']
    """
    if stars <= 2:
        return FosteringLevel.KABKOTA.value
    if stars == 3:
        return FosteringLevel.PROVINSI.value
    return FosteringLevel.KEMENTERIAN.value


class OVOPRatingQuerySet(UnitScopedQuerySet):
    def latest_per_product(self, up_to_year: int | None = None) -> "OVOPRatingQuerySet":
        """Each product's current rating: its latest assessment (up to a year, for reports)."""
        qs = self.filter(assessment_year__lte=up_to_year) if up_to_year else self
        return qs.filter(~models.Exists(self._newer(up_to_year)))

    def with_is_current(self) -> "OVOPRatingQuerySet":
        """Annotate `is_current`: no later assessment of the same product exists."""
        return self.annotate(is_current=~models.Exists(self._newer()))

    @staticmethod
    def _newer(up_to_year: int | None = None):
        # The same product is the same unit and the same name, whatever its case ("Amplang" = "amplang").
        newer = OVOPRating.objects.annotate(product_key=Lower("product_name")).filter(
            unit_id=models.OuterRef("unit_id"),
            product_key=Lower(models.OuterRef("product_name")),
            assessment_year__gt=models.OuterRef("assessment_year"),
        )
        if up_to_year:
            newer = newer.filter(assessment_year__lte=up_to_year)
        return newer


class OVOPRating(models.Model):
    """An OVOP (One Village One Product) star rating of one product in one assessment year."""

    unit = models.ForeignKey(IKMUnit, verbose_name=_("unit IKM"), on_delete=models.PROTECT, related_name="ovop_ratings")
    product_name = models.CharField(_("nama produk"), max_length=200)
    category = models.ForeignKey(Sector, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="+")
    assessment_year = models.PositiveSmallIntegerField(
        _("tahun penilaian"), validators=[MinValueValidator(2000), validate_not_future_year]
    )
    stars = models.PositiveSmallIntegerField(
        _("bintang"),
        validators=[
            MinValueValidator(1, _("Bintang OVOP antara 1 sampai 5.")),
            MaxValueValidator(5, _("Bintang OVOP antara 1 sampai 5.")),
        ],
    )
    fostering_level = models.CharField(
        _("tingkat pembinaan"), max_length=12, choices=FosteringLevel.choices, editable=False
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    assessing_body = models.CharField(_("penilai"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = OVOPRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian OVOP")
        verbose_name_plural = pgettext_lazy("plural", "penilaian OVOP")
        ordering = ["-assessment_year", "product_name"]
        constraints = [
            # Case-insensitive: "Amplang Ikan" and "amplang ikan" of one unit are the same product.
            models.UniqueConstraint(
                F("unit"),
                Lower("product_name"),
                F("assessment_year"),
                name="ovop_one_rating_per_product_year",
                violation_error_message=_(
                    "Produk ini sudah memiliki penilaian OVOP pada tahun penilaian tersebut. Satu produk hanya "
                    "dinilai sekali per tahun: ubah penilaian yang sudah ada."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="ovop_stars_1_to_5",
                violation_error_message=_("Bintang OVOP antara 1 sampai 5."),
            ),
        ]
        indexes = [models.Index(fields=["assessment_year", "stars"], name="ovop_year_stars")]

    def __str__(self) -> str:
        return f"{self.product_name} ★{self.stars} ({self.assessment_year})"

    def save(self, *args, **kwargs):
        # Derived, never typed: the level follows the stars.
        if self.stars:
            self.fostering_level = fostering_level_for(self.stars)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.product_name = normalize_name(self.product_name)
        if self.stars and 1 <= self.stars <= 5:
            self.fostering_level = fostering_level_for(self.stars)

    @property
    def star_display(self) -> str:
        return "★" * (self.stars or 0) + "☆" * (5 - (self.stars or 0))


__all__ = [
    "ActivityKind",
    "ConditionCheck",
    "EquipmentAssistance",
    "EquipmentCondition",
    "FieldOfficer",
    "FosteringLevel",
    "FundingSource",
    "MentoringVisit",
    "OVOPRating",
    "OrganiserLevel",
    "ParticipantOutcome",
    "TrainingActivity",
    "TrainingParticipant",
    "fostering_level_for",
    "normalize_name",
]
