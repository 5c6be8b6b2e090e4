"""The IKM template: its columns (sheet 2 of the template explains each), the values they allow, and which
model field each fills. Used by the importer (ikm.py), the export resource and the template files."""

from django.utils.translation import gettext_lazy as _lazy

from ikm_registry.imports.columns import Column
from ikm_registry.imports.parsing import Choices
from ikm_registry.models import LegalForm, MarketingReach, UnitStatus

LATITUDE_MESSAGE = _lazy("Lintang berada di luar wilayah Indonesia.")
LONGITUDE_MESSAGE = _lazy("Bujur berada di luar wilayah Indonesia.")

GENDERS = Choices(
    {"L": ["l", "laki-laki", "laki laki", "pria", "lk"], "P": ["p", "perempuan", "wanita", "pr"]}, ["L", "P"]
)
STATUSES = Choices(
    {
        UnitStatus.AKTIF: ["aktif"],
        UnitStatus.TIDAK_AKTIF: ["tidak aktif", "nonaktif", "non aktif"],
        UnitStatus.TUTUP: ["tutup"],
    },
    ["aktif", "tidak aktif", "tutup"],
)
STATUS_EXPORT = {UnitStatus.AKTIF: "aktif", UnitStatus.TIDAK_AKTIF: "tidak aktif", UnitStatus.TUTUP: "tutup"}
REACHES = Choices({r.value: [r.value] for r in MarketingReach}, [r.value for r in MarketingReach])
LEGAL_FORMS = Choices(
    {f.value: [f.value, str(f.label)] for f in LegalForm},
    [f.value for f in LegalForm],
)

COLUMNS = [
    Column(
        "kode_ikm",
        _lazy("Kode registri unit (IKM-6271-000123). Kosongkan untuk unit baru; diisi sistem."),
        _lazy("kode dari sistem"),
        "",
        text=True,
    ),
    Column(
        "nib",
        _lazy("Nomor Induk Berusaha dari OSS. Unit tanpa kode_ikm dicocokkan dengan NIB."),
        _lazy("13 angka, boleh kosong"),
        "9120301234567",
        text=True,
    ),
    Column("nama_usaha", _lazy("Nama usaha."), _lazy("teks, wajib"), "Amplang Sinar Kapuas", required=True),
    Column("merek", _lazy("Merek dagang produk."), _lazy("teks"), "Sinar Kapuas"),
    Column(
        "nama_pemilik", _lazy("Nama pemilik atau penanggung jawab."), _lazy("teks, wajib"), "Siti Aminah", required=True
    ),
    Column(
        "nik_pemilik",
        _lazy("NIK pemilik (data pribadi, tidak pernah tampil publik)."),
        _lazy("16 angka; format sel sebagai Teks"),
        "6171054507850003",
        personal=True,
        text=True,
    ),
    Column("jenis_kelamin_pemilik", _lazy("Jenis kelamin pemilik."), "L, P", "P"),
    Column(
        "telepon",
        _lazy("Telepon/WA pemilik (data pribadi). Disimpan dalam bentuk +62."),
        _lazy("misalnya 0812-3456-7890"),
        "0812-5678-1234",
        personal=True,
        text=True,
    ),
    Column(
        "email",
        _lazy("Email pemilik atau usaha (data pribadi)."),
        _lazy("alamat email"),
        "amplang.sinar@example.id",
        personal=True,
    ),
    Column("alamat", _lazy("Alamat tempat usaha (jalan, nomor, RT/RW)."), _lazy("teks"), "Jl. Tanjung Raya 2 No. 14"),
    Column(
        "kode_wilayah",
        _lazy("Kode Kemendagri kelurahan/desa tempat usaha. Bila kosong, isi kolom nama wilayah."),
        _lazy("misalnya 61.71.02.1004"),
        "61.71.02.1004",
        text=True,
    ),
    Column(
        "latitude", _lazy("Lintang (derajat desimal), di Indonesia."), _lazy("-11,5 sampai 6,5"), -0.0402, numeric=True
    ),
    Column(
        "longitude",
        _lazy("Bujur (derajat desimal), di Indonesia. Isi bersama latitude."),
        _lazy("94,5 sampai 141,5"),
        109.3586,
        numeric=True,
    ),
    Column(
        "kbli",
        _lazy("Kode KBLI industri pengolahan (seksi C). Edisi lain: tulis 10794/2025."),
        _lazy("2-5 angka"),
        "10750",
        text=True,
    ),
    Column(
        "sektor",
        _lazy("Sektor IKM. Bila kosong, diambil dari KBLI."),
        "PANGAN, SANDANG, KAYU, KERAJINAN, LMEA, KIMIA, ANEKA",
        "PANGAN",
    ),
    Column("produk_utama", _lazy("Produk utama."), _lazy("teks"), "Amplang ikan tenggiri"),
    Column("tahun_berdiri", _lazy("Tahun usaha berdiri."), _lazy("4 angka, tidak di masa depan"), 2012, numeric=True),
    Column("status", _lazy("Status usaha. Kosong berarti aktif."), _lazy("aktif, tidak aktif, tutup"), "aktif"),
    Column(
        "pemasaran",
        _lazy("Jangkauan pemasaran. Kosong berarti lokal."),
        "lokal, regional, nasional, ekspor",
        "regional",
    ),
    Column(
        "negara_tujuan_ekspor",
        _lazy("Negara tujuan ekspor, dipisah koma. Wajib bila pemasaran ekspor."),
        _lazy("teks"),
        "",
    ),
    Column(
        "tahun_data",
        _lazy("Tahun angka-angka di kolom berikut (data tahunan SIINas)."),
        _lazy("4 angka; wajib bila ada angka tahunan"),
        2024,
        numeric=True,
    ),
    Column(
        "tenaga_kerja_laki_laki",
        _lazy("Tenaga kerja laki-laki."),
        _lazy("bilangan bulat, tidak negatif"),
        2,
        numeric=True,
    ),
    Column(
        "tenaga_kerja_perempuan",
        _lazy("Tenaga kerja perempuan."),
        _lazy("bilangan bulat, tidak negatif"),
        5,
        numeric=True,
    ),
    Column(
        "nilai_investasi",
        _lazy("Nilai investasi tanpa tanah dan bangunan (Rupiah). Menentukan kelas usaha."),
        _lazy("Rupiah: 150000000, 150.000.000 atau Rp 150.000.000,00"),
        150000000,
        numeric=True,
    ),
    Column(
        "kapasitas_produksi",
        _lazy("Kapasitas produksi per tahun."),
        _lazy("angka, koma untuk desimal"),
        12000,
        numeric=True,
    ),
    Column("satuan_kapasitas", _lazy("Satuan kapasitas produksi."), _lazy("teks, misalnya kg, bungkus, unit"), "kg"),
    Column("nilai_produksi", _lazy("Nilai produksi setahun (Rupiah)."), _lazy("Rupiah"), 480000000, numeric=True),
    Column("nilai_bahan_baku", _lazy("Nilai bahan baku setahun (Rupiah)."), _lazy("Rupiah"), 210000000, numeric=True),
    Column("nilai_ekspor", _lazy("Nilai ekspor setahun (Rupiah)."), _lazy("Rupiah"), 0, numeric=True),
    Column(
        "sentra",
        _lazy("Sentra tempat unit menjadi anggota (nama atau kode). Kosong: keanggotaan tidak diubah."),
        _lazy("nama atau kode sentra di wilayah Anda"),
        "",
    ),
    Column("publikasi_kontak", _lazy("Pemilik setuju kontak usaha ditampilkan publik."), _lazy("ya, tidak"), "tidak"),
    # Beyond the list: name columns for the village, the status date, legal form, land investment.
    Column(
        "kelurahan_desa",
        _lazy("Nama kelurahan/desa, dipakai bila kode_wilayah kosong."),
        _lazy("teks"),
        "Siantan Tengah",
    ),
    Column(
        "kecamatan", _lazy("Nama kecamatan, untuk membedakan nama desa yang sama."), _lazy("teks"), "Pontianak Utara"
    ),
    Column(
        "kabupaten_kota",
        _lazy("Nama kabupaten/kota, untuk membedakan nama desa yang sama."),
        _lazy("teks"),
        "Kota Pontianak",
    ),
    Column(
        "tanggal_status",
        _lazy("Tanggal status berubah (tutup/tidak aktif). Bila kosong: tanggal impor."),
        _lazy("tanggal, misalnya 31/12/2024"),
        "",
    ),
    Column("bentuk_usaha", _lazy("Bentuk usaha."), ", ".join(f.value for f in LegalForm), "perorangan"),
    Column(
        "investasi_tanah_bangunan", _lazy("Investasi tanah dan bangunan (Rupiah)."), _lazy("Rupiah"), 0, numeric=True
    ),
]

