from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """A sektor IKM as regional offices group them (Industri Pangan, Sandang, ...), mapped from KBLI divisions."""

    code = models.CharField(_("kode"), max_length=20, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    # Two-digit KBLI divisions (section C) that default to this sector, e.g. "10,11,12".
    kbli_divisions = models.CharField(
        _("divisi KBLI"),
        max_length=100,
        blank=True,
        help_text=_("Divisi KBLI dua digit, dipisah koma, misalnya 10,11."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sektor")
        verbose_name_plural = pgettext_lazy("plural", "sektor")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language, for the public pages. The stored name stays Indonesian (the API,
        exports and reports publish it); the seven official names are in the catalogue (reference_data.py),
        and a sector an office added or renamed has no translation, so gettext gives its stored name back."""
        return gettext(self.name)

    def division_list(self) -> list[str]:
        return [d.strip() for d in self.kbli_divisions.split(",") if d.strip()]

    @classmethod
    def for_kbli_code(cls, code: str) -> "Sector | None":
        division = (code or "")[:2]
        if not division:
            return None
        for sector in cls.objects.all():
            if division in sector.division_list():
                return sector
        return None


class KBLIEdition(models.TextChoices):
    KBLI_2020 = "2020", _("KBLI 2020 (Peraturan BPS 2/2020)")
    KBLI_2025 = "2025", _("KBLI 2025 (Peraturan BPS 7/2025)")


class KBLI(models.Model):
    """A KBLI (Klasifikasi Baku Lapangan Usaha Indonesia) code of section C, manufacturing, with its edition."""

    code = models.CharField(
        _("kode"),
        max_length=5,
        validators=[RegexValidator(r"^\d{2,5}$", _("Kode KBLI terdiri dari 2 sampai 5 angka."))],
    )
    edition = models.CharField(_("edisi"), max_length=4, choices=KBLIEdition.choices, default=KBLIEdition.KBLI_2020)
    title = models.CharField(_("judul"), max_length=255)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sektor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="kbli_codes"
    )

    class Meta:
        verbose_name = _("KBLI")
        verbose_name_plural = pgettext_lazy("plural", "KBLI")
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "edition"], name="kbli_unique_code_edition")]

    def __str__(self) -> str:
        return f"{self.code} {self.title} ({self.edition})"
