import base64
import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from ikm_registry.api.serializers import IKMUnitSerializer
from ikm_registry.api.throttling import AnonWindowThrottle
from ikm_registry.models import IKMUnit, OVOPRating, Product
from ikm_registry.public import lookups
from ikm_registry.public.records import CSV_COLUMNS
from ikm_registry.tests.factories import (
    CertificateFactory,
    IKMUnitFactory,
    OVOPRatingFactory,
    YearlyFiguresFactory,
    sector,
)
from ikm_registry.tests.public_registry import KALAMPANGAN, build_public_registry
from sentra.tests.factories import SentraMembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]


@pytest.fixture
def registry():
    return build_public_registry()


def codes(response) -> list[str]:
    return [row["registry_code"] for row in response.json()["results"]]


def test_every_endpoint_lists_and_details_without_login(client, registry):
    unit = client.get(f"/api/v1/ikm-units/{registry.chopsticks.registry_code}/").json()
    assert unit["business_name"] == "CV Sumpit Borneo Lestari"
    assert unit["sentra"] == "Kawasan IKM Pengolahan Kayu Palangka Raya"
    assert unit["ovop_ratings"] == [
        {
            "product_name": "Sumpit kayu",
            "stars": 4,
            "assessment_year": 2023,
            "fostering_level": "kementerian",
            "category": "Industri Barang dari Kayu dan Furnitur",
        }
    ]
    assert {c["kind"] for c in unit["certificates"]} == {"sni", "tkdn_ik"}
    assert unit["phone"] == "+6281355501234" and unit["location_precise"] is True

    sentra = client.get(f"/api/v1/sentra/{registry.kawasan.pk}/").json()
    assert sentra["member_count"] == 5 and sentra["area_hectares"] == "14.00"
    assert [m["business_name"] for m in sentra["members"]][0] == "CV Sumpit Borneo Lestari"

    products = client.get("/api/v1/ovop-products/").json()["results"]
    assert [(p["product_name"], p["stars"]) for p in products] == [("Amplang ikan belida", 2), ("Sumpit kayu", 4)]
    rating_id = products[1]["id"]
    assert (
        client.get(f"/api/v1/ovop-products/{rating_id}/").json()["registry_code"] == registry.chopsticks.registry_code
    )

    regions = client.get("/api/v1/regions/", {"parent": "62.71"}).json()["results"]
    assert [r["name"] for r in regions] == ["Pahandut", "Bukit Batu", "Jekan Raya", "Sabangau", "Rakumpit"]
    assert client.get("/api/v1/regions/62.71.04.1002/").json()["name"] == "Kalampangan"


def test_hidden_units_are_not_in_the_api(client, registry):
    listed = set(codes(client.get("/api/v1/ikm-units/", {"page_size": 100})))
    assert listed == {u.registry_code for u in registry.public_units}
    for hidden in (registry.draft, registry.returned, registry.closed):
        assert client.get(f"/api/v1/ikm-units/{hidden.registry_code}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "62"}, ["chopsticks", "furniture", "amplang", "private_unit"]),
        ({"region": "62.71", "sector": "KAYU"}, ["chopsticks", "furniture"]),
        ({"region": "62.71.01"}, ["amplang", "private_unit"]),
        ({"region": KALAMPANGAN}, ["chopsticks", "furniture"]),
        ({"kbli": "31001"}, ["chopsticks", "furniture"]),
        ({"size_class": "menengah"}, ["chopsticks"]),
        ({"stars": "2"}, ["amplang"]),
        ({"q": "amplang"}, ["amplang", "pontianak"]),
        ({"q": "sasirangan", "region": "63.71"}, ["sasirangan"]),
    ],
)
def test_units_filter_like_the_page(client, registry, params, expected):
    units = []
    for name in expected:
        value = getattr(registry, name)
        units.extend(value if isinstance(value, list) else [value])
    assert sorted(codes(client.get("/api/v1/ikm-units/", params))) == sorted(u.registry_code for u in units)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "province=62&regency=62.71&sector=KAYU",
        "region=62.71.01",
        "province=62&regency=62.71&district=62.71.04&village=62.71.04.1002&sector=KAYU",
        "q=amplang&sort=-name",
        "sort=newest",
        "certificate=halal",
        "marketing_reach=ekspor&stars=4",
    ],
)
def test_api_returns_the_same_units_as_the_page_for_the_same_filters(client, registry, query):
    kayu = sector("KAYU")
    for i in range(25):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=kayu, verified=True)
    page = client.get(f"/ikm/?{query}").content.decode()
    page_codes = re.findall(r'<h3><a href="/ikm/([^/]+)/">', page)
    api = client.get(f"/api/v1/ikm-units/?{query}")
    assert codes(api) == page_codes
    assert len(page_codes) == min(20, len(page_codes)) and page_codes


