"""What the public may know about an IKM unit, in one place: the API, the CSV and JSON downloads and the
pages all publish these fields and no others.

Never here: the owner's name, NIK, private phone or email, the street address without the owner's consent,
and any single unit's investment or production figures (only sums over many units are public, on region
pages). A business contact (phone, email, address) appears only when the owner consented (publish_contact).
Without consent, coordinates are rounded to about a kilometre, so that a map pin cannot point at a home.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import ngettext

from ikm_registry.models import IKMUnit, OVOPRating
from ikm_registry.public import lookups
from ikm_registry.public.compiled import compiled
from ikm_registry.public.filters import public_today
from ikm_registry.public.stats import public_member_counts
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


REGION_ATTRIBUTES = ("village", "district", "regency", "province")

# What a directory card shows (cards.py): a listing page reads these columns and no others, so that no
# owner's data leaves the database for it, and twenty rows of forty columns are not built for nothing.
LISTING_FIELDS = (
    "registry_code",
    "business_name",
    "brand",
    "main_products",
    "sector_id",
    "kbli_id",
    "size_class",
    "marketing_reach",
    "export_destinations",
    *(f"{name}_id" for name in REGION_ATTRIBUTES),
)


# What public_record() reads: the API list and the downloads read these columns and no others.
RECORD_FIELDS = (
    *LISTING_FIELDS,
    "year_established",
    "publish_contact",
    "owner_phone",
    "owner_email",
    "address",
    "latitude",
    "longitude",
)


def attach_regions(objects: list, prefix: str = "") -> list:
    """Set the region objects (village, district, regency, province) of units, sentra or the units of
    OVOP ratings (prefix "unit") from one query, instead of four joins per row."""
    owners = [getattr(o, prefix) if prefix else o for o in objects]
    if not owners:
        return objects
    codes = {getattr(o, f"{name}_id") for o in owners for name in REGION_ATTRIBUTES}
    regions = lookups.regions(codes)
    # Straight into each field's cache, as a prefetch does: the descriptor's checks cost more than the rest
    # of this function for a page of rows, and the region matches the code read with the row.
    fields = [(type(owners[0])._meta.get_field(name), f"{name}_id") for name in REGION_ATTRIBUTES]
    for owner in owners:
        for field, column in fields:
            field.set_cached_value(owner, regions[getattr(owner, column)])
    return objects


def attach_sectors(objects: list, sectors, field: str = "sector") -> list:
    """Set each object's sector (or OVOP category) from the sector list already read for the filters."""
    if not objects:
        return objects
    by_code = {s.code: s for s in sectors}
    relation = type(objects[0])._meta.get_field(field)
    for obj in objects:
        code = getattr(obj, relation.attname)
        if code:
            relation.set_cached_value(obj, by_code[code])  # as attach_regions does, and for the same reason
    return objects


def unit_url_pattern() -> str:
    """A unit page's path with {} for its registry code: one reverse() for a page of units, not one each."""
    return reverse("public:unit-detail", args=["CODE"]).replace("CODE", "{}")


def decorate(units: list[IKMUnit], sectors=None) -> list[IKMUnit]:
    """Attach what a listing shows to a page of units: region, sector and KBLI objects, the current sentra
    (`sentra_name`, `sentra_id_now`) and the best current OVOP stars (`ovop_stars`).

    Four small queries beside the page's own, whatever the page size. Joining these in the page query
    instead (six joins and three subqueries) made PostgreSQL spend ~10 ms planning it against 0.4 ms running.
    """
    if not units:
        return units
    attach_regions(units)
    attach_sectors(units, sectors if sectors is not None else lookups.sectors())
    kbli_ids = {u.kbli_id for u in units if u.kbli_id}
    kblis = lookups.kbli(kbli_ids) if kbli_ids else {}
    ids = [u.pk for u in units]
    using = units[0]._state.db or "default"
    # Both queries are compiled once (per day) and filled with the page's ids: see compiled.py.
    best_stars = compiled(
        ("unit-best-stars",),
        lambda open_ids: (
            OVOPRating.objects.latest_per_product()
            .filter(unit_id__in=open_ids)
            .values_list("unit_id")
            .annotate(best=Max("stars"))
            .order_by()
        ),
        using,
    )
    stars = dict(best_stars.rows(ids))
    today = public_today()
    current_sentra = compiled(
        ("unit-current-sentra", today),
        lambda open_ids: (
            SentraMembership.objects.current_on(today)
            .filter(unit_id__in=open_ids)
            .order_by("unit_id", "joined_on")
            .values_list("unit_id", "sentra_id", "sentra__name")
        ),
        using,
    )
    # (unit, sentra id, sentra name) rows ordered by joined_on: the latest open membership wins.
    memberships = {unit_id: (sentra_id, name) for unit_id, sentra_id, name in current_sentra.rows(ids)}
    # URLs and star strings built here once, not by {% url %} and an include per card.
    kbli_field = IKMUnit._meta.get_field("kbli")
    unit_url = unit_url_pattern()
    sentra_url = reverse("public:sentra-detail", args=[0]).replace("0", "{}")
    for unit in units:
        unit.url = unit_url.format(unit.registry_code)
        if unit.kbli_id:
            kbli_field.set_cached_value(unit, kblis[unit.kbli_id])
        unit.ovop_stars = stars.get(unit.pk)
        unit.sentra_id_now, unit.sentra_name = memberships.get(unit.pk, (None, None))
        unit.sentra_url = sentra_url.format(unit.sentra_id_now) if unit.sentra_id_now else None
        if unit.ovop_stars:
            unit.stars_text = "★" * unit.ovop_stars + "☆" * (5 - unit.ovop_stars)
            unit.stars_label = ngettext("OVOP %(stars)s bintang", "OVOP %(stars)s bintang", unit.ovop_stars) % {
                "stars": unit.ovop_stars
            }
    return units


def decorate_sentra(sentra_list: list, sectors=None) -> list:
    """Regions, sector and public member count of a page of sentra: three queries, no joins per row."""
    attach_regions(sentra_list)
    attach_sectors(sentra_list, sectors if sectors is not None else lookups.sectors())
    counts = public_member_counts([s.pk for s in sentra_list])
    for sentra in sentra_list:
        sentra.public_members = counts.get(sentra.pk, 0)
    return sentra_list


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
    """One unit as the public sees it (a unit passed through decorate())."""
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
        "url": base_url + (getattr(unit, "url", None) or reverse("public:unit-detail", args=[unit.registry_code])),
    }


def structured_data(record: dict) -> dict:
    """A unit's page described for search engines (schema.org LocalBusiness, as JSON-LD), from its public
    record and nothing else: the street, phone, e-mail and map position only with the owner's consent."""
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": record["url"],
        "url": record["url"],
        "identifier": record["registry_code"],
        "name": record["business_name"],
        "description": record["main_products"],
        "address": {
            "@type": "PostalAddress",
            "addressLocality": record["regency"],
            "addressRegion": record["province"],
            "addressCountry": "ID",
        },
    }
    if record["brand"]:
        data["brand"] = {"@type": "Brand", "name": record["brand"]}
    if record["address"]:
        data["address"]["streetAddress"] = f"{record['address']}, {record['village']}, {record['district']}"
    for key, field in (("telephone", "phone"), ("email", "email")):
        if record[field]:
            data[key] = record[field]
    if record["location_precise"]:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": record["latitude"], "longitude": record["longitude"]}
    return data


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
