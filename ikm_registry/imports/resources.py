"""django-import-export resources: the template columns of each kind and how a record fills them on export.

The same column lists drive the importers (ikm.py, sentra.py, ...), the templates and these resources, so
an exported file re-imports with no changes. Exports run through `iter_rows()`, which walks the queryset in
chunks and fetches each chunk's related rows (latest figures, sentra, participants) in bulk; the library's
own `export()` works too (tests and small files) but holds the whole table in a tablib Dataset.

Validation and writing are not done by the library's import: its per-row instance loading and diffing is
an order of magnitude slower than the bulk engine in engine.py (see docs/benchmarks.md, "Impor").
"""

from import_export import resources, widgets
from import_export.fields import Field

from ikm_registry.imports.bantuan import COLUMNS as EQUIPMENT_COLUMNS
from ikm_registry.imports.ikm import export_status
from ikm_registry.imports.ikm_columns import COLUMNS as IKM_COLUMNS
from ikm_registry.imports.lookups import KBLILookup, SentraLookup
from ikm_registry.imports.ovop import COLUMNS as OVOP_COLUMNS
from ikm_registry.imports.parsing import format_phone_local
from ikm_registry.imports.pembinaan import COLUMNS as TRAINING_COLUMNS
from ikm_registry.imports.petugas import COLUMNS as OFFICER_COLUMNS
from ikm_registry.imports.sentra import COLUMNS as SENTRA_COLUMNS
from ikm_registry.models import ConditionCheck, IKMUnit, NIKAccessLog, TrainingParticipant, YearlyFigures

CHUNK = 2000


class Raw(widgets.Widget):
    """Numbers, dates and None go to the writer as they are (XLSX numbers stay numbers)."""

    def render(self, value, obj=None, **kwargs):
        return value


RAW = Raw()


def column(header: str, attribute: str | None = None) -> Field:
    return Field(attribute=attribute, column_name=header, widget=RAW)


class KindResource(resources.Resource):
    """A kind's template columns. Personal columns (NIK, phone, email) only when `include_personal`."""

    columns = []

    def __init__(self, user=None, include_personal: bool = False, purpose: str = ""):
        super().__init__()
        self.user = user
        self.include_personal = include_personal
        self.purpose = purpose

    def get_export_fields(self, selected_fields=None):
        personal = {c.header for c in self.columns if c.personal}
        fields = super().get_export_fields(selected_fields)
        return [f for f in fields if self.include_personal or f.column_name not in personal]

    def export_queryset(self, queryset):
        return queryset

    def prepare_chunk(self, objects: list) -> None:
        """Fetch what a chunk of records needs beyond their own row, in bulk."""

    def expand(self, obj):
        """The export rows of one record (one by default; activities give one per participant)."""
        yield obj

    def iter_rows(self, queryset, progress=None):
        """Export rows, chunk by chunk, with a constant number of queries per chunk."""
        fields = self.get_export_fields()
        chunk, done = [], 0
        for obj in self.export_queryset(queryset).iterator(chunk_size=CHUNK):
            chunk.append(obj)
            if len(chunk) == CHUNK:
                yield from self._chunk_rows(chunk, fields)
                done += len(chunk)
                chunk = []
                if progress:
                    progress(done)
        if chunk:
            yield from self._chunk_rows(chunk, fields)
            if progress:
                progress(done + len(chunk))

    def _chunk_rows(self, chunk, fields):
        self.prepare_chunk(chunk)
        for obj in chunk:
            for item in self.expand(obj):
                yield [self.export_field(field, item) for field in fields]

    def before_export(self, queryset, **kwargs):
        # The library's export() path: prepare everything at once (small querysets only).
        self.prepare_chunk(list(queryset))

    def headers(self) -> list[str]:
        return self.get_export_headers()


