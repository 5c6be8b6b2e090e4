import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ikm_registry.models import (
    EquipmentAssistance,
    IKMUnit,
    MentoringVisit,
    Region,
    RegionLevel,
    Sector,
    TrainingActivity,
    TrainingParticipant,
    YearlyFigures,
)
from ikm_registry.models.scoping import ScopedQuerySet, region_level_q
from ikm_registry.models.units import validate_not_future_year

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
        """Annotate `member_count`: active units that are members on a day (today by default).

        The same count as Sentra.active_member_count, in one query for a whole list."""
        on = on or timezone.localdate()
        current = (
            Q(memberships__joined_on__lte=on)
            & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=on))
            & Q(memberships__unit__status="aktif")
        )
        return self.annotate(member_count=Count("memberships", filter=current, distinct=True))

    def below_minimum(self, on: datetime.date | None = None) -> "SentraQuerySet":
        """Sentra with fewer active members than the legal minimum (flagged, never refused)."""
        return self.with_member_count(on).filter(member_count__lt=SENTRA_MINIMUM_MEMBERS)


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
        _("tahun terbentuk"), null=True, blank=True, validators=[MinValueValidator(1900), validate_not_future_year]
    )
    area_hectares = models.DecimalField(
        _("luas (ha)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    managing_body = models.CharField(_("pengelola"), max_length=200, blank=True)
    contact = models.CharField(_("kontak pengelola"), max_length=200, blank=True)
    shared_facilities = models.TextField(
        _("fasilitas bersama"), blank=True, help_text=_("Misalnya UPT, rumah produksi bersama.")
    )
    description = models.TextField(_("deskripsi"), blank=True)

    history = HistoricalRecords()
    objects = SentraQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra/kawasan")
        verbose_name_plural = pgettext_lazy("plural", "sentra/kawasan")
        ordering = ["name"]
        indexes = [models.Index(fields=["regency", "kind"], name="sentra_regency_kind")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.assign_regions()
        # The current members' public records carry the sentra's name: a new name is a change of each of them.
        renamed = self.pk is not None and Sentra.objects.filter(pk=self.pk).exclude(name=self.name).exists()
        super().save(*args, **kwargs)
        if renamed:
            Sentra.touch_current_members([self.pk])

    @staticmethod
    def touch_current_members(sentra_ids) -> None:
        """Mark the units that are members of these sentra today as changed (IKMUnitQuerySet.touch)."""
        members = SentraMembership.objects.current_on(timezone.localdate()).filter(sentra_id__in=list(sentra_ids))
        IKMUnit.objects.touch(members.values_list("unit_id", flat=True))

    def assign_regions(self) -> None:
        """Same derivation as IKM units: the village fixes kecamatan, kab/kota and province."""
        if self.village_id:
            parts = self.village_id.split(".")
            self.province_id, self.regency_id, self.district_id = parts[0], ".".join(parts[:2]), ".".join(parts[:3])

    def clean(self) -> None:
        errors = {}
        if self.status == SentraStatus.FORMAL:
            # A formal sentra is one set by a decree (SK of the bupati/wali kota): number and date.
            if not self.decree_number.strip():
                errors["decree_number"] = _("Sentra formal harus memiliki nomor SK.")
            if not self.decree_date:
                errors["decree_date"] = _("Sentra formal harus memiliki tanggal SK.")
        if self.decree_date and self.decree_date > timezone.localdate():
            errors["decree_date"] = _("Tanggal SK tidak boleh di masa depan.")
        if self.village_id:
            try:
                village = self.village
            except Region.DoesNotExist:
                village = None
            if village is None or village.level != RegionLevel.VILLAGE:
                errors["village"] = _("Pilih kelurahan/desa.")
        if errors:
            raise ValidationError(errors)

    def members_on(self, on: datetime.date):
        return IKMUnit.objects.filter(
            Exists(SentraMembership.objects.filter(unit=OuterRef("pk"), sentra=self).current_on(on))
        )

    def members_in_year(self, year: int):
        """Units that were members at any time in `year` (a report for an earlier year counts these)."""
        return IKMUnit.objects.filter(
            Exists(SentraMembership.objects.filter(unit=OuterRef("pk"), sentra=self).during_year(year))
        )

    def member_figures(self, year: int) -> list["MemberFigures"]:
        """The members of `year` with their workers and production value of that year (None when not reported).

        Two queries, whatever the number of members."""
        memberships = list(
            self.memberships.during_year(year)
            .select_related("unit", "unit__village")
            .order_by("unit__business_name", "unit_id", "-joined_on")
        )
        figures = {
            f.unit_id: f for f in YearlyFigures.objects.filter(unit_id__in=[m.unit_id for m in memberships], year=year)
        }
        rows, seen = [], set()
        for membership in memberships:
            if membership.unit_id in seen:  # rejoined within the year: one row per unit
                continue
            seen.add(membership.unit_id)
            rows.append(MemberFigures(membership, figures.get(membership.unit_id)))
        return rows

    def figure_years(self) -> list[int]:
        """Years for which any of its members (past or present) reported figures, newest first."""
        return list(
            YearlyFigures.objects.filter(unit__sentra_memberships__sentra=self)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )

    def support_received(self) -> "SentraSupport":
        """Support the sentra received: equipment handed to it, equipment and activities its members received
        while they were members, and mentoring visits to them. Four queries."""

        # One filter() call per relation, so the date conditions apply to the same membership row.
        def member_at(date_path: str, prefix: str = "unit__") -> Q:
            m = prefix + "sentra_memberships__"
            return Q(**{m + "sentra": self, m + "joined_on__lte": F(date_path)}) & (
                Q(**{m + "left_on__isnull": True}) | Q(**{m + "left_on__gt": F(date_path)})
            )

        equipment = list(
            EquipmentAssistance.objects.with_latest_condition()
            .filter(Q(sentra=self) | member_at("handover_date"))
            .select_related("unit")
            .distinct()
            .order_by("-handover_date", "-id")
        )
        per_activity = dict(
            TrainingParticipant.objects.filter(member_at("activity__start_date"))
            .values_list("activity_id")
            .annotate(units=Count("unit_id", distinct=True))
            .order_by()
        )
        activities = [
            (activity, per_activity[activity.pk])
            for activity in TrainingActivity.objects.filter(pk__in=per_activity).order_by("-start_date", "title")
        ]
        visits = MentoringVisit.objects.filter(member_at("visit_date")).distinct().count()
        return SentraSupport(
            equipment_to_sentra=[e for e in equipment if e.sentra_id == self.pk],
            equipment_to_members=[e for e in equipment if e.unit_id],
            activities=activities,
            mentoring_visits=visits,
        )

    def active_member_count(self, on: datetime.date | None = None) -> int:
        return self.memberships.current_on(on or timezone.localdate()).filter(unit__status="aktif").count()

    def below_minimum(self, on: datetime.date | None = None) -> bool:
        return self.active_member_count(on) < SENTRA_MINIMUM_MEMBERS


@dataclasses.dataclass
class SentraSupport:
    """What a sentra received, for its admin page (see Sentra.support_received)."""

    equipment_to_sentra: list[EquipmentAssistance]
    equipment_to_members: list[EquipmentAssistance]
    activities: list[tuple[TrainingActivity, int]]  # with the number of member units that took part
    mentoring_visits: int

    @property
    def equipment_value(self) -> int:
        return sum(e.value for e in self.equipment_to_sentra) + sum(e.value for e in self.equipment_to_members)


@dataclasses.dataclass
class MemberFigures:
    """One row of a sentra's member table: the membership and the unit's figures for the chosen year."""

    membership: "SentraMembership"
    figures: YearlyFigures | None

    @property
    def unit(self) -> IKMUnit:
        return self.membership.unit

    @property
    def workers_male(self) -> int | None:
        return self.figures.workers_male if self.figures else None

    @property
    def workers_female(self) -> int | None:
        return self.figures.workers_female if self.figures else None

    @property
    def workers_total(self) -> int | None:
        return self.figures.workers_total if self.figures else None

    @property
    def production_value(self) -> int | None:
        return self.figures.production_value if self.figures else None


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
        verbose_name_plural = pgettext_lazy("plural", "keanggotaan sentra")
        ordering = ["sentra", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_unit",
                violation_error_message=_("Unit ini masih tercatat sebagai anggota sentra lain."),
                violation_error_code="membership_open_elsewhere",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} @ {self.sentra}"

    def overlaps(self, other: "SentraMembership") -> bool:
        """Whether two periods [joined_on, left_on) share a day; an open period runs on for ever."""
        end, other_end = self.left_on or datetime.date.max, other.left_on or datetime.date.max
        return self.joined_on < other_end and other.joined_on < end

    def clean(self) -> None:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("Tanggal keluar tidak boleh sebelum tanggal bergabung.")})
        if self.joined_on and self.joined_on > timezone.localdate():
            raise ValidationError({"joined_on": _("Tanggal bergabung tidak boleh di masa depan.")})
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
            period = (
                other.joined_on.strftime("%d-%m-%Y")
                + " – "
                + (other.left_on.strftime("%d-%m-%Y") if other.left_on else str(_("sekarang")))
            )
            raise ValidationError(
                _("%(unit)s sudah menjadi anggota %(sentra)s pada periode itu (%(period)s).")
                % {"unit": self.unit, "sentra": other.sentra, "period": period}
            )

    def validate_constraints(self, exclude=None):
        # clean() already refuses every overlap and names the other sentra; the open-membership
        # constraint would repeat the same refusal in vaguer words. The database still enforces it.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            kept = {}
            for field, errors in error.error_dict.items():
                errors = [e for e in errors if e.code != "membership_open_elsewhere"]
                if errors:
                    kept[field] = errors
            if kept:
                raise ValidationError(kept) from error
