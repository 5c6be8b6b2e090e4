import csv
import html
import io
import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ikm_registry.formatting import format_date
from ikm_registry.models import IKMUnit, OVOPRating, RegionLevel, Sector
from ikm_registry.models.scoping import LEVEL_COLUMNS
from ikm_registry.public import lookups, stats
from ikm_registry.public.facets import compute_counts
from ikm_registry.public.filters import IKMUnitFilter, public_today, valid_certificates
from ikm_registry.public.records import CSV_COLUMNS
from ikm_registry.tests.factories import IKMUnitFactory, sector
from ikm_registry.tests.public_registry import KALAMPANGAN, PELAMBUAN, build_public_registry
from sentra.models import Sentra, SentraMembership
from sentra.tests.factories import SentraMembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_public_cache")]


@pytest.fixture
def registry():
    return build_public_registry()


def names_in(response) -> list[str]:
    """Unit names of a directory page, in page order."""
    return [
        html.unescape(n) for n in re.findall(r'<h3><a href="/ikm/[^"]+/">([^<]+)</a></h3>', response.content.decode())
    ]


def test_home_shows_headline_figures_counted_from_public_units(client, registry):
    response = client.get("/")
    assert response.status_code == 200
    public = [u for u in IKMUnit.objects.all() if u.verification_status == "verified" and u.status == "aktif"]
    text = response.content.decode()
    figures = {label: number for number, label in re.findall(r"<strong>([\d.]+)</strong> <span>([^<]+)</span>", text)}
    assert figures["IKM aktif terverifikasi"] == str(len(public))
    assert figures["sentra dan kawasan"] == str(Sentra.objects.count())
    assert figures["kabupaten/kota"] == str(len({u.regency_id for u in public}))
    assert figures["kecamatan"] == str(len({u.district_id for u in public}))
    # Sumpit and amplang are current; the closed unit's 5-star chair is not public.
    assert figures["produk OVOP berbintang"] == "2"
    latest = IKMUnit.objects.public().aggregate(m=Max("updated_at"))["m"]
    assert format_date(latest.astimezone()) in text or format_date(latest) in text
    assert 'href="/ikm/?sector=KAYU"' in text
    assert 'href="/wilayah/62/"' in text


def test_directory_lists_only_verified_active_units(client, registry):
    response = client.get("/ikm/")
    assert sorted(names_in(response)) == sorted(u.business_name for u in registry.public_units)
    for hidden in (registry.draft, registry.returned, registry.closed):
        assert hidden.business_name not in response.content.decode()


def test_directory_narrows_to_kabkota_and_sector(client, registry):
    response = client.get("/ikm/", {"province": "62", "regency": "62.71", "sector": "KAYU"})
    expected = sorted(u.business_name for u in [registry.chopsticks, *registry.furniture])
    assert names_in(response) == expected
    assert "5 IKM ditemukan" in response.content.decode()


def test_directory_shows_counts_beside_filter_values_for_the_selection(client, registry):
    text = client.get("/ikm/", {"province": "62", "regency": "62.71"}).content.decode()
    # Sector counts within Palangka Raya: 5 wood, 2 food (other filters kept, own filter left out).
    assert re.search(r'<option value="KAYU">Industri Barang dari Kayu dan Furnitur \(5\)</option>', text)
    assert re.search(r'<option value="PANGAN">Industri Pangan \(2\)</option>', text)
    # The kecamatan of Palangka Raya with their counts; the kab/kota select lists Kalimantan Tengah's.
    assert re.search(r'<option value="62.71.04">Sabangau \(5\)</option>', text)
    assert re.search(r'<option value="62.71.01">Pahandut \(2\)</option>', text)
    assert '<option value="62.71" selected>' in text
    # Current certificates only: the expired TKDN-IK does not count.
    assert re.search(r'<option value="sni">SNI \(1\)</option>', text)
    assert re.search(r'<option value="tkdn_ik">TKDN-IK \(0\)</option>', text)
    assert re.search(r"<option value=\"4\">4 bintang \(1\)</option>", text)
    assert re.search(
        rf'<option value="{registry.kawasan.pk}">Kawasan IKM Pengolahan Kayu Palangka Raya \(5\)</option>', text
    )


