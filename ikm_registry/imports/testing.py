"""Spreadsheets for tests and the benchmark: valid IKM rows over real villages, written as CSV or XLSX."""

import csv
import datetime
import io
import random

import openpyxl

from ikm_registry.imports.ikm_columns import COLUMNS as IKM_COLUMNS

IKM_HEADERS = [c.header for c in IKM_COLUMNS]

PRODUCTS = [
    ("PANGAN", "Amplang ikan"),
    ("PANGAN", "Lempok durian"),
    ("PANGAN", "Kerupuk basah"),
    ("SANDANG", "Kain sasirangan"),
    ("KAYU", "Meja dan kursi kayu"),
    ("KAYU", "Sumpit kayu"),
    ("KERAJINAN", "Anyaman rotan"),
    ("KERAJINAN", "Keramik hias"),
    ("LMEA", "Parang dan alat pertanian"),
    ("KIMIA", "Sabun lidah buaya"),
]
NAMES = ["Siti", "Aminah", "Rudi", "Hendra", "Nurul", "Dewi", "Yanti", "Agus", "Bambang", "Fitri", "Rahmat", "Lina"]


def nik_for(district_code: str, n: int, female: bool) -> str:
    """A structurally valid NIK in a kecamatan, unique for each n below 36,500,000."""
    serial = n % 9999 + 1
    days = n // 9999
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=days % 14000)
    day = birth.day + (40 if female else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def ikm_row(**overrides) -> dict:
    """One valid row of the IKM template (Tanjung Hulu, Pontianak Timur, Kota Pontianak)."""
    row = {
        "kode_ikm": "",
        "nib": "9120301234567",
        "nama_usaha": "Amplang Sinar Kapuas",
        "merek": "Sinar Kapuas",
        "nama_pemilik": "Siti Aminah",
        "nik_pemilik": "6171024507850003",
        "jenis_kelamin_pemilik": "P",
        "telepon": "0812-5678-1234",
        "email": "amplang.sinar@example.id",
        "alamat": "Jl. Tanjung Raya 2 No. 14",
        "kode_wilayah": "61.71.02.1004",
        "latitude": "-0,0402",
        "longitude": "109,3586",
        "kbli": "",
        "sektor": "PANGAN",
        "produk_utama": "Amplang ikan tenggiri",
        "tahun_berdiri": "2012",
        "status": "aktif",
        "pemasaran": "regional",
        "negara_tujuan_ekspor": "",
        "tahun_data": "2024",
        "tenaga_kerja_laki_laki": "2",
        "tenaga_kerja_perempuan": "5",
        "nilai_investasi": "Rp 150.000.000,00",
        "kapasitas_produksi": "12.000",
        "satuan_kapasitas": "kg",
        "nilai_produksi": "480.000.000",
        "nilai_bahan_baku": "210000000",
        "nilai_ekspor": "0",
        "sentra": "",
        "publikasi_kontak": "tidak",
    }
    row.update(overrides)
    return row


def generated_ikm_rows(count: int, villages: list[str], seed: int = 1, year: int = 2024):
    """`count` distinct valid rows spread over `villages` (real Kemendagri codes)."""
    rnd = random.Random(seed)
    for i in range(count):
        village = villages[i % len(villages)]
        sector, product = PRODUCTS[i % len(PRODUCTS)]
        female = i % 2 == 0
        owner = f"{NAMES[i % len(NAMES)]} {NAMES[(i // len(NAMES)) % len(NAMES)]}"
        yield {
            "kode_ikm": "",
            "nib": f"91{i:011d}",
            "nama_usaha": f"{product} {owner} {i}",
            "merek": f"Merek {i}",
            "nama_pemilik": owner,
            "nik_pemilik": nik_for(village[:8], i, female),
            "jenis_kelamin_pemilik": "P" if female else "L",
            "telepon": f"0812{i:08d}",
            "email": f"usaha{i}@example.id",
            "alamat": f"Jl. Contoh No. {i % 300 + 1}",
            "kode_wilayah": village,
            "latitude": "",
            "longitude": "",
            "kbli": "",
            "sektor": sector,
            "produk_utama": product,
            "tahun_berdiri": str(1990 + i % 34),
            "status": "aktif",
            "pemasaran": "lokal",
            "negara_tujuan_ekspor": "",
            "tahun_data": str(year),
            "tenaga_kerja_laki_laki": str(rnd.randint(0, 12)),
            "tenaga_kerja_perempuan": str(rnd.randint(0, 12)),
            "nilai_investasi": f"{rnd.randint(5, 3000) * 1_000_000:,}".replace(",", "."),
            "kapasitas_produksi": str(rnd.randint(100, 50000)),
            "satuan_kapasitas": "kg",
            "nilai_produksi": str(rnd.randint(10, 5000) * 1_000_000),
            "nilai_bahan_baku": str(rnd.randint(5, 2000) * 1_000_000),
            "nilai_ekspor": "0",
            "sentra": "",
            "publikasi_kontak": "ya" if i % 3 == 0 else "tidak",
        }


def write_csv(path_or_buffer, rows, headers=None, delimiter=";", bom=True):
    headers = headers or IKM_HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    data = ("\ufeff" if bom else "") + buffer.getvalue()
    if hasattr(path_or_buffer, "write"):
        path_or_buffer.write(data.encode("utf-8"))
        path_or_buffer.seek(0)
        return path_or_buffer
    with open(path_or_buffer, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
    return path_or_buffer


def write_xlsx(path_or_buffer, rows, headers=None):
    headers = headers or IKM_HEADERS
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path_or_buffer)
    if hasattr(path_or_buffer, "seek"):
        path_or_buffer.seek(0)
    return path_or_buffer
