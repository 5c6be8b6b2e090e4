"""What the public may know about an IKM unit, in one place: the API, the CSV and JSON downloads and the
pages all publish these fields and no others.

Never here: the owner's name, NIK, private phone or email, the street address without the owner's consent,
and any single unit's investment or production figures (only sums over many units are public, on region
pages). A business contact (phone, email, address) appears only when the owner consented (publish_contact).
Without consent, coordinates are rounded to about a kilometre, so that a map pin cannot point at a home.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from ikm_registry.models import IKMUnit, OVOPRating
from ikm_registry.public.filters import public_today
from sentra.models import SentraMembership

# Two decimals of a degree: about 1.1 km at the equator.
ROUNDED_PLACES = Decimal("0.01")

# Column order of the CSV download; also the keys of each JSON and API list item (tested).
CSV_COLUMNS = [
    "registry_code",
    "business_name",
    "brand",
    "main_products",
    "sector_code",
    "sector",
    "kbli_code",
    "kbli_title",
    "province",
    "regency",
    "district",
    "village",
    "village_code",
    "size_class",
    "marketing_reach",
    "export_destinations",
    "year_established",
    "sentra",
    "ovop_stars",
    "phone",
    "email",
    "address",
    "latitude",
    "longitude",
    "location_precise",
    "url",
]


def listing_queryset(queryset):
    """The columns a listing shows, with the unit's sentra and best current OVOP stars as subqueries (so a
    page of any size is one query)."""
    today = public_today()
    stars = (
        OVOPRating.objects.latest_per_product()
        .filter(unit=OuterRef("pk"))
        .order_by("-stars")
        .values("stars")[:1]
    )
    membership = SentraMembership.objects.current_on(today).filter(unit=OuterRef("pk")).order_by("-joined_on")
    return queryset.select_related("sector", "kbli", "village", "district", "regency", "province").annotate(
        ovop_stars=Subquery(stars),
        sentra_id_now=Subquery(membership.values("sentra_id")[:1]),
        sentra_name=Subquery(membership.values("sentra__name")[:1]),
    )


def location(unit: IKMUnit) -> tuple[Decimal | None, Decimal | None, bool]:
    """(latitude, longitude, precise): exact with consent, rounded to ~1 km without, None when unknown."""
    if unit.latitude is None or unit.longitude is None:
        return None, None, False
    if unit.publish_contact:
        return unit.latitude, unit.longitude, True
    return (
        unit.latitude.quantize(ROUNDED_PLACES, rounding=ROUND_HALF_UP),
        unit.longitude.quantize(ROUNDED_PLACES, rounding=ROUND_HALF_UP),
        False,
    )


def public_record(unit: IKMUnit, base_url: str = "") -> dict:
    """One unit as the public sees it (a unit from listing_queryset)."""
    latitude, longitude, precise = location(unit)
    consent = unit.publish_contact
    return {
        "registry_code": unit.registry_code,
        "business_name": unit.business_name,
        "brand": unit.brand,
        "main_products": unit.main_products,
        "sector_code": unit.sector_id or "",
        "sector": unit.sector.name if unit.sector_id else "",
        "kbli_code": unit.kbli.code if unit.kbli_id else "",
        "kbli_title": unit.kbli.title if unit.kbli_id else "",
        "province": unit.province.name,
        "regency": unit.regency.name,
        "district": unit.district.name,
        "village": unit.village.name,
        "village_code": unit.village_id,
        "size_class": unit.size_class,
        "marketing_reach": unit.marketing_reach,
        "export_destinations": unit.export_destination_list,
        "year_established": unit.year_established,
        "sentra": getattr(unit, "sentra_name", None),
        "ovop_stars": getattr(unit, "ovop_stars", None),
        "phone": unit.owner_phone if consent else "",
        "email": unit.owner_email if consent else "",
        "address": unit.address if consent else "",
        "latitude": str(latitude) if latitude is not None else None,
        "longitude": str(longitude) if longitude is not None else None,
        "location_precise": precise,
        "url": base_url + reverse("public:unit-detail", args=[unit.registry_code]),
    }


def csv_row(record: dict) -> list:
    row = []
    for column in CSV_COLUMNS:
        value = record[column]
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, bool):
            value = "ya" if value else "tidak"
        elif value is None:
            value = ""
        row.append(escape_formula(str(value)))
    return row


def escape_formula(value: str) -> str:
    """Cells a spreadsheet would run as a formula get a leading apostrophe (+62 phone numbers included).

    >>> escape_formula("+6281234567890"), escape_formula("=HYPERLINK()"), escape_formula("Amplang")
    ("'+6281234567890", "'=HYPERLINK()", 'Amplang')
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
