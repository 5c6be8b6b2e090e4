"""Read-only open API: IKM units, sentra, OVOP products, regions. No login, throttled, nothing personal.

Each list uses the same FilterSet as its page, so /api/v1/ikm-units/?regency=62.71&sector=KAYU returns the
units /ikm/?regency=62.71&sector=KAYU lists, in the same order. Bad filter values are a 400 whose body names
the field and says what is wrong; a malformed cursor or page_size is a 400 too.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ikm_registry.api.pagination import KeysetPagination
from ikm_registry.api.renderers import FastJSONRenderer
from ikm_registry.api.serializers import (
    CountedRegionSerializer,
    CountedSentraSerializer,
    CountedValueSerializer,
    IKMUnitDetailSerializer,
    IKMUnitSerializer,
    OVOPProductSerializer,
    RegionSerializer,
    SentraDetailSerializer,
    SentraSerializer,
)
from ikm_registry.models import Certificate, IKMUnit, OVOPRating, Product, Region
from ikm_registry.public import stats
from ikm_registry.public.facets import FACETS, directory_counts, facet_values
from ikm_registry.public.filters import (
    IKMUnitFilter,
    OVOPProductFilter,
    RegionFilter,
    SentraFilter,
    public_ovop_products,
    public_today,
)
from ikm_registry.public.pagination import NEXT, SORTS, CursorError, decode_cursor, encode_cursor
from ikm_registry.public.records import RECORD_FIELDS, attach_regions, attach_sectors, decorate, decorate_sentra
from sentra.models import Sentra, SentraMembership

# The shape of /ikm-units/counts/, for the schema: the view builds the dict itself.
COUNTS_RESPONSE = inline_serializer(
    "IKMUnitCounts",
    {
        "total": serializers.IntegerField(help_text=gettext_lazy("IKM dalam pilihan ini.")),
        **{facet: CountedValueSerializer(many=True) for facet in FACETS},
        "region": CountedRegionSerializer(
            many=True,
            help_text=gettext_lazy("Anak wilayah yang dipilih (provinsi bila belum ada), dengan jumlah IKM-nya."),
        ),
        "sentra": CountedSentraSerializer(
            many=True, help_text=gettext_lazy("Sentra di kab/kota yang dipilih, dengan anggotanya dalam pilihan ini.")
        ),
    },
)

# /ikm-units/codes/: every public registry code of a selection, by id, this many to a page at most.
CODES_PER_PAGE = 10_000
CODE_SORTS = {"id": (("id",), False)}
CODES_RESPONSE = inline_serializer(
    "IKMUnitCodes",
    {
        "next": serializers.URLField(allow_null=True),
        "results": serializers.ListField(
            child=serializers.CharField(), help_text=gettext_lazy("Kode registri, urut menurut nomor unit.")
        ),
    },
)


class CodesPagination(KeysetPagination):
    # Only its page_size rule: /codes/ pages by id itself, reading codes rather than units.
    page_size = max_page_size = CODES_PER_PAGE


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    renderer_classes = [FastJSONRenderer]
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]
    sorts: dict = {}
    default_sort = ""

    def filter_queryset(self, queryset, order: str | None = None):
        # Kept on the view: the paginator reads the validated sort from it, `counts` its selection.
        self.filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if self.filterset is None:
            return queryset
        if order is not None:
            self.filterset.order = order  # a listing in its own order, whatever the sort asked
        if not self.filterset.is_valid():
            raise translate_validation(self.filterset.errors)
        return self.filterset.qs

    def get_sort(self) -> str:
        return self.default_sort

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Django's message names the model, in English ("No IKMUnit matches the given query.").
            raise NotFound(_("Tidak ditemukan: kode atau nomor ini tidak ada, atau datanya tidak terbit.")) from None

    def plans_alike(self) -> bool:
        """Whether the list's page query may run prepared (see IKMUnitFilter.planned_alike)."""
        return False