def test_updated_since_gives_the_units_changed_at_or_after_that_time(client, registry):
    """A program keeping a copy asks only for what changed since its last visit (docs/api.md)."""
    jakarta = ZoneInfo("Asia/Jakarta")
    IKMUnit.objects.update(updated_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=jakarta))
    changed = [registry.amplang, registry.chopsticks]
    IKMUnit.objects.filter(pk__in=[u.pk for u in changed]).update(
        updated_at=datetime.datetime(2026, 12, 1, 8, 0, tzinfo=jakarta)
    )
    IKMUnit.objects.filter(pk=registry.closed.pk).update(updated_at=datetime.datetime(2026, 12, 2, tzinfo=jakarta))
    expected = sorted(u.registry_code for u in changed)  # the closed unit changed too, but is not public
    for since in ("2026-12-01T08:00:00+07:00", "2026-12-01T01:00:00Z", "2026-12-01T08:00", "2026-12-01"):
        assert sorted(codes(client.get("/api/v1/ikm-units/", {"updated_since": since}))) == expected, since
    # On or after: the exact time is in, a second later is out; without a zone the time is the office's (WIB).
    assert codes(client.get("/api/v1/ikm-units/", {"updated_since": "2026-12-01T08:00:01+07:00"})) == []
    assert codes(client.get("/api/v1/ikm-units/", {"updated_since": "2026-12-01T08:00:01"})) == []
    # With the other filters, in the counts, and the same units on the page.
    assert codes(client.get("/api/v1/ikm-units/", {"updated_since": "2026-12-01", "region": "62.71.01"})) == [
        registry.amplang.registry_code
    ]
    assert client.get("/api/v1/ikm-units/counts/", {"updated_since": "2026-12-01"}).json()["total"] == 2
    page = client.get("/ikm/", {"updated_since": "2026-12-01"}).content.decode()
    assert sorted(re.findall(r'<h3><a href="/ikm/([^/]+)/">', page)) == expected
    # The filter form keeps it when other filters are applied, and says so.
    assert '<input type="hidden" name="updated_since" value="2026-12-01">' in page
    assert "Hanya yang berubah sejak <strong>1 Desember 2026, 00.00</strong>" in page