def test_filter_labels_follow_the_language_of_each_visitor_and_are_escaped(client, registry):
    sentra = registry.kawasan
    sentra.name = "Sentra <Rotan> & Kayu"
    sentra.save()
    params = {"province": "62", "regency": "62.71"}
    indonesian = client.get("/ikm/", params).content.decode()
    cache.clear()  # each page built again, not served from the cache
    client.cookies["django_language"] = "en"
    english = client.get("/ikm/", params).content.decode()
    cache.clear()
    client.cookies["django_language"] = "id"
    again = client.get("/ikm/", params).content.decode()

    assert re.search(r'<option value="4">4 bintang \(1\)</option>', indonesian)
    assert re.search(r'<option value="4">4 stars? \(1\)</option>', english)
    assert re.search(r'<option value="4">4 bintang \(1\)</option>', again)
    for text in (indonesian, english, again):
        assert f'<option value="{sentra.pk}">Sentra &lt;Rotan&gt; &amp; Kayu (5)</option>' in text
        assert "<Rotan>" not in text


def test_directory_searches_name_brand_and_products(client, registry):
    assert names_in(client.get("/ikm/", {"q": "sumpit"})) == ["CV Sumpit Borneo Lestari"]
    assert names_in(client.get("/ikm/", {"q": "hashi"})) == ["CV Sumpit Borneo Lestari"]
    assert names_in(client.get("/ikm/", {"q": "amplang ikan"})) == ["Amplang Khatulistiwa", "Amplang Langkai Berkah"]
    assert names_in(client.get("/ikm/", {"q": "50%"})) == []


def test_directory_filters_by_every_dimension(client, registry):
    cases = {
        "kbli=310": [registry.chopsticks, *registry.furniture],
        "size_class=menengah": [registry.chopsticks],
        "certificate=halal": [registry.amplang],
        "certificate=tkdn_ik": [],
        "marketing_reach=ekspor": [registry.chopsticks],
        "stars=4": [registry.chopsticks],
        "stars=3": [],
        f"sentra={registry.sentra_banjarmasin.pk}": [registry.sasirangan],
        "region=61": [registry.pontianak],
        f"region={KALAMPANGAN}": [registry.chopsticks, *registry.furniture],
        "district=62.71.01&regency=62.71&province=62": [registry.amplang, registry.private_unit],
    }
    for query, units in cases.items():
        response = client.get(f"/ikm/?{query}")
        assert response.status_code == 200, query
        assert sorted(names_in(response)) == sorted(u.business_name for u in units), query


def test_directory_sorts_by_name_both_ways_and_by_newest(client, registry):
    ascending = names_in(client.get("/ikm/"))
    assert ascending == sorted(ascending)
    assert names_in(client.get("/ikm/", {"sort": "-name"})) == ascending[::-1]
    newest = names_in(client.get("/ikm/", {"sort": "newest"}))
    assert newest[0] == registry.pontianak.business_name


def test_the_sorts_of_a_selection_share_one_filter_form_each_with_its_own_sort_selected(client, registry, monkeypatch):
    from ikm_registry.public import views

    forms_rendered = []

    def counting(template_name, *args, **kwargs):
        if template_name == "includes/directory_filters.html":
            forms_rendered.append(template_name)
        return render_to_string(template_name, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counting)
    for sort, label in [
        ("name", "Nama A–Z"),
        ("-name", "Nama Z–A"),
        ("newest", "Terbaru terdaftar"),
        ("name", "Nama A–Z"),
    ]:
        html = client.get("/ikm/", {"regency": "62.71", "sort": sort}).content.decode()
        selected = re.search(r'<select name="sort".*?</select>', html, re.S).group(0)
        assert re.findall(r"<option [^>]*selected>([^<]*)<", selected) == [label], sort
        assert html.count('name="sort"') == 1
    assert len(forms_rendered) == 1


def test_numbered_and_cursor_pages_walk_the_same_units_in_order(client):
    kayu = sector("KAYU")
    for i in range(45):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=kayu, verified=True)
    first = client.get("/ikm/")
    second_by_number = names_in(client.get("/ikm/", {"page": 2}))
    next_link = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    second_by_cursor = client.get("/ikm/" + next_link)
    assert names_in(second_by_cursor) == second_by_number == [f"Mebel {i:02d}" for i in range(20, 40)]
    assert "Halaman 2 dari 3" in second_by_cursor.content.decode()
    last_link = re.search(r'href="([^"]+)">Terakhir', first.content.decode()).group(1).replace("&amp;", "&")
    last = client.get("/ikm/" + last_link)
    assert names_in(last) == [f"Mebel {i:02d}" for i in range(40, 45)]
    assert "Halaman 3 dari 3" in last.content.decode()
    previous_link = re.search(r'rel="prev" href="([^"]+)"', last.content.decode()).group(1).replace("&amp;", "&")
    assert names_in(client.get("/ikm/" + previous_link)) == second_by_number


