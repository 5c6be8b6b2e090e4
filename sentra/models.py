import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ikm_registry.models import IKMUnit, Region, RegionLevel, Sector
from ikm_registry.models.scoping import ScopedQuerySet, region_level_q

# PP 29/2018, Pasal 1: a sentra IKM groups at least five units.
SENTRA_MINIMUM_MEMBERS = 5


class SentraKind(models.TextChoices):
    SENTRA = "sentra", _("Sentra IKM")
    KAWASAN = "kawasan", _("Kawasan IKM")
    LIK = "lik", _("LIK (Lingkungan Industri Kecil)")
    PIK = "pik", _("PIK (Perkampungan Industri Kecil)")
    SUIK = "suik", _("SUIK (Sarana Usaha Industri Kecil)")


class SentraStatus(models.TextChoices):
    FORMAL = "formal", _("Formal (dengan SK)")
    NON_FORMAL = "non_formal", _("Non-formal")


class SentraQuerySet(ScopedQuerySet):
    def region_q(self, code: str) -> Q:
        return region_level_q(code)

    def with_member_count(self, on: datetime.date | None = None) -> "SentraQuerySet":
        """Annotate `member_count`: members on a day (today by default)."""
        on = on or datetime.date.today()
        current = Q(memberships__joined_on__lte=on) & (
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=on)
        )
        return self.annotate(member_count=Count("memberships", filter=current, distinct=True))


class Sentra(models.Model):
    """A sentra IKM or kawasan IKM (LIK, PIK, SUIK): units grouped in one place making similar products."""

    code = models.CharField(_("kode"), max_length=30, unique=True, null=True, blank=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=SentraKind.choices, default=SentraKind.SENTRA)
    status = models.CharField(_("status"), max_length=10, choices=SentraStatus.choices, default=SentraStatus.NON_FORMAL)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    village = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan/desa"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    regency = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    main_commodity = models.CharField(_("komoditas utama"), max_length=200)
    sector = models.ForeignKey(Sector, verbose_name=_("sektor"), on_delete=models.PROTECT, related_name="+")
    year_formed = models.PositiveSmallIntegerField(
        _("tahun terbentuk"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    area_hectares = models.DecimalField(_("luas (ha)"), max_digits=10, decimal_places=2, null=True, blank=True)
    managing_body = models.CharField(_("pengelola"), max_length=200, blank=True)
    contact = models.CharField(_("kontak pengelola"), max_length=200, blank=True)
    shared_facilities = models.TextField(_("fasilitas bersama"), blank=True, help_text=_("Misalnya UPT, rumah produksi bersama."))
    description = models.TextField(_("deskripsi"), blank=True)

    history = HistoricalRecords()
    objects = SentraQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra/kawasan")
        verbose_name_plural = _("sentra/kawasan")
        ordering = ["name"]
        indexes = [models.Index(fields=["regency", "kind"], name="sentra_regency_kind")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Same derivation as IKM units: the village fixes the higher levels.
        parts = self.village_id.split(".")
        self.province_id, self.regency_id, self.district_id = parts[0], ".".join(parts[:2]), ".".join(parts[:3])
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.status == SentraStatus.FORMAL and not self.decree_number:
            raise ValidationError({"decree_number": _("Sentra formal harus memiliki nomor SK.")})

    def members_on(self, on: datetime.date):
        return IKMUnit.objects.filter(
            Exists(SentraMembership.objects.filter(unit=OuterRef("pk"), sentra=self).current_on(on))
        )

    def active_member_count(self, on: datetime.date | None = None) -> int:
        return self.memberships.current_on(on or datetime.date.today()).filter(unit__status="aktif").count()

    def below_minimum(self, on: datetime.date | None = None) -> bool:
        return self.active_member_count(on) < SENTRA_MINIMUM_MEMBERS


class MembershipQuerySet(models.QuerySet):
    def current_on(self, on: datetime.date) -> "MembershipQuerySet":
        return self.filter(Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on)))

    def during_year(self, year: int) -> "MembershipQuerySet":
        """Memberships that overlapped a year at any point (for reports on earlier years)."""
        return self.filter(joined_on__lte=datetime.date(year, 12, 31)).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=datetime.date(year, 1, 1))
        )

    def for_user(self, user):
        return self.filter(sentra__in=Sentra.objects.for_user(user))


class SentraMembership(models.Model):
    """A unit's membership of a sentra, with joined and left dates; at most one open membership per unit."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="sentra_memberships"
    )
    joined_on = models.DateField(_("tanggal bergabung"))
    left_on = models.DateField(_("tanggal keluar"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan sentra")
        verbose_name_plural = _("keanggotaan sentra")
        ordering = ["sentra", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_unit",
                violation_error_message=_("Unit ini masih tercatat sebagai anggota sentra lain."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} @ {self.sentra}"

    def clean(self) -> None:
        if not (self.unit_id and self.joined_on):
            return
        # No two memberships of one unit may overlap in time, open or closed.
        end = self.left_on or datetime.date.max
        overlapping = SentraMembership.objects.filter(unit_id=self.unit_id, joined_on__lt=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=self.joined_on)
        )
        if self.pk:
            overlapping = overlapping.exclude(pk=self.pk)
        other = overlapping.select_related("sentra").first()
        if other:
            raise ValidationError(
                _("Unit ini sudah menjadi anggota %(sentra)s pada periode itu.") % {"sentra": other.sentra}
            )