def test_few_changes_in_another_order_are_read_through_the_change_index(client, registry, monkeypatch):
    """PostgreSQL's statistics cannot tell how few units changed since this morning, and walked the whole name
    index for them (1.7 s at a million units). Fewer than FEW_CHANGES are counted first and bound the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ikm_registry.public import filters

    jakarta = ZoneInfo("Asia/Jakarta")
    IKMUnit.objects.update(updated_at=datetime.datetime(2026, 11, 1, tzinfo=jakarta))
    changed = [registry.chopsticks, registry.amplang, registry.closed]
    IKMUnit.objects.filter(pk__in=[u.pk for u in changed]).update(
        updated_at=datetime.datetime(2026, 12, 7, 8, 0, tzinfo=jakarta)
    )
    by_name = [
        u.registry_code for u in sorted(changed[:2], key=lambda u: u.business_name)
    ]  # the closed one is not public
    since = {"updated_since": "2026-12-07T06:00:00+07:00"}

    def listed(params):
        with CaptureQueriesContext(connection) as captured:
            found = codes(client.get("/api/v1/ikm-units/", params))
        page = [q["sql"] for q in captured if "ORDER BY" in q["sql"] and '"business_name"' in q["sql"]]
        return found, page

    found, (page_sql,) = listed({**since, "sort": "name"})
    assert found == by_name
    # Three changed, public or not: the page is bounded by them, taken from the index on updated_at.
    assert re.search(r'IN \(SELECT .* ORDER BY U0."updated_at" ASC LIMIT 3\)', page_sql)
    assert listed({**since, "sort": "-name"})[0] == by_name[::-1]
    # The list of codes goes by id, whatever the sort: bounded too.
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/ikm-units/codes/", since)
    assert sorted(response.json()["results"]) == sorted(by_name)
    assert re.search(r"IN \(SELECT .* LIMIT 3\)", captured[-1]["sql"])
    # Many changes: the order's own index soon meets them, unbounded.
    monkeypatch.setattr(filters, "FEW_CHANGES", 3)
    found, (page_sql,) = listed({**since, "sort": "name"})
    assert found == by_name and " IN (SELECT" not in page_sql
    # In the order of change, the change index serves the page itself, with nothing counted first.
    with CaptureQueriesContext(connection) as captured:
        assert sorted(codes(client.get("/api/v1/ikm-units/", since))) == sorted(by_name)
    assert not any("COUNT(*)" in q["sql"] for q in captured)


def test_what_a_unit_publishes_from_other_tables_counts_as_a_change_of_the_unit(client, registry):
    """Its OVOP stars, sentra, certificates and products, and its size class from the yearly figures."""
    long_ago = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)

    def changed_since_now(change) -> list[str]:
        IKMUnit.objects.update(updated_at=long_ago)
        since = timezone.now()
        change()
        return codes(client.get("/api/v1/ikm-units/", {"updated_since": since.isoformat()}))

    amplang, pontianak = registry.amplang, registry.pontianak
    rating = OVOPRating.objects.filter(unit=amplang).first()
    assert changed_since_now(lambda: OVOPRatingFactory(unit=pontianak, stars=5)) == [pontianak.registry_code]
    assert changed_since_now(rating.delete) == [amplang.registry_code]
    assert changed_since_now(lambda: SentraMembershipFactory(sentra=registry.kawasan, unit=amplang)) == [
        amplang.registry_code
    ]
    assert changed_since_now(lambda: CertificateFactory(unit=pontianak)) == [pontianak.registry_code]
    # New figures that leave the size class as it was are no change of the public record; a new class is.
    year = registry.sasirangan.latest_figures_year or 2024
    same = registry.sasirangan.size_class
    assert changed_since_now(lambda: registry.sasirangan.refresh_size_class()) == []
    assert same == IKMUnit.objects.get(pk=registry.sasirangan.pk).size_class
    big = {"workers_male": 100, "workers_female": 50, "investment_value": 20_000_000_000}
    assert changed_since_now(lambda: YearlyFiguresFactory(unit=registry.sasirangan, year=year + 1, **big)) == [
        registry.sasirangan.registry_code
    ]


def test_deleting_units_does_not_touch_them_once_per_row_deleted_along(registry):
    """The rows go with their unit; touching a unit that is being deleted would be one UPDATE per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def unit_updates(delete) -> int:
        with CaptureQueriesContext(connection) as captured:
            delete()
        return sum(1 for q in captured if q["sql"].startswith('UPDATE "ikm_registry_ikmunit"'))

    def unit_with_rows():
        unit = IKMUnitFactory(village_id=KALAMPANGAN, verified=True)
        for _ in range(2):
            CertificateFactory(unit=unit)
        Product.objects.create(unit=unit, name="Sumpit kayu")
        SentraMembershipFactory(sentra=registry.kawasan, unit=unit)
        return unit

    assert unit_updates(unit_with_rows().delete) == 0
    assert unit_updates(IKMUnit.objects.filter(pk__in=[unit_with_rows().pk, unit_with_rows().pk]).delete) == 0
    # A row deleted on its own is still a change of its unit.
    certificate = CertificateFactory(unit=unit_with_rows())
    assert unit_updates(certificate.delete) == 1


def kawasan_with_a_former_member(registry):
    """The kawasan, the codes of its public members today, and a public unit that left it years ago."""
    kawasan = registry.kawasan
    current = set(kawasan.members_on(timezone.localdate()).public().values_list("registry_code", flat=True))
    former = IKMUnitFactory(village_id=KALAMPANGAN, business_name="Mebel Lama", verified=True)
    SentraMembershipFactory(
        sentra=kawasan, unit=former, joined_on=datetime.date(2010, 1, 1), left_on=datetime.date(2012, 1, 1)
    )
    return kawasan, current, former


