from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikm_registry.models import Region, RegionLevel, scope_region_code, user_can_access_region
from reports.aggregates import MIN_YEAR, NATION, ReportError, ReportRegion, check_year, resolve_region
from reports.models import NATIONAL_CODE


def region_choices(user) -> list[tuple[str, str]]:
    """The regions a staff account may report on, as select choices: its own region and what lies below,
    down to kecamatan. National staff get the nation, provinces and kab/kota (a kecamatan by its code)."""
    scope = scope_region_code(user)
    if scope is None:
        return []
    if scope == "":
        regions = Region.objects.filter(level__lte=RegionLevel.REGENCY)
        choices = [(NATIONAL_CODE, str(_("Indonesia (nasional)")))]
    else:
        regions = Region.objects.filter(
            Q(code=scope) | Q(code__startswith=scope + "."), level__lte=RegionLevel.DISTRICT
        )
        choices = []
    for code, name, level in regions.filter(is_active=True).order_by("code").values_list("code", "name", "level"):
        indent = "\u2003" * (level - 1)
        label = _("Kecamatan %(name)s") % {"name": name} if level == RegionLevel.DISTRICT else name
        choices.append((code, f"{indent}{code} {label}"))
    return choices


class ReportRequestForm(forms.Form):
    """A region within the user's scope and a year."""

    region = forms.CharField(label=_("Wilayah"), max_length=13)
    year = forms.IntegerField(label=_("Tahun"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].widget = forms.Select(choices=region_choices(user))
        this_year = timezone.localdate().year
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": this_year})
        if not self.is_bound:
            # Reports are usually asked for the last complete year.
            self.initial.setdefault("year", this_year - 1)

    def clean_year(self) -> int:
        try:
            return check_year(self.cleaned_data["year"])
        except ReportError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_region(self) -> ReportRegion:
        code = self.cleaned_data["region"].strip()
        try:
            region = resolve_region(code)
        except ReportError as exc:
            raise forms.ValidationError(str(exc)) from exc
        allowed = (
            scope_region_code(self.user) == "" if region == NATION else user_can_access_region(self.user, region.code)
        )
        if not allowed:
            raise forms.ValidationError(_("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": code})
        return region


class PublishForm(ReportRequestForm):
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