class IKMUnitResource(KindResource):
    """IKM units with their latest year's figures and current sentra, in the IKM template's columns."""

    columns = IKM_COLUMNS

    kode_ikm = column("kode_ikm", "registry_code")
    nib = column("nib", "nib")
    nama_usaha = column("nama_usaha", "business_name")
    merek = column("merek", "brand")
    nama_pemilik = column("nama_pemilik", "owner_name")
    nik_pemilik = column("nik_pemilik")
    jenis_kelamin_pemilik = column("jenis_kelamin_pemilik", "owner_gender")
    telepon = column("telepon")
    email = column("email", "owner_email")
    alamat = column("alamat", "address")
    kode_wilayah = column("kode_wilayah", "village_id")
    latitude = column("latitude", "latitude")
    longitude = column("longitude", "longitude")
    kbli = column("kbli")
    sektor = column("sektor", "sector_id")
    produk_utama = column("produk_utama", "main_products")
    tahun_berdiri = column("tahun_berdiri", "year_established")
    status = column("status")
    pemasaran = column("pemasaran", "marketing_reach")
    negara_tujuan_ekspor = column("negara_tujuan_ekspor", "export_destinations")
    tahun_data = column("tahun_data")
    tenaga_kerja_laki_laki = column("tenaga_kerja_laki_laki")
    tenaga_kerja_perempuan = column("tenaga_kerja_perempuan")
    nilai_investasi = column("nilai_investasi")
    kapasitas_produksi = column("kapasitas_produksi")
    satuan_kapasitas = column("satuan_kapasitas")
    nilai_produksi = column("nilai_produksi")
    nilai_bahan_baku = column("nilai_bahan_baku")
    nilai_ekspor = column("nilai_ekspor")
    sentra = column("sentra")
    publikasi_kontak = column("publikasi_kontak")
    kelurahan_desa = column("kelurahan_desa", "village__name")
    kecamatan = column("kecamatan", "district__name")
    kabupaten_kota = column("kabupaten_kota", "regency__name")
    tanggal_status = column("tanggal_status", "status_date")
    bentuk_usaha = column("bentuk_usaha", "legal_form")
    investasi_tanah_bangunan = column("investasi_tanah_bangunan")

    class Meta:
        export_order = [c.header for c in IKM_COLUMNS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kbli_lookup = KBLILookup()
        self.sentra_lookup = SentraLookup(self.user) if self.user is not None else None
        self.figures: dict[int, YearlyFigures] = {}
        self.sentra_of: dict[int, int] = {}

    def export_queryset(self, queryset):
        return queryset.select_related("village", "district", "regency").order_by(*(queryset.query.order_by or ["pk"]))

    def prepare_chunk(self, units: list[IKMUnit]) -> None:
        from sentra.models import SentraMembership

        ids = [u.pk for u in units]
        wanted = {(u.pk, u.latest_figures_year) for u in units if u.latest_figures_year}
        self.figures = {}
        if wanted:
            years = {year for _pk, year in wanted}
            for fig in YearlyFigures.objects.filter(unit_id__in=ids, year__in=years):
                if (fig.unit_id, fig.year) in wanted:
                    self.figures[fig.unit_id] = fig
        self.sentra_of = dict(
            SentraMembership.objects.filter(unit_id__in=ids, left_on__isnull=True).values_list("unit_id", "sentra_id")
        )
        if self.include_personal and self.user is not None:
            # UU PDP: every whole NIK shown is logged, exports included.
            NIKAccessLog.objects.bulk_create(
                [
                    NIKAccessLog(user=self.user, unit=u, unit_code=u.registry_code, purpose=self.purpose[:100])
                    for u in units
                    if u.owner_nik_encrypted
                ]
            )

    def _figure(self, unit, name):
        fig = self.figures.get(unit.pk)
        return getattr(fig, name) if fig is not None else None

    def dehydrate_nik_pemilik(self, unit):
        return unit.owner_nik

    def dehydrate_telepon(self, unit):
        return format_phone_local(unit.owner_phone)

    def dehydrate_kbli(self, unit):
        return self.kbli_lookup.export(unit.kbli_id)

    def dehydrate_status(self, unit):
        return export_status(unit.status)

    def dehydrate_publikasi_kontak(self, unit):
        return "ya" if unit.publish_contact else "tidak"

    def dehydrate_sentra(self, unit):
        sentra_id = self.sentra_of.get(unit.pk)
        return self.sentra_lookup.export(sentra_id) if self.sentra_lookup and sentra_id else None

    def dehydrate_tahun_data(self, unit):
        fig = self.figures.get(unit.pk)
        return fig.year if fig is not None else None

    def dehydrate_tenaga_kerja_laki_laki(self, unit):
        return self._figure(unit, "workers_male")

    def dehydrate_tenaga_kerja_perempuan(self, unit):
        return self._figure(unit, "workers_female")

    def dehydrate_nilai_investasi(self, unit):
        return self._figure(unit, "investment_value")

    def dehydrate_investasi_tanah_bangunan(self, unit):
        return self._figure(unit, "land_building_investment")

    def dehydrate_kapasitas_produksi(self, unit):
        return _plain_decimal(self._figure(unit, "production_capacity"))

    def dehydrate_satuan_kapasitas(self, unit):
        return self._figure(unit, "capacity_unit")

    def dehydrate_nilai_produksi(self, unit):
        return self._figure(unit, "production_value")

    def dehydrate_nilai_bahan_baku(self, unit):
        return self._figure(unit, "raw_material_value")

    def dehydrate_nilai_ekspor(self, unit):
        return self._figure(unit, "export_value")


def columns_resource(columns) -> type[KindResource]:
    """A resource class with one field per template column, filled by the subclass's `row_values(item)`."""
    attrs = {c.header: column(c.header) for c in columns}
    attrs["columns"] = columns
    attrs["Meta"] = type("Meta", (), {"export_order": [c.header for c in columns]})
    attrs["__module__"] = __name__
    return type("ColumnsResource", (RowValuesResource,), attrs)


class RowValuesResource(KindResource):
    """Export fields read from one dict per exported row (computed once, not once per column)."""

    _item = _values = None

    def row_values(self, item) -> dict:
        raise NotImplementedError

    def export_field(self, field, item, **kwargs):
        if item is not self._item:
            self._item, self._values = item, self.row_values(item)
        return self._values.get(field.column_name)


def _date(value):
    return value if value else None


class OVOPRatingResource(columns_resource(OVOP_COLUMNS)):
    def export_queryset(self, queryset):
        return queryset.select_related("unit").order_by(*(queryset.query.order_by or ["pk"]))

    def row_values(self, rating) -> dict:
        return {
            "kode_ikm": rating.unit.registry_code,
            "nib": rating.unit.nib,
            "nama_produk": rating.product_name,
            "kategori": rating.category_id,
            "tahun_penilaian": rating.assessment_year,
            "bintang": rating.stars,
            "nomor_sertifikat": rating.certificate_number,
            "penilai": rating.assessing_body,
            "nama_usaha": rating.unit.business_name,
        }


class FieldOfficerResource(columns_resource(OFFICER_COLUMNS)):
    def export_queryset(self, queryset):
        return queryset.order_by(*(queryset.query.order_by or ["pk"]))

    def row_values(self, officer) -> dict:
        return {
            "nama": officer.name,
            "tpl_ikm": "ya" if officer.is_tpl_ikm else "tidak",
            "kode_wilayah_tugas": officer.assigned_region_id,
            "tahun_kontrak": officer.contract_year,
            "telepon": format_phone_local(officer.phone),
            "instansi": officer.institution,
        }


class EquipmentResource(columns_resource(EQUIPMENT_COLUMNS)):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.latest: dict[int, ConditionCheck] = {}

    def export_queryset(self, queryset):
        return queryset.select_related("unit", "sentra").order_by(*(queryset.query.order_by or ["pk"]))

    def prepare_chunk(self, items) -> None:
        self.latest = {}
        checks = ConditionCheck.objects.filter(equipment_id__in=[i.pk for i in items]).order_by("checked_on", "id")
        for check in checks:
            self.latest[check.equipment_id] = check

    def row_values(self, item) -> dict:
        check = self.latest.get(item.pk)
        sentra = item.sentra
        return {
            "id_bantuan": item.pk,
            "nama_barang": item.name,
            "merek": item.brand,
            "spesifikasi": item.specification,
            "jumlah": item.quantity,
            "satuan": item.quantity_unit,
            "nilai": item.value,
            "sumber_dana": item.funding_source,
            "tahun_anggaran": item.fiscal_year,
            "tanggal_serah_terima": item.handover_date,
            "nomor_bast": item.bast_number,
            "penerima_kode_ikm": item.unit.registry_code if item.unit_id else None,
            "penerima_nib": None,
            "penerima_sentra": (sentra.code or sentra.name) if sentra is not None else None,
            "alasan_bantuan_ganda": item.duplicate_justification,
            "kondisi": check.condition if check else None,
            "tanggal_pemeriksaan": check.checked_on if check else None,
            "nama_penerima": item.unit.business_name if item.unit_id else (sentra.name if sentra else None),
        }


class TrainingResource(columns_resource(TRAINING_COLUMNS)):
    """One row per participant; an activity without participants gives one row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants: dict[int, list[TrainingParticipant]] = {}

    def export_queryset(self, queryset):
        return queryset.order_by(*(queryset.query.order_by or ["pk"]))

    def prepare_chunk(self, activities) -> None:
        self.participants = {}
        rows = TrainingParticipant.objects.filter(activity_id__in=[a.pk for a in activities]).select_related("unit")
        for participant in rows.order_by("activity_id", "attendee_name", "pk"):
            self.participants.setdefault(participant.activity_id, []).append(participant)

    def expand(self, activity):
        for participant in self.participants.get(activity.pk) or [None]:
            yield (activity, participant)

    def row_values(self, item) -> dict:
        activity, participant = item
        values = {
            "id_kegiatan": activity.pk,
            "judul": activity.title,
            "jenis": activity.kind,
            "topik": activity.topic,
            "penyelenggara": activity.organiser_level,
            "nama_penyelenggara": activity.organiser_name,
            "sumber_dana": activity.funding_source,
            "tahun_anggaran": activity.fiscal_year,
            "tanggal_mulai": activity.start_date,
            "tanggal_selesai": activity.end_date,
            "kode_wilayah_tempat": activity.venue_village_id,
            "tempat": activity.venue,
            "anggaran": activity.budget,
            "keterangan": activity.description,
        }
        if participant is not None:
            values.update(
                {
                    "kode_ikm": participant.unit.registry_code,
                    "nama_peserta": participant.attendee_name,
                    "jenis_kelamin_peserta": participant.attendee_gender,
                    "hadir": "ya" if participant.attended else "tidak",
                    "hasil": participant.outcome,
                    "catatan": participant.note,
                    "nama_usaha": participant.unit.business_name,
                }
            )
        return values


class SentraResource(columns_resource(SENTRA_COLUMNS)):
    """One row per membership (past ones included); a sentra without members gives one row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.members: dict[int, list] = {}

    def export_queryset(self, queryset):
        return queryset.select_related("village", "district", "regency").order_by(*(queryset.query.order_by or ["pk"]))

    def prepare_chunk(self, sentra) -> None:
        from sentra.models import SentraMembership

        self.members = {}
        rows = SentraMembership.objects.filter(sentra_id__in=[s.pk for s in sentra]).select_related("unit")
        for membership in rows.order_by("sentra_id", "joined_on", "pk"):
            self.members.setdefault(membership.sentra_id, []).append(membership)

    def expand(self, sentra):
        for membership in self.members.get(sentra.pk) or [None]:
            yield (sentra, membership)

    def row_values(self, item) -> dict:
        from ikm_registry.imports.sentra import export_status as sentra_status

        sentra, membership = item
        values = {
            "kode_sentra": sentra.code,
            "nama_sentra": sentra.name,
            "jenis": sentra.kind,
            "status": sentra_status(sentra.status),
            "nomor_sk": sentra.decree_number,
            "tanggal_sk": sentra.decree_date,
            "kode_wilayah": sentra.village_id,
            "komoditas_utama": sentra.main_commodity,
            "sektor": sentra.sector_id,
            "tahun_terbentuk": sentra.year_formed,
            "luas_ha": _plain_decimal(sentra.area_hectares),
            "pengelola": sentra.managing_body,
            "kontak_pengelola": sentra.contact,
            "fasilitas_bersama": sentra.shared_facilities,
            "deskripsi": sentra.description,
            "kelurahan_desa": sentra.village.name,
            "kecamatan": sentra.district.name,
            "kabupaten_kota": sentra.regency.name,
        }
        if membership is not None:
            values.update(
                {
                    "kode_ikm": membership.unit.registry_code,
                    "tanggal_bergabung": membership.joined_on,
                    "tanggal_keluar": membership.left_on,
                    "nama_usaha": membership.unit.business_name,
                }
            )
        return values


def _plain_decimal(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


RESOURCES = {
    "ikm": IKMUnitResource,
    "sentra": SentraResource,
    "pembinaan": TrainingResource,
    "bantuan": EquipmentResource,
    "ovop": OVOPRatingResource,
    "petugas": FieldOfficerResource,
}


def resource_for(kind_code: str, user, include_personal: bool = False, purpose: str = "") -> KindResource:
    return RESOURCES[kind_code](user=user, include_personal=include_personal, purpose=purpose)