@extend_schema_view(
    list=extend_schema(summary="Daftar IKM aktif terverifikasi"),
    retrieve=extend_schema(summary="Satu IKM, dengan sertifikat, produk dan penilaian OVOP"),
)
class IKMUnitViewSet(PublicReadOnlyViewSet):
    """IKM units that are verified and active. Ordered by `sort` (name, -name, newest), paged by cursor."""

    filterset_class = IKMUnitFilter
    lookup_field = "registry_code"
    lookup_value_regex = r"[A-Za-z0-9-]+"
    sorts = SORTS

    def get_queryset(self):
        queryset = IKMUnit.objects.public()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("products", queryset=Product.objects.only("id", "unit_id", "name").order_by("name")),
                Prefetch("certificates", queryset=Certificate.objects.order_by("kind", "-issued_on")),
                Prefetch(
                    "ovop_ratings",
                    queryset=OVOPRating.objects.latest_per_product().select_related("category").order_by("-stars"),
                    to_attr="current_ratings",
                ),
            )
        return queryset

    def get_serializer_class(self):
        return IKMUnitDetailSerializer if self.action == "retrieve" else IKMUnitSerializer

    def get_sort(self) -> str:
        return self.filterset.sort_key

    def plans_alike(self) -> bool:
        return self.filterset.planned_alike

    def paginate_queryset(self, queryset):
        # A list reads only what public_record() publishes: no owner's data leaves the database for it.
        return decorate(super().paginate_queryset(queryset.only(*RECORD_FIELDS)), self.filterset.sectors)

    def get_object(self):
        return decorate([super().get_object()])[0]

    @extend_schema(
        summary="Jumlah IKM dan hitungan per nilai filter untuk pilihan saat ini",
        responses={200: COUNTS_RESPONSE},
        filters=True,  # the list's filters, though the answer is not a list
    )
    @action(detail=False, pagination_class=None)
    def counts(self, request):
        """The directory page's counts: total of the selection and, per filter, units per value."""
        self.filter_queryset(self.get_queryset())
        counts = directory_counts(self.filterset, stats.figures_stamp(request.query_params))
        facets = facet_values(counts, self.filterset)
        data = {"total": counts.total}
        for name, values in facets.items():
            data[name] = [{"value": v.value, "label": str(v.label), "count": v.count} for v in values]
        data["region"] = [{"code": code, "count": n} for code, n in sorted(counts.region.items())]
        data["sentra"] = [
            {"id": sentra_id, "name": name, "count": n} for sentra_id, (name, n) in sorted(counts.sentra.items())
        ]
        return Response(data)

    @extend_schema(
        summary="Kode registri semua IKM dalam pilihan, untuk mencocokkan salinan data",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description=gettext_lazy("Kursor halaman dari tautan next.")),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": CODES_PER_PAGE},
                description=gettext_lazy("Jumlah kode per halaman, 1 sampai 10.000 (bawaan 10.000)."),
            ),
            OpenApiParameter("sort", exclude=True),  # codes come by unit number whatever the sort
        ],
        responses={200: CODES_RESPONSE},
        filters=True,
    )
    @action(detail=False, pagination_class=None)
    def codes(self, request):
        """The registry code of every public unit in the selection, 10,000 to a page: a copy kept in step
        compares them with its own to find the units that are no longer public (docs/api.md)."""
        queryset = self.filter_queryset(self.get_queryset(), order="id")
        size = CodesPagination().get_page_size(request)
        after = 0
        if cursor := request.query_params.get("cursor"):
            try:
                direction, (after,) = decode_cursor(cursor, "id", CODE_SORTS)
            except CursorError:
                direction = None
            if direction != NEXT:
                raise ValidationError({"cursor": [_("Kursor tidak sah. Gunakan tautan next dari jawaban API.")]})
        rows = list(queryset.filter(pk__gt=after).order_by("pk").values_list("pk", "registry_code")[: size + 1])
        next_url = None
        if len(rows) > size:
            rows = rows[:size]
            cursor = encode_cursor("id", NEXT, [rows[-1][0]])
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", cursor)
        return Response({"next": next_url, "results": [code for _pk, code in rows]})


@extend_schema_view(
    list=extend_schema(summary="Daftar sentra dan kawasan IKM"), retrieve=extend_schema(summary="Satu sentra")
)
class SentraViewSet(PublicReadOnlyViewSet):
    """Sentra and kawasan IKM (LIK, PIK, SUIK) with their public member count; the detail lists members."""

    filterset_class = SentraFilter
    sorts = {"name": (("name", "id"), False)}
    default_sort = "name"

    def get_queryset(self):
        queryset = Sentra.objects.all()
        if self.action == "retrieve":
            members = IKMUnit.objects.public().values("pk")
            queryset = queryset.prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=SentraMembership.objects.current_on(public_today())
                    .filter(unit__in=members)
                    .select_related("unit")
                    .order_by("unit__business_name", "unit_id"),
                    to_attr="public_memberships",
                )
            )
        return queryset

    def get_serializer_class(self):
        return SentraDetailSerializer if self.action == "retrieve" else SentraSerializer

    def paginate_queryset(self, queryset):
        return decorate_sentra(super().paginate_queryset(queryset), self.filterset.sectors)

    def get_object(self):
        sentra = decorate_sentra([super().get_object()], self.filterset.sectors)[0]
        sentra.public_member_list = [m.unit for m in sentra.public_memberships]
        return sentra


@extend_schema_view(
    list=extend_schema(summary="Produk OVOP dengan penilaian terakhirnya"),
    retrieve=extend_schema(summary="Satu produk OVOP"),
)
class OVOPProductViewSet(PublicReadOnlyViewSet):
    """Each product's current OVOP rating (its latest assessment), for products of public units."""

    filterset_class = OVOPProductFilter
    sorts = {"name": (("product_name", "id"), False)}
    default_sort = "name"

    serializer_class = OVOPProductSerializer

    def get_queryset(self):
        return public_ovop_products().select_related("unit")

    def paginate_queryset(self, queryset):
        ratings = super().paginate_queryset(queryset)
        attach_sectors(attach_regions(ratings, prefix="unit"), self.filterset.sectors, field="category")
        return ratings

    def get_object(self):
        rating = super().get_object()
        attach_sectors(attach_regions([rating], prefix="unit"), self.filterset.sectors, field="category")
        return rating


class RegionPagination(KeysetPagination):
    # All kab/kota of a province or kecamatan of a kab/kota in one page, for the cascading selects.
    max_page_size = 1000


@extend_schema_view(list=extend_schema(summary="Wilayah Kemendagri"), retrieve=extend_schema(summary="Satu wilayah"))
class RegionViewSet(PublicReadOnlyViewSet):
    """Kemendagri regions (provinsi to kelurahan/desa) by code; `parent` lists the children of a region."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_value_regex = r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"
    sorts = {"code": (("code",), False)}
    default_sort = "code"
    pagination_class = RegionPagination
