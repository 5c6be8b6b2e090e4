"""One FilterSet per public listing, shared by the pages and the API (same parameters, same units).

Every parameter is validated: an unknown region code, stars=9 or size_class=raksasa is a form error, which
the pages show beside the field and the API returns as a 400 with the field's message. No filter renders a
choice per row of a large table (83,762 villages, thousands of sentra): regions and sentra are codes
checked against the database in one query.
"""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod
from drf_spectacular.utils import extend_schema_field

from ikm_registry.models import (
    Certificate,
    CertificateKind,
    IKMUnit,
    MarketingReach,
    OVOPRating,
    Region,
    RegionKind,
    RegionLevel,
    SizeClass,
)
from ikm_registry.models.scoping import region_level_q
from ikm_registry.public import lookups
from ikm_registry.search import unit_search_q
from sentra.models import Sentra, SentraKind, SentraMembership

# The parts of a Kemendagri code, one per level: province, kab/kota, kecamatan, kelurahan/desa.
REGION_CODE_PARTS = (r"\d{2}", r"\.\d{2}", r"\.\d{2}", r"\.\d{4}")
REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")  # a code at any level
KBLI_PREFIX = re.compile(r"^\d{2,5}$")
STAR_CHOICES = [(str(n), "★" * n) for n in range(1, 6)]
# Fewer units than this changed since `updated_since`: the selection is bounded by them (filter_updated_since).
FEW_CHANGES = 10_000
# Public sorts: each is a keyset (columns ending in the primary key) that an index serves.
SORT_CHOICES = [
    ("name", _("Nama A–Z")),
    ("-name", _("Nama Z–A")),
    ("newest", _("Terbaru terdaftar")),
    ("-updated", _("Perubahan terbaru dulu")),
    ("updated", _("Perubahan terlama dulu")),
]
# The form fields that narrow by region; the page's cascading selects and the API's single `region`.
REGION_FIELDS = ("province", "regency", "district", "village", "region")
REGION_FIELD_LEVELS = {
    "province": RegionLevel.PROVINCE,
    "regency": RegionLevel.REGENCY,
    "district": RegionLevel.DISTRICT,
    "village": RegionLevel.VILLAGE,
}
# Each cascading select with the selects above it, nearest first.
CASCADE_PARENTS = {
    "regency": ("province",),
    "district": ("regency", "province"),
    "village": ("district", "regency", "province"),
}


def public_today() -> datetime.date:
    return timezone.localdate()


def validate_kbli_prefix(value: str) -> None:
    if value and not KBLI_PREFIX.match(value):
        raise forms.ValidationError(_("KBLI harus 2 sampai 5 angka, misalnya 10 atau 16101."), code="invalid")


# What the API's OpenAPI schema says of the parameters whose type and limits drf-spectacular cannot see (they
# live in form fields and filter methods), so that a program knows what a filter accepts before it asks.
PARAMETER_SCHEMAS = {
    "region": {"type": "string", "pattern": REGION_CODE.pattern},
    "parent": {"type": "string", "pattern": REGION_CODE.pattern},
    # A cascading select's code has exactly its level's parts: 62, 62.71, 62.71.01, 62.71.01.1003.
    **{
        name: {"type": "string", "pattern": "^" + "".join(REGION_CODE_PARTS[:level]) + "$"}
        for name, level in REGION_FIELD_LEVELS.items()
    },
    "kbli": {"type": "string", "pattern": KBLI_PREFIX.pattern},
    "sentra": {"type": "integer", "minimum": 1},
    "stars": {"type": "integer", "enum": [int(value) for value, _label in STAR_CHOICES]},
    "updated_since": {"type": "string", "format": "date-time"},
}


def documented_parameters(filterset_class):
    """Class decorator: state the OpenAPI schema (PARAMETER_SCHEMAS, and maxLength of a text filter) on the
    filter set's filters, with the filter's help text or label as the parameter's description."""
    for name, filter_ in filterset_class.base_filters.items():
        schema = dict(PARAMETER_SCHEMAS.get(name, {}))
        if not schema and filter_.extra.get("max_length"):
            schema = {"type": "string", "maxLength": filter_.extra["max_length"]}
        if schema:
            schema["description"] = filter_.extra.get("help_text") or filter_.label
            extend_schema_field(schema)(filter_)
    return filterset_class


