"""The public site in a real browser: a visitor narrowing the directory, the chopstick maker in three clicks,
a unit without consent, and a unit registered and verified in the admin appearing publicly."""

import re

from playwright.sync_api import expect

from ikm_registry.models import IKMUnit, Role, VerificationStatus
from ikm_registry.tests.factories import make_staff
from ikm_registry.tests.public_registry import SECRET_PHONE, build_public_registry


def test_visitor_narrows_directory_to_palangka_raya_wood_and_sees_a_units_sentra(page, screenshot):
    build_public_registry()
    page.goto("/ikm/")
    page.get_by_label("Provinsi").select_option("62")
    # The kab/kota select is filled by the script from the open API.
    expect(page.get_by_label("Kabupaten/kota")).to_be_enabled()
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Palangkaraya")
    expect(page.get_by_label("Kecamatan")).to_be_enabled()
    page.get_by_label("Sektor").select_option("KAYU")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_role("heading", name="5 IKM ditemukan")).to_be_visible()
    assert "regency=62.71" in page.url and "sector=KAYU" in page.url  # a shareable URL
    names = page.locator(".unit-card h3").all_inner_texts()
    assert names == sorted(names) and "CV Sumpit Borneo Lestari" in names
    assert "UD Kayu Belum Diverifikasi" not in page.content()
    screenshot("directory-palangka-raya-kayu")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("directory-mobile", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="UD Mebel Kalampangan Jaya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("UD Mebel Kalampangan Jaya")
    expect(page.get_by_role("link", name="Kawasan IKM Pengolahan Kayu Palangka Raya")).to_be_visible()
    assert page.console_errors == []


def test_visitor_narrows_the_directory_to_a_village_through_the_cascading_selects(page, screenshot):
    build_public_registry()
    page.goto("/ikm/?province=62&regency=62.71")
    page.get_by_label("Kecamatan").select_option("62.71.04")
    # The village select is filled by the script with the villages of the chosen kecamatan.
    village = page.get_by_label("Kelurahan/desa")
    expect(village).to_be_enabled()
    village.select_option(label="Kalampangan")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_role("heading", name="5 IKM ditemukan")).to_be_visible()
    assert "village=62.71.04.1002" in page.url
    expect(page.get_by_label("Kelurahan/desa")).to_have_value("62.71.04.1002")
    screenshot("directory-village")
    # Another kab/kota empties and disables the kecamatan and village selects below it.
    page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Kotawaringin Barat")
    expect(page.get_by_label("Kelurahan/desa")).to_be_disabled()
    expect(page.get_by_label("Kelurahan/desa").locator("option")).to_have_count(1)
    assert page.console_errors == []


def test_chopstick_maker_of_the_kawasan_is_three_clicks_from_home(page, screenshot):
    build_public_registry()
    page.goto("/")
    screenshot("home")
    page.get_by_role("link", name="Kalimantan Tengah").click()  # 1: the province
    page.get_by_role("link", name="Kawasan IKM Pengolahan Kayu Palangka Raya").click()  # 2: the kawasan
    screenshot("sentra-kawasan")
    page.get_by_role("link", name="CV Sumpit Borneo Lestari").click()  # 3: the chopstick maker
    expect(page.get_by_role("heading", level=1)).to_have_text("CV Sumpit Borneo Lestari")
    expect(page.get_by_text("Sumpit kayu").first).to_be_visible()
    expect(page.get_by_text("Jepang")).to_be_visible()
    # Consent given: contact and an exact pin on a Leaflet map served by the project.
    expect(page.get_by_role("link", name="+6281355501234")).to_be_visible()
    expect(page.locator("#unit-map.leaflet-container")).to_be_visible()
    expect(page.locator("#unit-map .leaflet-marker-icon")).to_have_count(1)
    screenshot("unit-chopsticks")
    assert page.console_errors == []


def test_unit_page_without_consent_shows_no_phone_number(page, screenshot):
    registry = build_public_registry()
    page.goto(f"/ikm/{registry.private_unit.registry_code}/")
    expect(page.get_by_text("Pemilik belum menyetujui publikasi kontak usaha")).to_be_visible()
    text = page.locator("body").inner_text()
    assert SECRET_PHONE not in text and SECRET_PHONE[3:] not in text
    assert not re.search(r"\+62\d{6,}", text)
    assert page.locator("a[href^='tel:'], a[href^='mailto:']").count() == 0
    # Only an approximate circle, no pin.
    expect(page.locator("#unit-map .leaflet-marker-icon")).to_have_count(0)
    screenshot("unit-without-consent")
    assert page.console_errors == []


def test_other_public_pages_render_without_errors(page, screenshot):
    build_public_registry()
    for name, url in [
        ("ovop", "/ovop/"),
        ("region-palangka-raya", "/wilayah/62.71/"),
        ("sentra-list", "/sentra/"),
        ("api-docs", "/api/v1/docs/"),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        screenshot(name)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("IKM Registry API")
    page.goto("/ikm/")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.console_errors == []


def test_unit_registered_and_verified_in_the_admin_then_appears_publicly(page, screenshot, live_server):
    build_public_registry()
    make_staff(Role.OPERATOR, "62.71", username="operator_pky")
    make_staff(Role.VERIFIKATOR, "62.71", username="verifikator_pky")
    name = "Rotan Tangkiling Mandiri"

    page.goto("/ikm/?q=tangkiling")
    expect(page.get_by_role("heading", name="0 IKM ditemukan")).to_be_visible()

    login(page, "operator_pky")
    page.goto("/admin/ikm_registry/ikmunit/add/")
    page.fill("#id_business_name", name)
    page.fill("#id_owner_name", "Pak Rahman")
    page.fill("#id_main_products", "Anyaman rotan")
    choose_autocomplete(page, "village", "Langkai")
    page.select_option("#id_sector", "KERAJINAN")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    unit = IKMUnit.objects.get(business_name=name)
    assert unit.verification_status == VerificationStatus.DRAFT
    run_action(page, name, "submit_units")
    logout(page)

    login(page, "verifikator_pky")
    run_action(page, name, "verify_units")
    screenshot("admin-verified")
    logout(page)
    unit.refresh_from_db()
    assert unit.verification_status == VerificationStatus.VERIFIED

    page.goto("/ikm/?q=tangkiling")
    expect(page.get_by_role("heading", name="0 IKM ditemukan")).to_have_count(0)
    page.goto("/ikm/?q=rotan+tangkiling")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_text("Langkai").first).to_be_visible()


def login(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia-demo-123")
    page.locator("input[type='submit']").click()
    expect(page.locator("#user-tools")).to_be_visible()


def logout(page) -> None:
    page.locator("#logout-form button").click()


def choose_autocomplete(page, field: str, text: str) -> None:
    page.locator(f"#id_{field} + .select2, .field-{field} .select2-selection").first.click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def run_action(page, name: str, action: str) -> None:
    page.goto("/admin/ikm_registry/ikmunit/?q=" + name.replace(" ", "+"))
    row = page.locator("#result_list tbody tr", has_text=name)
    row.locator("input.action-select").check()
    page.select_option("select[name='action']", action)
    page.locator("button[name='index']").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