def test_malformed_page_or_cursor_gets_a_4xx_never_a_500(client, registry):
    assert client.get("/ikm/", {"page": "abc"}).status_code == 400
    assert client.get("/ikm/", {"page": "0"}).status_code == 400
    assert client.get("/ikm/", {"page": "9"}).status_code == 404
    assert client.get("/ikm/", {"page": "100000"}).status_code == 404
    for cursor in ["abc", "eyJzIjoibmFtZSJ9", "eyJzIjoibmFtZSIsImQiOiJuIiwiayI6WyJ4IiwieSJdfQ"]:
        response = client.get("/ikm/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "Tautan halaman ini rusak" in response.content.decode()


def test_bad_filter_values_are_explained_in_indonesian(client, registry):
    response = client.get("/ikm/", {"stars": "9", "size_class": "raksasa", "region": "99.99", "kbli": "abc"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bintang OVOP harus 1 sampai 5, bukan 9." in text
    assert "Kelas usaha tidak dikenal: raksasa." in text
    assert "Kode wilayah tidak dikenal: 99.99." in text
    assert "KBLI harus 2 sampai 5 angka" in text


def test_kabkota_left_over_from_another_province_is_dropped(client, registry):
    response = client.get("/ikm/", {"province": "63", "regency": "62.71"})
    assert names_in(response) == [registry.sasirangan.business_name]


def test_a_kecamatan_lists_its_villages_with_counts_and_a_village_narrows_the_directory(client, registry):
    kecamatan = client.get("/ikm/", {"province": "62", "regency": "62.71", "district": "62.71.04"}).content.decode()
    # The fourth cascading select: the villages of the chosen kecamatan, with their units in the selection.
    village_select = r'<select name="village" id="id_village" [^>]*>\s*<option value="">Semua kelurahan/desa'
    assert re.search(village_select, kecamatan)
    assert re.search(rf'<option value="{KALAMPANGAN}">Kalampangan \(5\)</option>', kecamatan)
    assert 'data-child="id_village"' in kecamatan

    params = {"province": "62", "regency": "62.71", "district": "62.71.04", "village": KALAMPANGAN}
    response = client.get("/ikm/", params)
    in_kalampangan = IKMUnit.objects.public().filter(village_id=KALAMPANGAN)
    assert sorted(names_in(response)) == sorted(u.business_name for u in in_kalampangan)
    assert f'<option value="{KALAMPANGAN}" selected>Kalampangan</option>' in response.content.decode()
    # Without a kecamatan there is no village list: the select stays empty and disabled.
    city = client.get("/ikm/", {"province": "62", "regency": "62.71"}).content.decode()
    assert re.search(r'<select name="village" id="id_village" [^>]*disabled>', city)


def test_a_village_left_over_from_another_kecamatan_is_dropped(client, registry):
    # Kalampangan lies in Sabangau, not Pahandut: the kecamatan chosen last wins, as the script would have it.
    response = client.get("/ikm/", {"regency": "62.71", "district": "62.71.01", "village": KALAMPANGAN})
    in_pahandut = IKMUnit.objects.public().filter(district_id="62.71.01")
    assert sorted(names_in(response)) == sorted(u.business_name for u in in_pahandut)


def test_a_village_field_refuses_a_code_of_another_level(client, registry):
    response = client.get("/ikm/", {"village": "62.71.04"})
    assert response.status_code == 400
    assert "62.71.04 bukan Kelurahan/Desa." in response.content.decode()
    api = client.get("/api/v1/ikm-units/", {"village": "62.71.04"})
    assert api.status_code == 400 and api.json() == {"village": ["62.71.04 bukan Kelurahan/Desa."]}


def test_csv_download_has_a_bom_and_every_filtered_row_not_one_page(client, registry):
    kayu = sector("KAYU")
    for i in range(30):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=kayu, verified=True)
    response = client.get("/ikm/unduh.csv", {"regency": "62.71", "sector": "KAYU", "sep": "semicolon"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 1 + 35
    chopsticks = next(r for r in rows if r[1] == "CV Sumpit Borneo Lestari")
    record = dict(zip(CSV_COLUMNS, chopsticks, strict=True))
    assert record["phone"] == "'+6281355501234"  # escaped so that Excel does not run it as a formula
    assert record["sentra"] == "Kawasan IKM Pengolahan Kayu Palangka Raya"
    assert record["ovop_stars"] == "4"


def test_json_download_lists_the_filtered_units_with_the_api_fields(client, registry):
    response = client.get("/ikm/unduh.json", {"q": "amplang"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["filters"] == {"q": "amplang"}
    assert [r["business_name"] for r in data["results"]] == ["Amplang Khatulistiwa", "Amplang Langkai Berkah"]
    assert list(data["results"][0]) == CSV_COLUMNS


def test_an_edit_in_another_province_leaves_a_provinces_cached_pages_alone(client, registry, django_assert_num_queries):
    params = {"province": "62", "regency": "62.71", "sector": "KAYU"}
    client.get("/ikm/", params)
    client.get("/ikm/")
    IKMUnitFactory(business_name="Mebel Banjar", village_id=PELAMBUAN, sector=sector("KAYU"), verified=True)
    with django_assert_num_queries(1):  # Kalimantan Tengah's stamp; the page itself from the cache
        client.get("/ikm/", params)
    assert "Mebel Banjar" in names_in(client.get("/ikm/"))  # the national page follows every edit

    registry.chopsticks.brand = "Hashi Borneo Baru"
    registry.chopsticks.save()
    card = card_of(client.get("/ikm/", params), registry.chopsticks.business_name)
    assert "Hashi Borneo Baru" in card


def test_download_reads_each_chunk_with_the_same_queries_whatever_it_holds(
    client, registry, django_assert_max_num_queries
):
    def downloaded_rows() -> int:
        lookups.clear()
        response = client.get("/ikm/unduh.csv", {"regency": "62.71"})
        return len(b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()) - 1

    with django_assert_max_num_queries(12) as few:
        small = downloaded_rows()
    for i in range(25):  # with consent: their contact columns are read too
        IKMUnitFactory(
            business_name=f"Mebel {i:02d}",
            village_id=KALAMPANGAN,
            sector=sector("KAYU"),
            verified=True,
            publish_contact=True,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert downloaded_rows() == small + 25


def test_download_refuses_bad_filters(client, registry):
    response = client.get("/ikm/unduh.csv", {"stars": "9"})
    assert response.status_code == 400
    assert "Bintang OVOP harus 1 sampai 5" in response.content.decode()


def test_directory_runs_the_same_number_of_queries_whatever_the_page_holds(client, registry, django_assert_num_queries):
    params = {"province": "62", "regency": "62.71", "sector": "KAYU"}
    # form regions, sectors, data stamp, the count and its 7 facets (one UNION ALL), page,
    # regions/KBLI/stars/sentra of its rows, region options.
    with django_assert_num_queries(10):
        client.get("/ikm/", params)
    for i in range(15):
        IKMUnitFactory(business_name=f"Mebel {i:02d}", village_id=KALAMPANGAN, sector=sector("KAYU"), verified=True)
    cache.clear()
    lookups.clear()  # sectors, regions and KBLI are kept in the process a minute: start cold again
    with django_assert_num_queries(10):
        response = client.get("/ikm/", params)
    assert len(names_in(response)) == 20
    # The same selection in another order reuses its counts: data stamp, page, its OVOP stars and sentra
    # (the form's region options are kept in the process, as the regions of its rows are).
    with django_assert_num_queries(4):
        client.get("/ikm/", {**params, "sort": "-name"})
    with django_assert_num_queries(1):
        client.get("/ikm/", params)


def test_cached_directory_pages_follow_changes_to_units(client, registry):
    params = {"regency": "62.71", "sector": "KAYU"}
    assert "CV Sumpit Borneo Lestari" in names_in(client.get("/ikm/", params))
    registry.chopsticks.business_name = "CV Sumpit Borneo Jaya"
    registry.chopsticks.save()
    assert "CV Sumpit Borneo Jaya" in names_in(client.get("/ikm/", params))
    registry.draft.verification_status = "verified"
    registry.draft.save()
    assert "UD Kayu Belum Diverifikasi" in names_in(client.get("/ikm/", params))


def test_unit_page_shows_sentra_stars_certificates_and_contact_given_consent(client, registry):
    response = client.get(f"/ikm/{registry.chopsticks.registry_code}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hashi Borneo" in text and "Sumpit kayu" in text
    assert "Industri Barang dari Kayu dan Furnitur" in text
    assert "31001" in text and "Kalampangan" in text and "Sabangau" in text
    assert f'href="/sentra/{registry.kawasan.pk}/">Kawasan IKM Pengolahan Kayu Palangka Raya</a>' in text
    assert 'aria-label="OVOP 4 bintang"' in text and "2023" in text
    assert "SNI-7654-2024" in text and "kedaluwarsa" in text
    assert "Ekspor" in text and "Jepang" in text
    assert "+6281355501234" in text and "pemasaran@sumpitborneo.example.id" in text
    assert 'data-lat="-2.289100"' in text and 'data-precise="1"' in text
    assert "/static/vendor/leaflet/leaflet.js" in text
    assert "<dd>2015</dd>" in text and "(data 2024)" in text  # years are not numbers: no thousands dot


def test_unit_page_without_consent_shows_no_contact_and_only_an_approximate_place(client, registry):
    text = client.get(f"/ikm/{registry.private_unit.registry_code}/").content.decode()
    assert "Pemilik belum menyetujui publikasi kontak usaha" in text
    assert 'href="tel:' not in text
    assert 'data-lat="-2.21"' in text and 'data-precise="0"' in text


def structured_data_of(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_unit_page_describes_the_business_for_search_engines_with_contact_only_given_consent(client, registry):
    chopsticks = structured_data_of(client.get(f"/ikm/{registry.chopsticks.registry_code}/").content.decode())
    assert chopsticks["@type"] == "LocalBusiness" and chopsticks["name"] == "CV Sumpit Borneo Lestari"
    assert chopsticks["url"] == f"http://testserver/ikm/{registry.chopsticks.registry_code}/"
    assert chopsticks["brand"] == {"@type": "Brand", "name": "Hashi Borneo"}
    assert chopsticks["telephone"] == "+6281355501234"
    assert chopsticks["address"]["streetAddress"].startswith("Jl. Mahir Mahar Km 12, Kalampangan")
    assert chopsticks["address"]["addressRegion"] == "Kalimantan Tengah"
    assert chopsticks["geo"] == {"@type": "GeoCoordinates", "latitude": "-2.289100", "longitude": "114.001200"}
    private = structured_data_of(client.get(f"/ikm/{registry.private_unit.registry_code}/").content.decode())
    assert not {"telephone", "email", "geo"} & set(private)
    assert set(private["address"]) == {"@type", "addressLocality", "addressRegion", "addressCountry"}


def test_structured_data_cannot_close_its_script_element(client, registry):
    products = "Amplang </script><script>alert(1)</script> & co"
    IKMUnit.objects.filter(pk=registry.amplang.pk).update(main_products=products)
    page = client.get(f"/ikm/{registry.amplang.registry_code}/").content.decode()
    assert structured_data_of(page)["description"] == products
    assert "<script>alert(1)" not in page.split('type="application/ld+json">')[1].split("</script>")[0]


def test_units_the_public_may_not_see_have_no_page(client, registry):
    for unit in (registry.draft, registry.returned, registry.closed):
        assert client.get(f"/ikm/{unit.registry_code}/").status_code == 404


def test_sentra_directory_and_page_list_public_members_only(client, registry):
    # The draft unit is a member, but not public.
    SentraMembershipFactory(sentra=registry.kawasan, unit=registry.draft)
    listing = client.get("/sentra/", {"q": "kayu"}).content.decode()
    assert "Kawasan IKM Pengolahan Kayu Palangka Raya" in listing and "5 anggota" in listing
    page = client.get(f"/sentra/{registry.kawasan.pk}/").content.decode()
    assert "CV Sumpit Borneo Lestari" in page and "Sumpit kayu" in page
    assert registry.draft.business_name not in page
    assert "14,00 ha" in page
    assert client.get("/sentra/", {"region": "63.71"}).content.decode().count('class="unit-card"') == 1


def test_ovop_catalogue_groups_each_products_current_rating_by_stars(client, registry):
    text = client.get("/ovop/").content.decode()
    groups = re.findall(r'<section class="ovop-group" aria-labelledby="stars-(\d)">(.*?)</section>', text, re.S)
    by_stars = {int(stars): body for stars, body in groups}
    assert "Sumpit kayu" in by_stars[4] and "Sumpit kayu" not in by_stars[3]  # the 2023 rating replaced 2021's
    assert "Amplang ikan belida" in by_stars[2]
    assert "Kursi tutup" not in text  # its unit is closed
    chosen = client.get("/ovop/", {"stars": "4"}).content.decode()
    assert "Sumpit kayu" in chosen and "Amplang ikan belida" not in chosen
    assert client.get("/ovop/", {"stars": "9"}).status_code == 400


def test_region_pages_show_figures_by_sector_children_and_sentra(client, registry):
    city = client.get("/wilayah/62.71/").content.decode()
    assert "Kota Palangka Raya" in city or "Palangka Raya" in city
    assert re.search(r"Industri Barang dari Kayu dan Furnitur</a></th>\s*<td class=\"num\">5</td>", city)
    assert 'href="/wilayah/62.71.04/">Sabangau</a> <span class="count">5</span>' in city
    assert "Kawasan IKM Pengolahan Kayu Palangka Raya" in city
    district = client.get("/wilayah/62.71.01/").content.decode()
    # Two food units with figures: below five, so their sums are not shown.
    assert re.search(r"Industri Pangan</a></th>\s*<td class=\"num\">2</td>\s*<td class=\"num muted\">—</td>", district)
    province = client.get("/wilayah/62/").content.decode()
    assert 'href="/wilayah/62.71/"' in province
    # A village's page is the directory with the village chosen in the cascading selects.
    village = "/ikm/?province=62&regency=62.71&district=62.71.04&village=62.71.04.1002"
    assert client.get("/wilayah/62.71.04.1002/")["Location"] == village
    assert client.get("/wilayah/99/").status_code == 404


def test_pages_speak_english_when_the_visitor_switches(client, registry):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ikm/"})
    assert response.status_code == 302
    text = client.get("/ikm/", {"regency": "62.71"}).content.decode()
    assert '<html lang="en">' in text
    assert 'aria-pressed="true">EN</button>' in text.replace('lang="en" aria-describedby="language-label" ', "")
    assert "<h1>IKM directory: Kota Palangkaraya</h1>" in text and "7 IKM found" in text
    assert "Apply" in text and "Terapkan" not in text


def card_of(response, name: str) -> str:
    text = response.content.decode()
    start = text.index(f">{name}</a></h3>")
    return text[text.rindex('<li class="unit-card">', 0, start) : text.index("</ul></li>", start)]


def test_a_result_card_shows_brand_products_region_stars_sentra_and_export_in_the_visitors_language(client, registry):
    chopsticks = registry.chopsticks
    card = card_of(client.get("/ikm/", {"regency": "62.71", "sector": "KAYU"}), chopsticks.business_name)
    assert f'<a href="/ikm/{chopsticks.registry_code}/">' in card
    assert '<p class="unit-brand">Merek: Hashi Borneo</p>' in card
    assert f'<p class="products">{chopsticks.main_products}</p>' in card
    assert "<li>Industri Barang dari Kayu dan Furnitur</li>" in card
    assert f"<li>{chopsticks.village.name}, {chopsticks.district.name}, {chopsticks.regency.name}</li>" in card
    assert "<li>Ekspor: Jepang</li>" in card
    assert 'aria-label="OVOP 4 bintang">★★★★☆</span>' in card  # the 2023 rating, not the 2021 one
    sentra = SentraMembership.objects.get(unit=chopsticks).sentra
    assert f'Sentra: <a href="/sentra/{sentra.pk}/">{html.escape(sentra.name)}</a>' in card

    client.post("/i18n/setlang/", {"language": "en", "next": "/ikm/"})
    card = card_of(client.get("/ikm/", {"regency": "62.71", "sector": "KAYU"}), chopsticks.business_name)
    assert "Brand: Hashi Borneo" in card and "<li>Export: Jepang</li>" in card


def test_result_cards_escape_what_staff_typed(client, registry):
    IKMUnitFactory(
        business_name="<b>Mebel & Ukir</b>",
        brand='"Jati" <i>',
        main_products="<script>alert(1)</script>",
        village_id=KALAMPANGAN,
        sector=sector("KAYU"),
        verified=True,
    )
    text = client.get("/ikm/", {"regency": "62.71", "sector": "KAYU"}).content.decode()
    assert "&lt;b&gt;Mebel &amp; Ukir&lt;/b&gt;</a></h3>" in text
    assert "Merek: &quot;Jati&quot; &lt;i&gt;" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>Mebel" not in text and "<script>alert" not in text


KAYU_ID = "Industri Barang dari Kayu dan Furnitur"
KAYU_EN = "Wood Products and Furniture Industry"


def test_sector_names_are_translated_but_stored_in_indonesian():
    kayu = sector("KAYU")
    with translation.override("en"):
        assert kayu.display_name == KAYU_EN
        assert kayu.name == str(kayu) == KAYU_ID
    with translation.override("id"):
        assert kayu.display_name == KAYU_ID


def assert_sector_names(client, registry, shown: str, hidden: str):
    """Every public page that names the KAYU sector names it `shown`, never `hidden`."""
    directory = client.get("/ikm/", {"regency": "62.71"})
    assert f"<li>{shown}</li>" in card_of(directory, registry.chopsticks.business_name)
    text = directory.content.decode()
    assert f'<option value="KAYU">{shown} (5)</option>' in text and hidden not in text
    pages = {
        "/": f'href="/ikm/?sector=KAYU">{shown}</a>',
        f"/ikm/{registry.chopsticks.registry_code}/": f'href="/ikm/?sector=KAYU">{shown}</a>',
        "/sentra/": f'<option value="KAYU">{shown}</option>',
        f"/sentra/{registry.kawasan.pk}/": f"<dd>{shown}</dd>",
        "/ovop/": f'<option value="KAYU">{shown}</option>',
        "/wilayah/62.71/": f'&amp;sector=KAYU">{shown}</a></th>',
    }
    for url, expected in pages.items():
        text = client.get(url).content.decode()
        assert expected in text and hidden not in text, url
    # Sentra cards and OVOP products (a rating's category is a sector) too.
    sentra_card = client.get("/sentra/", {"q": "kayu"}).content.decode()
    assert f"<li>{shown}</li>" in sentra_card
    ovop = client.get("/ovop/", {"stars": "4"}).content.decode()
    assert f'<ul class="tags"><li>{shown}</li>' in ovop


def test_sector_names_follow_the_visitors_language(client, registry):
    assert_sector_names(client, registry, shown=KAYU_ID, hidden=KAYU_EN)
    # The home page's and region pages' figures were cached by the Indonesian visit: they hold the stored
    # names, which each page translates as it shows them.
    client.post("/i18n/setlang/", {"language": "en", "next": "/ikm/"})
    assert_sector_names(client, registry, shown=KAYU_EN, hidden=KAYU_ID)
    text = client.get("/").content.decode()
    assert "Food Industry" in text and "Miscellaneous Industries" in text


def test_a_sector_an_office_renamed_keeps_its_own_name_in_english(client, registry):
    Sector.objects.filter(code="KAYU").update(name="Industri Mebel dan Ukiran Kayu")
    lookups.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    directory = client.get("/ikm/", {"regency": "62.71"})
    assert "<li>Industri Mebel dan Ukiran Kayu</li>" in card_of(directory, registry.chopsticks.business_name)
    text = directory.content.decode()
    assert '<option value="KAYU">Industri Mebel dan Ukiran Kayu (5)</option>' in text
    assert '<option value="PANGAN">Food Industry (2)</option>' in text  # the official names are still translated
    unit_page = client.get(f"/ikm/{registry.chopsticks.registry_code}/").content.decode()
    assert 'href="/ikm/?sector=KAYU">Industri Mebel dan Ukiran Kayu</a>' in unit_page


def test_downloads_keep_the_stored_sector_names_in_english(client, registry):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/ikm/unduh.json", {"sector": "KAYU"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["results"] and {r["sector"] for r in data["results"]} == {KAYU_ID}


def test_every_page_has_landmarks_labels_and_a_skip_link(client, registry):
    for url in ["/", "/ikm/", f"/ikm/{registry.chopsticks.registry_code}/", "/sentra/", "/ovop/", "/wilayah/62.71/"]:
        text = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in text, url
        assert '<main id="main"' in text and "<nav" in text and "<footer" in text, url
        for select_id in re.findall(r'<select name="[^"]+" id="([^"]+)"', text):
            assert f'<label for="{select_id}">' in text, (url, select_id)
        assert "<script>" not in text, url  # CSP: scripts only from files


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"regency": "62.71"},
        {"regency": "62.71", "sector": "KAYU", "size_class": "menengah"},
        {"province": "62", "stars": "4", "certificate": "sni", "marketing_reach": "ekspor"},
        {"regency": "62.71", "q": "sumpit"},
        {"district": "62.71.04", "sector": "KAYU"},
        {"village": KALAMPANGAN},
        {"q": "tidak-ada-yang-cocok"},
    ],
)
def test_facet_counts_sent_as_one_query_equal_each_facet_counted_on_its_own(registry, params):
    request = RequestFactory().get("/ikm/", params)
    filterset = IKMUnitFilter(request.GET, request=request)
    assert filterset.is_valid()
    counts = compute_counts(filterset)

    def grouped(queryset, column, unit="pk"):
        """{value: distinct units}, counted in Python over the plain rows."""
        units = {}
        for value, unit_id in queryset.values_list(column, unit):
            if value is not None:
                units.setdefault(value, set()).add(unit_id)
        return {value: len(ids) for value, ids in units.items()}

    def units_without(name):
        return filterset.queryset_without(name).values("pk")

    today = public_today()
    assert counts.total == filterset.qs.count()
    assert counts.sector == grouped(filterset.queryset_without("sector"), "sector_id")
    assert counts.size_class == grouped(filterset.queryset_without("size_class"), "size_class")
    assert counts.marketing_reach == grouped(filterset.queryset_without("marketing_reach"), "marketing_reach")
    certificates = valid_certificates(today).filter(unit__in=units_without("certificate"))
    assert counts.certificate == grouped(certificates, "kind", "unit_id")
    ratings = OVOPRating.objects.latest_per_product().filter(unit__in=units_without("stars"))
    assert counts.stars == {str(stars): n for stars, n in grouped(ratings, "stars", "unit_id").items()}
    region = filterset.selected_region
    child_level = region.level + 1 if region else RegionLevel.PROVINCE
    # Down to the villages of a kecamatan; a village has no children.
    expected_regions = grouped(filterset.qs, LEVEL_COLUMNS[child_level]) if child_level in LEVEL_COLUMNS else {}
    assert counts.region == expected_regions
    if region is not None and region.level >= RegionLevel.REGENCY:
        members = SentraMembership.objects.current_on(today).filter(unit__in=units_without("sentra"))
        names = dict(Sentra.objects.values_list("pk", "name"))
        assert counts.sentra == {pk: (names[pk], n) for pk, n in grouped(members, "sentra_id", "unit_id").items()}


@pytest.mark.parametrize(
    ("params", "listing_scans"),
    [
        # Within a kab/kota: the listing once, and once more without the sector for the sector facet.
        ({"regency": "62.71", "sector": "KAYU"}, 2),
        # A province (up to hundreds of thousands of units): each count scans its own index on PostgreSQL.
        ({"province": "62", "sector": "KAYU"}, 7),
    ],
)
def test_counts_read_the_listing_once_within_a_kab_kota(registry, params, listing_scans):
    request = RequestFactory().get("/ikm/", params)
    filterset = IKMUnitFilter(request.GET, request=request)
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        compute_counts(filterset)
    sql = queries.captured_queries[-1]["sql"]
    assert sql.startswith("WITH selection_0 AS ")
    inlined = "NOT MATERIALIZED" in sql
    assert inlined == (connection.vendor == "postgresql" and "province" in params)
    assert sql.count('FROM "ikm_registry_ikmunit"') == 2  # the listing and the listing without its sector
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert plan.count("on ikm_registry_ikmunit") == listing_scans


def test_the_sectors_of_a_kab_kota_share_their_sector_counts(registry):
    def counts_of(sector_code, stamp):
        filterset = IKMUnitFilter({"regency": "62.71", "sector": sector_code})
        assert filterset.is_valid(), filterset.errors
        with CaptureQueriesContext(connection) as queries:
            counts = compute_counts(filterset, stamp)
        return counts, queries.captured_queries[-1]["sql"]

    stamp, _figures = stats.selection_stamps(QueryDict("regency=62.71"))
    wood, first_sql = counts_of("KAYU", stamp)
    food, second_sql = counts_of("PANGAN", stamp)
    food_alone, _ = counts_of("PANGAN", None)  # no stamp: everything counted

    assert first_sql.count('FROM "ikm_registry_ikmunit"') == 2  # the selection, and the kab/kota for sectors
    assert second_sql.count('FROM "ikm_registry_ikmunit"') == 1  # the sectors' counts were kept
    assert food == food_alone
    assert wood.sector == food.sector and wood.sector["KAYU"] > 0 and wood.sector["PANGAN"] > 0
    # Another stamp (an edit in the province) counts again.
    _, after_edit_sql = counts_of("PANGAN", stamp + "-later")
    assert after_edit_sql.count('FROM "ikm_registry_ikmunit"') == 2


def prepared_statements(prefix: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [prefix + "%"])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("params", "planned_once"),
    [
        ({"regency": "62.71", "sector": "KAYU"}, True),
        ({"district": "62.71.04", "size_class": "menengah"}, True),
        # A province's or the country's counts are planned for their values: their sizes differ a hundredfold.
        ({"province": "62", "sector": "KAYU"}, False),
        # So is a text search, whose plan depends on the words.
        ({"regency": "62.71", "q": "sumpit"}, False),
    ],
)
def test_counts_within_a_kab_kota_are_planned_once_per_connection(registry, settings, params, planned_once):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # psycopg sees this and forgets what it prepared
    filterset = IKMUnitFilter(params)
    assert filterset.is_valid(), filterset.errors

    first, again = compute_counts(filterset), compute_counts(filterset)
    settings.DATABASE_PREPARED_STATEMENTS = False
    unprepared = compute_counts(filterset)

    assert first == again == unprepared
    assert first.total > 0
    assert prepared_statements("WITH selection_0 AS") == (1 if planned_once else 0)