class RegionCodeField(forms.CharField):
    """A Kemendagri code (62, 62.71, 62.71.01 or 62.71.01.1003); whether it exists is checked by the form."""

    default_error_messages = {
        "invalid": _("Kode wilayah %(value)s tidak sah: gunakan kode Kemendagri seperti 62.71 atau 62.71.01."),
    }

    def clean(self, value):
        value = super().clean(value)
        if value and not REGION_CODE.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return value


class PublicFilterForm(forms.Form):
    """Checks region codes (and a sentra) against the database and keeps the objects for the page."""

    def clean(self):
        cleaned = super().clean()
        codes = {
            name: cleaned[name]
            for name, field in self.fields.items()
            if isinstance(field, RegionCodeField) and cleaned.get(name)
        }
        self.regions: dict[str, Region] = {}
        if codes:
            found = lookups.regions(codes.values())  # at most one query for every region field
            for name, code in codes.items():
                region = found.get(code)
                expected_level = REGION_FIELD_LEVELS.get(name)
                if region is None:
                    self.add_error(name, _("Kode wilayah tidak dikenal: %(code)s.") % {"code": code})
                elif expected_level and region.level != expected_level:
                    self.add_error(
                        name,
                        _("%(code)s bukan %(level)s.") % {"code": code, "level": RegionLevel(expected_level).label},
                    )
                else:
                    self.regions[name] = region
            # The cascading selects without JavaScript: a kab/kota, kecamatan or village left over from another
            # province, kab/kota or kecamatan is dropped, as the script would have cleared it.
            for child, parents in CASCADE_PARENTS.items():
                region = self.regions.get(child)
                if region and any(p in self.regions and not self.regions[p].contains(region) for p in parents):
                    del self.regions[child]
                    cleaned[child] = ""
        self.sentra = None
        if cleaned.get("sentra"):
            self.sentra = Sentra.objects.filter(pk=cleaned["sentra"]).select_related("regency").first()
            if self.sentra is None:
                self.add_error("sentra", _("Sentra tidak dikenal: %(id)s.") % {"id": cleaned["sentra"]})
        return cleaned

    @property
    def deepest_cascade(self) -> Region | None:
        regions = [r for name, r in getattr(self, "regions", {}).items() if name in REGION_FIELD_LEVELS]
        return max(regions, key=lambda r: r.level) if regions else None

    @property
    def selected_region(self) -> Region | None:
        """The deepest region the visitor chose (the one the page describes and cascades below)."""
        regions = [r for name, r in getattr(self, "regions", {}).items() if name in REGION_FIELDS]
        return max(regions, key=lambda r: r.level) if regions else None


class SectorChoiceFilter(django_filters.ChoiceFilter):
    """Sector by code; the few sectors are read once per request and reused for labels and facets."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sektor"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Sektor tidak dikenal: %(value)s. Gunakan kode seperti PANGAN.")}
        )
        super().__init__(*args, choices=[], **kwargs)


_form_classes: dict[tuple, type] = {}


def shallow_copy(obj):
    """copy.copy() for a plain object (no __slots__, no __copy__), at a fraction of its cost: a form's twenty
    fields and widgets and a filter set's twenty filters are copied on every request."""
    copied = object.__new__(type(obj))
    copied.__dict__.update(obj.__dict__)
    return copied


