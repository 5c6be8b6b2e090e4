"""API representations. IKM units are exactly public_record() (records.py): the fields declared here only
describe it for the OpenAPI schema, and a test checks that the two agree."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ikm_registry.models import Certificate, MarketingReach, OVOPRating, Region, SizeClass
from ikm_registry.public.records import public_record
from sentra.models import Sentra


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


class IKMUnitSerializer(serializers.Serializer):
    registry_code = serializers.CharField(help_text=_("Kode registri, pengenal publik unit (IKM-6271-000123)."))
    business_name = serializers.CharField()
    brand = serializers.CharField()
    main_products = serializers.CharField()
    sector_code = serializers.CharField()
    sector = serializers.CharField()
    kbli_code = serializers.CharField()
    kbli_title = serializers.CharField()
    province = serializers.CharField()
    regency = serializers.CharField()
    district = serializers.CharField()
    village = serializers.CharField()
    village_code = serializers.CharField(help_text=_("Kode Kemendagri kelurahan/desa."))
    size_class = serializers.ChoiceField(choices=SizeClass.choices, allow_blank=True)
    marketing_reach = serializers.ChoiceField(choices=MarketingReach.choices)
    export_destinations = serializers.ListField(child=serializers.CharField())
    year_established = serializers.IntegerField(allow_null=True)
    sentra = serializers.CharField(allow_null=True, help_text=_("Sentra/kawasan tempat unit menjadi anggota saat ini."))
    ovop_stars = serializers.IntegerField(allow_null=True, help_text=_("Bintang OVOP tertinggi dari produknya."))
    phone = serializers.CharField(help_text=_("Kontak usaha, hanya dengan persetujuan pemilik; kosong bila tidak."))
    email = serializers.CharField(help_text=_("Kontak usaha, hanya dengan persetujuan pemilik; kosong bila tidak."))
    address = serializers.CharField(help_text=_("Alamat usaha, hanya dengan persetujuan pemilik; kosong bila tidak."))
    latitude = serializers.CharField(allow_null=True, help_text=_("Tanpa persetujuan dibulatkan ke 0,01 derajat."))
    longitude = serializers.CharField(allow_null=True)
    location_precise = serializers.BooleanField()
    url = serializers.CharField(help_text=_("Halaman publik unit."))

    def to_representation(self, instance):
        if "base_url" not in self.context:  # once per response, not once per unit
            request = self.context.get("request")
            self.context["base_url"] = request.build_absolute_uri("/")[:-1] if request else ""
        return public_record(instance, self.context["base_url"])


class CertificateSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Certificate
        fields = ["kind", "kind_label", "number", "issued_on", "expires_on"]


class UnitRatingSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")

    class Meta:
        model = OVOPRating
        fields = ["product_name", "stars", "assessment_year", "fostering_level", "category"]


class IKMUnitDetailSerializer(IKMUnitSerializer):
    products = serializers.ListField(child=serializers.CharField())
    certificates = CertificateSerializer(many=True)
    ovop_ratings = UnitRatingSerializer(many=True, help_text=_("Penilaian terakhir tiap produk."))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["products"] = [p.name for p in instance.products.all()]
        data["certificates"] = CertificateSerializer(instance.certificates.all(), many=True).data
        data["ovop_ratings"] = UnitRatingSerializer(instance.current_ratings, many=True).data
        return data


class SentraSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    sector_code = serializers.CharField(source="sector_id")
    sector = serializers.CharField(source="sector.name")
    province = serializers.CharField(source="province.name")
    regency = serializers.CharField(source="regency.name")
    district = serializers.CharField(source="district.name")
    village = serializers.CharField(source="village.name")
    village_code = serializers.CharField(source="village_id")
    member_count = serializers.IntegerField(
        source="public_members", allow_null=True, help_text=_("Anggota saat ini yang tampil publik.")
    )
    area_hectares = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Sentra
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "status",
            "decree_number",
            "decree_date",
            "main_commodity",
            "sector_code",
            "sector",
            "year_formed",
            "area_hectares",
            "managing_body",
            "shared_facilities",
            "description",
            "province",
            "regency",
            "district",
            "village",
            "village_code",
            "member_count",
            "url",
        ]

    def get_url(self, sentra) -> str:
        return absolute(self.context.get("request"), reverse("public:sentra-detail", args=[sentra.pk]))


class MemberSerializer(serializers.Serializer):
    registry_code = serializers.CharField()
    business_name = serializers.CharField()
    main_products = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, unit) -> str:
        return absolute(self.context.get("request"), reverse("api:ikm-unit-detail", args=[unit.registry_code]))


class SentraDetailSerializer(SentraSerializer):
    members = serializers.SerializerMethodField()

    class Meta(SentraSerializer.Meta):
        fields = [*SentraSerializer.Meta.fields, "members"]

    def get_members(self, sentra) -> list[dict]:
        return MemberSerializer(sentra.public_member_list, many=True, context=self.context).data


class OVOPProductSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category_id")
    category = serializers.CharField(source="category.name")
    registry_code = serializers.CharField(source="unit.registry_code")
    business_name = serializers.CharField(source="unit.business_name")
    province = serializers.CharField(source="unit.province.name")
    regency = serializers.CharField(source="unit.regency.name")
    unit_url = serializers.SerializerMethodField()

    class Meta:
        model = OVOPRating
        fields = [
            "id",
            "product_name",
            "stars",
            "assessment_year",
            "fostering_level",
            "category_code",
            "category",
            "certificate_number",
            "assessing_body",
            "registry_code",
            "business_name",
            "province",
            "regency",
            "unit_url",
        ]

    def get_unit_url(self, rating) -> str:
        return absolute(self.context.get("request"), reverse("api:ikm-unit-detail", args=[rating.unit.registry_code]))


class RegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")
    # Plain text: sentra also have a `kind`, and two choice sets of one name make the schema's enums clash.
    kind = serializers.CharField(
        help_text=_("provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat")
    )
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "kind", "parent", "path", "postal_code", "is_active"]


class CountedValueSerializer(serializers.Serializer):
    """A filter value of /ikm-units/counts/ with the units it would select (schema only)."""

    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CountedRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    count = serializers.IntegerField()


class CountedSentraSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()
