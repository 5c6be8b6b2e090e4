"""Personal data under UU PDP (Law 27/2022): NIK encryption, keyed lookup hash, masking, validation.

The NIK is encrypted with a key of its own (NIK_ENCRYPTION_KEY) and stored beside an HMAC of it, so that
uniqueness and exact lookup work without ever decrypting the column.
"""

import base64
import datetime
import hashlib
import hmac
import re
from functools import lru_cache

import lokal
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIK_PATTERN = re.compile(r"^\d{16}$")


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    digest = hashlib.sha256(("fernet:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _hash_key() -> bytes:
    return hashlib.sha256(("hmac:" + settings.NIK_ENCRYPTION_KEY).encode()).digest()


def encrypt_nik(nik: str) -> str:
    return _fernet(settings.NIK_ENCRYPTION_KEY).encrypt(nik.encode()).decode()


def decrypt_nik(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.NIK_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def nik_lookup_hash(nik: str) -> str:
    """Keyed hash of a NIK: equal NIKs give equal hashes, but the hash cannot be reversed by brute force
    without the key (a plain SHA-256 of 16 digits can)."""
    return hmac.new(_hash_key(), normalize_nik(nik).encode(), hashlib.sha256).hexdigest()


def normalize_nik(value: str) -> str:
    return re.sub(r"[\s.\-]", "", str(value or ""))


def mask_nik(nik: str) -> str:
    """3271014101900012 -> 3271********0012"""
    if not nik:
        return ""
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:] if len(nik) > 8 else "*" * len(nik)


def mask_phone(phone: str) -> str:
    """+6281234567890 -> +6281*****7890"""
    if not phone:
        return ""
    return phone[:5] + "*" * max(len(phone) - 9, 0) + phone[-4:] if len(phone) > 9 else "*" * len(phone)


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return local[:1] + "***@" + domain


def validate_nik(value: str, region_exists=None) -> str:
    """Check a NIK's structure: 16 digits, a real district code, a real birth date (day + 40 for women),
    a non-zero serial. `region_exists(code)` tells whether a district code is known (defaults to the
    Region table). Returns the normalised NIK or raises ValidationError in Bahasa Indonesia."""
    nik = normalize_nik(value)
    if not NIK_PATTERN.match(nik):
        raise ValidationError(_("NIK harus 16 angka."), code="nik_format")
    district_code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if region_exists is None:
        from ikm_registry.models import Region

        def region_exists(code):
            return Region.objects.filter(code=code).exists()

    if not region_exists(district_code):
        raise ValidationError(
            _("NIK tidak sah: kode wilayah %(code)s tidak dikenal.") % {"code": district_code}, code="nik_region"
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    try:
        datetime.date(2000 + year, month, day)
    except ValueError:
        raise ValidationError(_("NIK tidak sah: tanggal lahir tidak valid."), code="nik_birthdate") from None
    if nik[12:16] == "0000":
        raise ValidationError(_("NIK tidak sah: nomor urut tidak boleh 0000."), code="nik_serial")
    return nik


def normalize_phone(value: str) -> str:
    """Indonesian phone numbers to +62 form: 0812-3456-7890 -> +6281234567890. Raises on nonsense."""
    value = (value or "").strip()
    if not value:
        return ""
    normalized = lokal.normalize_phone(value)
    if not normalized or not re.fullmatch(r"\+62\d{7,13}", normalized):
        raise ValidationError(_("Nomor telepon tidak valid: %(value)s") % {"value": value}, code="phone")
    return normalized