class SharedChoiceFields(dict):
    """A form class's fields, copied for each form as Django does (field, widget, messages, validators) except
    the choice lists, which no request changes: deep-copying the choices of seven selects, labels and all,
    was half of the filter form's cost on every request."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, field in self.items():
            copied = shallow_copy(field)
            copied.widget = shallow_copy(field.widget)
            copied.widget.attrs = dict(field.widget.attrs)
            copied.error_messages = dict(field.error_messages)
            copied.validators = list(field.validators)
            copies[name] = copied
        return copies


class PublicFilterSet(django_filters.FilterSet):
    """Shared behaviour: sector choices from the database, filtering that can leave out some fields (facets)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter (their choices, validators and messages) for each request,
        # a third of the filter set's cost on a page of the directory. A shallow copy with its own `extra`
        # is enough: a request changes nothing else on a filter.
        base_filters = self.base_filters
        self.base_filters = {}
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.base_filters  # back to the class attribute
        model = self.queryset.model
        self.filters = {}
        for name, base in base_filters.items():
            self.filters[name] = filter_ = shallow_copy(base)
            filter_.extra = dict(base.extra)
            filter_.model, filter_.parent = model, self
            if base.method is not None:
                # A FilterMethod of the copy's own, not the class filter's: what the `method` setter does, without
                # the setter's checks and deletion, for the dozen filters of every request.
                filter_.filter = FilterMethod(filter_)
        if "sector" in self.filters:
            self.sectors = lookups.sectors()
            sector_filter = self.filters["sector"]
            sector_filter.extra["choices"] = lookups.sector_choices(self.sectors)
            # A form field built earlier from the class's filter (the schema generator does) has no choices.
            sector_filter.__dict__.pop("_field", None)

    def get_form_class(self):
        """The form class, built once per filter set and list of sectors (forms copy their fields anyway)."""
        sectors = tuple(self.filters["sector"].extra["choices"]) if "sector" in self.filters else ()
        key = (type(self), sectors)
        form_class = _form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedChoiceFields(form_class.base_fields)
            if len(_form_classes) > 100:  # the sectors changed many times: start again
                _form_classes.clear()
            _form_classes[key] = form_class
        return form_class

    def filter_queryset(self, queryset, exclude=()):
        for name, value in self.form.cleaned_data.items():
            if name in exclude:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def queryset_without(self, *names):
        """The listing with every filter but `names`: what a facet counts over. When none of `names` is in
        use that is the listing itself, and the filters are not applied again."""
        if not self.is_valid():
            return self.queryset.none()
        if not any(self.form.cleaned_data.get(name) not in (None, "") for name in names):
            return self.qs
        return self.filter_queryset(self.queryset.all(), exclude=names)

    @property
    def selected_region(self) -> Region | None:
        return self.form.selected_region if self.is_valid() else None

    def filter_region(self, queryset, name, value):
        region = self.form.regions.get(name)
        if region is None:
            return queryset
        # Of the cascading selects only the deepest filters: the form made sure it lies in the others, and a
        # redundant province = '62' beside regency = '62.71' hides the kab/kota index from the planner.
        if name in REGION_FIELD_LEVELS and region is not self.form.deepest_cascade:
            return queryset
        return queryset.filter(self.region_q(region.code))

    def region_q(self, code: str) -> Q:
        return region_level_q(code)


class RegionCodeFilter(django_filters.CharFilter):
    field_class = RegionCodeField


def _region_filter(label, help_text=""):
    return RegionCodeFilter(method="filter_region", label=label, help_text=help_text)