def test_deleting_a_sentra_touches_its_current_members_in_one_update(client, registry):
    """Their records lose the sentra's name: a change of each current member, not of a former one, and one UPDATE
    for all of them rather than one per membership row deleted along."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    long_ago = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    kawasan, current, former = kawasan_with_a_former_member(registry)
    assert len(current) > 1
    IKMUnit.objects.update(updated_at=long_ago)
    since = timezone.now()

    with CaptureQueriesContext(connection) as captured:
        kawasan.delete()

    unit_updates = [q for q in captured if q["sql"].startswith('UPDATE "ikm_registry_ikmunit"')]
    assert len(unit_updates) == 1
    assert set(codes(client.get("/api/v1/ikm-units/", {"updated_since": since.isoformat()}))) == current


def test_renaming_a_sentra_is_a_change_of_its_current_members_only(client, registry):
    """Their records carry the sentra's name; a former member's and an edit that keeps the name do not."""
    long_ago = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    kawasan, current, former = kawasan_with_a_former_member(registry)
    assert current and former.registry_code not in current

    def changed_since_now(change) -> set[str]:
        IKMUnit.objects.update(updated_at=long_ago)
        since = timezone.now()
        change()
        return set(codes(client.get("/api/v1/ikm-units/", {"updated_since": since.isoformat(), "page_size": 100})))

    def edit(**fields):
        def save():
            for name, value in fields.items():
                setattr(kawasan, name, value)
            kawasan.save()

        return save

    assert changed_since_now(edit(description="Kawasan dengan UPT bersama.")) == set()
    assert changed_since_now(edit(name="Kawasan Industri Kayu Kalampangan")) == current
    records = client.get("/api/v1/ikm-units/", {"sentra": kawasan.pk}).json()["results"]
    assert {r["sentra"] for r in records} == {"Kawasan Industri Kayu Kalampangan"}


def test_a_copy_is_kept_in_step_by_walking_the_changes_in_order(client):
    """sort=updated pages by change time then id, so a program can stop anywhere and resume from its cursor."""
    kayu = sector("KAYU")
    units = [
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=kayu, verified=True)
        for i in range(12)
    ]
    base = datetime.datetime(2026, 12, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC)
    for i, unit in enumerate(units):  # pairs share a time, down to the microsecond: the id breaks the tie
        IKMUnit.objects.filter(pk=unit.pk).update(updated_at=base + datetime.timedelta(seconds=(11 - i) // 2))
    expected = sorted(units, key=lambda u: (IKMUnit.objects.get(pk=u.pk).updated_at, u.pk))
    seen, url = [], "/api/v1/ikm-units/?page_size=5&updated_since=2026-12-01"  # no sort: in the order of change
    while url:
        data = client.get(url).json()
        seen.extend(row["registry_code"] for row in data["results"])
        url = data["next"]
    assert seen == [u.registry_code for u in expected]
    newest_first = codes(client.get("/api/v1/ikm-units/", {"sort": "-updated", "page_size": 12}))
    assert newest_first == [u.registry_code for u in reversed(expected)]
    # The directory sorts the same way and says so in its sort select.
    page = client.get("/ikm/", {"updated_since": "2026-12-01"}).content.decode()
    assert re.findall(r'<h3><a href="/ikm/([^/]+)/">', page) == [u.registry_code for u in expected]
    assert '<option value="updated" selected>' in page


@pytest.mark.parametrize("key", [["2026-12-01T08:00:00", 3], ["kemarin", 3], [20261201, 3], ["2026-12-01T08:00:00Z"]])
def test_a_forged_cursor_of_the_change_order_is_a_400(client, key):
    cursor = base64.urlsafe_b64encode(json.dumps({"s": "updated", "d": "n", "k": key}).encode()).decode().rstrip("=")
    response = client.get("/api/v1/ikm-units/", {"sort": "updated", "cursor": cursor})
    assert response.status_code == 400 and "Kursor tidak sah" in response.json()["cursor"][0]


def test_codes_list_every_public_unit_of_a_selection_for_a_copy_to_compare(client, registry):
    everything = client.get("/api/v1/ikm-units/codes/").json()
    assert everything["next"] is None
    assert everything["results"] == [u.registry_code for u in sorted(registry.public_units, key=lambda u: u.pk)]
    for hidden in (registry.draft, registry.returned, registry.closed):
        assert hidden.registry_code not in everything["results"]
    # The list's filters apply; pages follow `next` by id.
    palangka = client.get("/api/v1/ikm-units/codes/", {"region": "62.71"}).json()["results"]
    assert sorted(palangka) == sorted(codes(client.get("/api/v1/ikm-units/", {"region": "62.71"})))
    seen, url = [], "/api/v1/ikm-units/codes/?region=62.71&page_size=2"
    while url:
        data = client.get(url).json()
        assert len(data["results"]) <= 2
        seen.extend(data["results"])
        url = data["next"]
    assert seen == palangka


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "10001"}, "page_size"),
        ({"page_size": "9" * 5000}, "page_size"),
        ({"page_size": "²"}, "page_size"),
        ({"cursor": "garbage"}, "cursor"),
        ({"stars": "9"}, "stars"),
    ],
)
def test_codes_refuse_bad_parameters_with_a_400(client, registry, params, field):
    response = client.get("/api/v1/ikm-units/codes/", params)
    assert response.status_code == 400 and field in response.json()
    # A cursor of the unit list (by name) is not one of the codes' cursors.
    name_cursor = client.get("/api/v1/ikm-units/", {"page_size": 1}).json()["next"].split("cursor=")[1]
    assert client.get("/api/v1/ikm-units/codes/", {"cursor": name_cursor}).status_code == 400


def test_updated_since_is_documented_as_a_date_time(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/ikm-units/"]["get"]["parameters"]}
    assert parameters["updated_since"]["schema"]["format"] == "date-time"
    assert "ISO 8601" in parameters["updated_since"]["description"]


def test_the_codes_schema_offers_the_filters_but_not_a_sort(client):
    """Codes come by unit number: a `sort` there would be ignored, so the schema does not offer one."""
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/ikm-units/codes/"]["get"]["parameters"]}
    assert {"region", "sector", "updated_since", "cursor", "page_size"} <= parameters
    assert "sort" not in parameters


def test_cursor_pages_walk_every_unit_once_in_order(client):
    kayu = sector("KAYU")
    for i in range(53):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=kayu, verified=True)
    seen, url = [], "/api/v1/ikm-units/?page_size=10&sort=-name"
    while url:
        data = client.get(url).json()
        seen.extend(row["business_name"] for row in data["results"])
        url = data["next"]
    assert seen == [f"Mebel {i:02d}" for i in range(52, -1, -1)]
    second = client.get("/api/v1/ikm-units/?page_size=10").json()["next"]
    back = client.get(client.get(second).json()["previous"]).json()
    assert [r["business_name"] for r in back["results"]] == [f"Mebel {i:02d}" for i in range(10)]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"region": "99.99"}, "region", "Kode wilayah tidak dikenal: 99.99."),
        ({"region": "62-71"}, "region", "tidak sah"),
        ({"stars": "9"}, "stars", "Bintang OVOP harus 1 sampai 5, bukan 9."),
        ({"size_class": "raksasa"}, "size_class", "Kelas usaha tidak dikenal: raksasa."),
        ({"sector": "EMAS"}, "sector", "Sektor tidak dikenal: EMAS."),
        ({"kbli": "1a"}, "kbli", "KBLI harus 2 sampai 5 angka"),
        ({"sort": "price"}, "sort", "Urutan tidak dikenal"),
        ({"sentra": "999999"}, "sentra", "Sentra tidak dikenal"),
        ({"cursor": "garbage"}, "cursor", "Kursor tidak sah"),
        ({"cursor": "eyJzIjoibmFtZSIsImQiOiJuIiwiayI6WzEsIngiXX0"}, "cursor", "Kursor tidak sah"),
        ({"page_size": "0"}, "page_size", "page_size harus 1 sampai 100"),
        ({"page_size": "x"}, "page_size", "page_size harus 1 sampai 100"),
        ({"updated_since": "kemarin"}, "updated_since", "Waktu tidak sah: gunakan ISO 8601"),
        ({"updated_since": "2026-13-01"}, "updated_since", "Waktu tidak sah: gunakan ISO 8601"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client, registry, params, field, message):
    response = client.get("/api/v1/ikm-units/", params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_other_endpoints_refuse_bad_filters_too(client, registry):
    assert client.get("/api/v1/ovop-products/", {"stars": "9"}).status_code == 400
    assert client.get("/api/v1/sentra/", {"region": "99"}).status_code == 400
    assert client.get("/api/v1/regions/", {"parent": "99.99"}).json()["parent"] == [
        "Kode wilayah tidak dikenal: 99.99."
    ]
    assert client.get("/api/v1/regions/", {"level": "7"}).status_code == 400
    assert client.get("/api/v1/sentra/", {"cursor": "%%%"}).status_code == 400


def test_errors_speak_english_when_asked(client, registry):
    response = client.get("/api/v1/ikm-units/", {"stars": "9", "page_size": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"stars": ["OVOP stars must be 1 to 5, not 9."]}
    response = client.get("/api/v1/ikm-units/", {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"page_size": ["page_size must be between 1 and 100."]}


def test_list_runs_the_same_number_of_queries_whatever_the_page_holds(client, registry, django_assert_num_queries):
    # sectors, the region filter, the unit page, then regions, KBLI, OVOP stars, sentra of its rows
    with django_assert_num_queries(7):
        client.get("/api/v1/ikm-units/", {"region": "62.71"})
    for i in range(30):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=sector("KAYU"), verified=True)
    lookups.clear()
    with django_assert_num_queries(7):
        response = client.get("/api/v1/ikm-units/", {"region": "62.71", "page_size": 30})
    assert len(response.json()["results"]) == 30
    # Sectors, regions and KBLI codes stay in the process for a minute: the unit page and its stars and sentra.
    with django_assert_num_queries(3):
        client.get("/api/v1/ikm-units/", {"region": "62.71", "sort": "-name"})
    # The sorts by change read their key with the page (a cursor holds it), not once per row.
    with django_assert_num_queries(3):
        data = client.get("/api/v1/ikm-units/", {"region": "62.71", "sort": "updated", "page_size": 10}).json()
    with django_assert_num_queries(3):
        client.get(data["next"])


def test_counts_endpoint_gives_the_directory_counts(client, registry):
    data = client.get("/api/v1/ikm-units/counts/", {"regency": "62.71"}).json()
    assert data["total"] == 7
    assert {row["value"]: row["count"] for row in data["sector"]}["KAYU"] == 5
    assert {row["code"]: row["count"] for row in data["region"]} == {"62.71.01": 2, "62.71.04": 5}
    assert data["sentra"] == [{"id": registry.kawasan.pk, "name": registry.kawasan.name, "count": 5}]


def test_the_api_keeps_the_stored_indonesian_sector_names_in_english(client, registry):
    # Pages show the sectors in the visitor's language; programs reading the API match the stored names.
    kayu = "Industri Barang dari Kayu dan Furnitur"
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    response = client.get(f"/api/v1/ikm-units/{registry.chopsticks.registry_code}/", **english)
    assert response.headers["Content-Language"] == "en"
    unit = response.json()
    assert unit["sector"] == kayu and unit["ovop_ratings"][0]["category"] == kayu
    units = client.get("/api/v1/ikm-units/", {"sector": "KAYU"}, **english).json()["results"]
    assert units and {u["sector"] for u in units} == {kayu}
    assert client.get(f"/api/v1/sentra/{registry.kawasan.pk}/", **english).json()["sector"] == kayu
    products = client.get("/api/v1/ovop-products/", {"sector": "KAYU"}, **english).json()["results"]
    assert products and {p["category"] for p in products} == {kayu}
    counts = client.get("/api/v1/ikm-units/counts/", {"regency": "62.71"}, **english).json()
    assert {row["value"]: row["label"] for row in counts["sector"]}["KAYU"] == kayu


def test_schema_describes_every_endpoint_and_the_unit_fields(client, registry):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    for path in [
        "/api/v1/ikm-units/",
        "/api/v1/ikm-units/{registry_code}/",
        "/api/v1/sentra/",
        "/api/v1/sentra/{id}/",
        "/api/v1/ovop-products/",
        "/api/v1/ovop-products/{id}/",
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
    ]:
        assert "get" in paths[path], path
    parameters = {p["name"] for p in paths["/api/v1/ikm-units/"]["get"]["parameters"]}
    assert {"region", "sector", "kbli", "size_class", "stars", "q", "cursor", "page_size"} <= parameters
    # The schema's unit fields are exactly what the API, CSV and JSON downloads publish.
    assert list(IKMUnitSerializer().fields) == CSV_COLUMNS
    component = next(v for k, v in schema["components"]["schemas"].items() if k == "IKMUnit")
    assert list(component["properties"]) == CSV_COLUMNS
    assert not [p for p in paths if not p.startswith("/api/v1/")]
    # Building the schema reads the filters' form fields; the sector filter must still know its sectors.
    assert codes(client.get("/api/v1/ikm-units/", {"sector": "KAYU"}))


def test_browsable_docs_load_scripts_from_files_only(client):
    for url in ["/api/v1/docs/", "/api/v1/redoc/"]:
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
        assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts), url
        assert "https://" not in text  # no CDN, no web fonts: everything from the project
    # Swagger UI's initialiser is a script file of its own (the split view), not an inline script.
    response = client.get("/api/v1/docs/?script=")
    assert response.status_code == 200 and "/api/v1/schema/" in response.content.decode()


def test_anonymous_clients_are_throttled(client, registry, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    # A fixed clock: no minute ends during the test.
    monkeypatch.setattr(AnonWindowThrottle, "timer", staticmethod(lambda: 6_000_000.0))
    statuses = [client.get("/api/v1/regions/62/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
