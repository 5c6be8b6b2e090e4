from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ikm_registry.models.regions import Region, RegionLevel


class Role(models.TextChoices):
    """The staff groups. Their permissions are set by the `setup_roles` data migration."""

    OPERATOR = "Operator", _("Operator")
    VERIFIKATOR = "Verifikator", _("Verifikator")
    PIMPINAN = "Pimpinan", _("Pimpinan")
    ADMIN = "Admin", _("Admin")


class StaffProfile(models.Model):
    """A staff account's home region: a kabupaten/kota or a province office. Empty only for national staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [RegionLevel.PROVINCE, RegionLevel.REGENCY]},
        help_text=_("Kabupaten/kota atau provinsi. Kosong berarti nasional (semua wilayah)."),
    )
    is_national = models.BooleanField(
        _("akses nasional"), default=False, help_text=_("Centang untuk staf kementerian yang melihat semua wilayah.")
    )
    office_name = models.CharField(_("nama kantor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("profil staf")
        verbose_name_plural = pgettext_lazy("plural", "profil staf")

    def __str__(self) -> str:
        return f"{self.user} — {self.home_region or _('nasional')}"

    def clean(self) -> None:
        if self.home_region_id and self.home_region.level not in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
            raise ValidationError({"home_region": _("Wilayah kerja harus kabupaten/kota atau provinsi.")})
        if not self.home_region_id and not self.is_national:
            raise ValidationError({"home_region": _("Pilih wilayah kerja, atau centang akses nasional.")})


def scope_region_code(user) -> str | None:
    """The region code a user may work in: "" for everything, None for nothing (no profile, not staff)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ""
    cached = getattr(user, "_scope_region_code", False)
    if cached is not False:
        return cached
    profile = StaffProfile.objects.filter(user=user).only("home_region_id", "is_national").first()
    if profile is None:
        code = None
    elif profile.is_national:
        code = ""
    else:
        code = profile.home_region_id
    # Cached on the user object for the length of one request: scope is asked many times per page.
    user._scope_region_code = code
    return code


def user_can_access_region(user, region_code: str | None) -> bool:
    scope = scope_region_code(user)
    if scope is None or region_code is None:
        return False
    return scope == "" or region_code == scope or region_code.startswith(scope + ".")


class NIKAccessLog(models.Model):
    """Who saw a whole NIK, when, and of which unit: UU PDP asks that access to personal data be accountable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.PROTECT)
    # The audit trail outlives the unit: a deleted unit leaves its registry code behind.
    unit = models.ForeignKey("ikm_registry.IKMUnit", verbose_name=_("unit IKM"), null=True, on_delete=models.SET_NULL)
    unit_code = models.CharField(_("kode IKM"), max_length=20, blank=True, editable=False)
    accessed_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    purpose = models.CharField(_("keperluan"), max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("log akses NIK")
        verbose_name_plural = pgettext_lazy("plural", "log akses NIK")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.unit_code or self.unit_id} {self.accessed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.unit_id and not self.unit_code:
            self.unit_code = self.unit.registry_code
        super().save(*args, **kwargs)