@documented_parameters
class IKMUnitFilter(PublicFilterSet):
    """The IKM directory: /ikm/ and /api/v1/ikm-units/."""

    q = django_filters.CharFilter(method="filter_q", label=_("Cari nama, merek atau produk"), max_length=200)
    region = _region_filter(_("Wilayah"), _("Kode Kemendagri di tingkat mana pun: 62, 62.71, 62.71.01, 62.71.01.1003."))
    province = _region_filter(_("Provinsi"))
    regency = _region_filter(_("Kabupaten/kota"))
    district = _region_filter(_("Kecamatan"))
    village = _region_filter(_("Kelurahan/desa"), _("Kode Kemendagri kelurahan/desa, mis. 62.71.01.1003."))
    sector = SectorChoiceFilter(field_name="sector_id")
    kbli = django_filters.CharFilter(
        method="filter_kbli",
        label=_("KBLI"),
        help_text=_("Kode KBLI atau awalannya, 2–5 angka."),
        validators=[validate_kbli_prefix],
    )
    size_class = django_filters.ChoiceFilter(
        choices=SizeClass.choices,
        label=_("Kelas usaha"),
        error_messages={
            "invalid_choice": _("Kelas usaha tidak dikenal: %(value)s. Pilihan: kecil, menengah, besar, periksa.")
        },
    )
    certificate = django_filters.ChoiceFilter(
        choices=CertificateKind.choices,
        method="filter_certificate",
        label=_("Sertifikat/izin"),
        error_messages={"invalid_choice": _("Jenis sertifikat tidak dikenal: %(value)s.")},
    )
    marketing_reach = django_filters.ChoiceFilter(
        choices=MarketingReach.choices,
        label=_("Jangkauan pemasaran"),
        error_messages={
            "invalid_choice": _(
                "Jangkauan pemasaran tidak dikenal: %(value)s. Pilihan: lokal, regional, nasional, ekspor."
            )
        },
    )
    stars = django_filters.ChoiceFilter(
        choices=STAR_CHOICES,
        method="filter_stars",
        label=_("Bintang OVOP"),
        error_messages={"invalid_choice": _("Bintang OVOP harus 1 sampai 5, bukan %(value)s.")},
    )
    sentra = django_filters.NumberFilter(method="filter_sentra", label=_("Sentra/kawasan"), min_value=1)
    # For a program keeping a copy: the units published or changed since its last visit (docs/api.md).
    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        label=_("Berubah sejak"),
        help_text=_(
            "Hanya unit yang berubah pada atau sesudah waktu ini (ISO 8601, mis. 2026-12-01T08:00:00+07:00; tanpa "
            "zona waktu berarti waktu kantor, bawaan WIB), untuk menyalin data secara bertahap."
        ),
        error_messages={
            "invalid": _("Waktu tidak sah: gunakan ISO 8601, mis. 2026-12-01 atau 2026-12-01T08:00:00+07:00.")
        },
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_nothing",
        label=_("Urutkan"),
        empty_label=None,
        error_messages={
            "invalid_choice": _("Urutan tidak dikenal: %(value)s. Pilihan: name, -name, newest, -updated, updated.")
        },
    )

    class Meta:
        model = IKMUnit
        fields = []
        form = PublicFilterForm

    _changes_since = _changes_found = None
    # The listing's order when it is not the chosen sort (a sort's name, or "id": the API's list of codes).
    order: str | None = None

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, IKMUnit.objects.public() if queryset is None else queryset, **kwargs)

    @property
    def planned_alike(self) -> bool:
        """Whether the best plan of this selection's queries is the same whatever its values: inside a kab/kota
        (an index scan of a few thousand units at most) and without a text search (whose plan depends on the
        words). Such queries run prepared, planned once per connection (compiled.planned_cursor)."""
        region = self.selected_region
        return region is not None and region.level >= RegionLevel.REGENCY and not self.form.cleaned_data.get("q")

    def filter_q(self, queryset, name, value):
        region = self.form.selected_region
        narrow = region is not None and region.level >= RegionLevel.REGENCY
        condition = unit_search_q(value, indexed=not narrow)
        return queryset.filter(condition) if condition is not None else queryset

    def filter_kbli(self, queryset, name, value):
        return queryset.filter(kbli__code__startswith=value)

    def filter_certificate(self, queryset, name, value):
        return queryset.filter(Exists(valid_certificates(public_today()).filter(unit=OuterRef("pk"), kind=value)))

    def filter_stars(self, queryset, name, value):
        return queryset.filter(Exists(OVOPRating.objects.latest_per_product().filter(unit=OuterRef("pk"), stars=value)))

    def filter_sentra(self, queryset, name, value):
        members = SentraMembership.objects.current_on(public_today()).filter(unit=OuterRef("pk"), sentra_id=value)
        return queryset.filter(Exists(members))

    def filter_updated_since(self, queryset, name, value):
        changed = queryset.filter(updated_at__gte=value)
        if (self.order or self.sort_key) in ("updated", "-updated"):
            return changed  # read from the index on updated_at in its order
        # In another order PostgreSQL walks that order's index and keeps the changed units it meets. Its
        # statistics end at the last ANALYZE, so they cannot tell how few units changed in the last hours: at a
        # million units a page by name since this morning walked the whole name index, 1.7 s. A few changed
        # units are counted on the updated_at index first, and their exact number bounds the selection.
        every_changed = IKMUnit.objects.filter(updated_at__gte=value).order_by("updated_at").values("pk")
        if self._changes_since != value:  # counted once per request, though the facets filter again
            self._changes_since = value
            found = every_changed[:FEW_CHANGES].count()  # public or not: what the index on updated_at holds
            self._changes_found = found if found < FEW_CHANGES else None
        if self._changes_found is None:
            return changed  # many: the order's index meets them soon enough
        return changed.filter(pk__in=every_changed[: self._changes_found])

    def filter_nothing(self, queryset, name, value):
        return queryset  # `sort` is read by the paginator

    @property
    def sort_key(self) -> str:
        """The chosen sort; by default by name, or in the order of change when asked what changed since."""
        if not self.is_valid():
            return "name"
        data = self.form.cleaned_data
        return data.get("sort") or ("updated" if data.get("updated_since") else "name")


def valid_certificates(on: datetime.date):
    """Certificates in force on a day (no expiry date, or not yet expired)."""
    return Certificate.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