# Template column -> IKMUnit field, for comparing rows with the registry and naming what changed.
UNIT_FIELDS = {
    "nib": "nib",
    "nama_usaha": "business_name",
    "merek": "brand",
    "bentuk_usaha": "legal_form",
    "nama_pemilik": "owner_name",
    "jenis_kelamin_pemilik": "owner_gender",
    "telepon": "owner_phone",
    "email": "owner_email",
    "alamat": "address",
    "latitude": "latitude",
    "longitude": "longitude",
    "kbli": "kbli_id",
    "sektor": "sector_id",
    "produk_utama": "main_products",
    "tahun_berdiri": "year_established",
    "status": "status",
    "tanggal_status": "status_date",
    "pemasaran": "marketing_reach",
    "negara_tujuan_ekspor": "export_destinations",
    "publikasi_kontak": "publish_contact",
}
FIGURE_FIELDS = {
    "tenaga_kerja_laki_laki": "workers_male",
    "tenaga_kerja_perempuan": "workers_female",
    "nilai_investasi": "investment_value",
    "investasi_tanah_bangunan": "land_building_investment",
    "kapasitas_produksi": "production_capacity",
    "satuan_kapasitas": "capacity_unit",
    "nilai_produksi": "production_value",
    "nilai_bahan_baku": "raw_material_value",
    "nilai_ekspor": "export_value",
}
MONEY_COLUMNS = {"nilai_investasi", "investasi_tanah_bangunan", "nilai_produksi", "nilai_bahan_baku", "nilai_ekspor"}
MAX_LENGTHS = {
    "nama_usaha": 200,
    "merek": 200,
    "nama_pemilik": 200,
    "alamat": 255,
    "produk_utama": 255,
    "negara_tujuan_ekspor": 255,
    "satuan_kapasitas": 30,
    "email": 254,
}
# Model fields whose validation errors (IKMUnit.clean) belong to a template column.
FIELD_COLUMNS = {
    "village": "kode_wilayah",
    "owner_phone": "telepon",
    "latitude": "latitude",
    "longitude": "longitude",
    "year_established": "tahun_berdiri",
    "status_date": "tanggal_status",
    "export_destinations": "negara_tujuan_ekspor",
}
VILLAGE_NAME_COLUMNS = ("kelurahan_desa", "kecamatan", "kabupaten_kota")