@documented_parameters
class SentraFilter(PublicFilterSet):
    """The sentra directory: /sentra/ and /api/v1/sentra/."""

    q = django_filters.CharFilter(method="filter_q", label=_("Cari nama atau komoditas"), max_length=200)
    region = _region_filter(_("Wilayah"), _("Kode Kemendagri di tingkat mana pun."))
    province = _region_filter(_("Provinsi"))
    regency = _region_filter(_("Kabupaten/kota"))
    sector = SectorChoiceFilter(field_name="sector_id")
    kind = django_filters.ChoiceFilter(
        choices=SentraKind.choices,
        label=_("Jenis"),
        error_messages={"invalid_choice": _("Jenis sentra tidak dikenal: %(value)s.")},
    )

    class Meta:
        model = Sentra
        fields = []
        form = PublicFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, Sentra.objects.all() if queryset is None else queryset, **kwargs)

    def filter_q(self, queryset, name, value):
        for word in value.split()[:6]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(main_commodity__icontains=word))
        return queryset


@documented_parameters
class OVOPProductFilter(PublicFilterSet):
    """The OVOP catalogue: /ovop/ and /api/v1/ovop-products/ (each product's current rating)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Cari produk atau nama usaha"), max_length=200)
    region = _region_filter(_("Wilayah"), _("Kode Kemendagri di tingkat mana pun."))
    province = _region_filter(_("Provinsi"))
    regency = _region_filter(_("Kabupaten/kota"))
    sector = SectorChoiceFilter(field_name="category_id", label=_("Kategori"))
    kbli = django_filters.CharFilter(method="filter_kbli", label=_("KBLI"), validators=[validate_kbli_prefix])
    size_class = django_filters.ChoiceFilter(
        field_name="unit__size_class",
        choices=SizeClass.choices,
        label=_("Kelas usaha"),
        error_messages={
            "invalid_choice": _("Kelas usaha tidak dikenal: %(value)s. Pilihan: kecil, menengah, besar, periksa.")
        },
    )
    stars = django_filters.ChoiceFilter(
        choices=STAR_CHOICES,
        label=_("Bintang OVOP"),
        error_messages={"invalid_choice": _("Bintang OVOP harus 1 sampai 5, bukan %(value)s.")},
    )

    class Meta:
        model = OVOPRating
        fields = []
        form = PublicFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = public_ovop_products()
        super().__init__(data, queryset, **kwargs)

    def region_q(self, code: str) -> Q:
        return region_level_q(code, "unit__")

    def filter_q(self, queryset, name, value):
        condition = Q()
        for word in value.split()[:6]:
            condition &= Q(product_name__icontains=word) | Q(unit__business_name__icontains=word)
        return queryset.filter(condition)

    def filter_kbli(self, queryset, name, value):
        return queryset.filter(unit__kbli__code__startswith=value)


def public_ovop_products():
    """Each product's current OVOP rating, for products of public units only.

    The unit's public state is checked by a scalar subquery per rating (a primary-key probe) rather than a
    join: joined, PostgreSQL hashes the whole million-unit table to keep 15,000 ratings (250 ms); probed,
    the catalogue's first page reads 30 ratings in product-name order (0.3 ms).
    """
    public_unit = IKMUnit.objects.public().filter(pk=OuterRef("unit_id")).order_by().values("pk")[:1]
    return (
        OVOPRating.objects.latest_per_product()
        .alias(public_unit=Subquery(public_unit))
        .filter(public_unit__isnull=False)
    )


@documented_parameters
class RegionFilter(django_filters.FilterSet):
    """Regions for programs and for the cascading selects: /api/v1/regions/?parent=62.71."""

    parent = RegionCodeFilter(label=_("Induk"), field_name="parent_id")
    level = django_filters.TypedChoiceFilter(
        choices=RegionLevel.choices,
        coerce=int,
        label=_("Tingkat"),
        error_messages={"invalid_choice": _("Tingkat wilayah harus 1 (provinsi) sampai 4 (kelurahan/desa).")},
    )
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices, label=_("Jenis"))
    q = django_filters.CharFilter(method="filter_q", label=_("Cari nama"), max_length=100)

    class Meta:
        model = Region
        fields = []
        form = PublicFilterForm

    def filter_q(self, queryset, name, value):
        # "Langkai" or "Langkai, Pahandut": the path holds the names of the parents, as in the admin.
        return queryset.filter(Q(name__icontains=value) | Q(path__icontains=value))
