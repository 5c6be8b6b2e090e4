"""Every public page passes axe-core's WCAG 2.2 A/AA rules and its best practices, in a real browser.

axe checks what the page really shows after its scripts ran (the map, the cascading selects filled from the
API): contrast, names of controls and links, landmarks, heading order, touch target size, language. The
pages are checked in Indonesian on a desktop, on a phone's screen and in English. A failure prints axe's
report: the rule, why it matters and the elements that break it.

The staff's pages in the Django admin are checked the same way, as an operator and as a superuser see them. Django's own
templates leave some controls unnamed (the fields of an inline row, select2's comboboxes, empty header
cells, the search box) and some targets small; static/js/admin-a11y.js and static/css/admin.css fill that in.
"""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ikm_registry.models import Role
from ikm_registry.tests.factories import UserFactory, make_staff
from ikm_registry.tests.public_registry import build_public_registry
from tests.browser.test_public_browser import login

RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
axe = Axe()  # reads the bundled axe.min.js once


def violations(page, urls: list[str]) -> str:
    """axe's report for each page with violations; empty when every page passes."""
    reports = []
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")  # the map and the selects are drawn by scripts
        results = axe.run(page, options=RULES)
        if results.violations_count:
            reports.append(f"{url}\n{results.generate_report()}")
    return "\n\n".join(reports)


def public_urls(registry) -> list[str]:
    return [
        "/",
        "/ikm/",
        "/ikm/?province=62&regency=62.71&sector=KAYU",
        "/ikm/?q=sumpit",
        "/ikm/?q=tidak+ada+yang+begini",  # no results
        "/ikm/?stars=9",  # a bad filter value: the form shows its error
        f"/ikm/{registry.amplang.registry_code}/",
        f"/ikm/{registry.chopsticks.registry_code}/",  # consent: contact and a pin on the map
        f"/ikm/{registry.private_unit.registry_code}/",  # no consent: a circle, no contact
        "/sentra/",
        f"/sentra/{registry.kawasan.pk}/",
        "/ovop/",
        "/wilayah/",
        "/wilayah/62/",
        "/wilayah/62.71/",
        "/laporan/",
        "/halaman-yang-tidak-ada/",
    ]


def test_every_public_page_passes_axe_on_a_desktop(page):
    registry = build_public_registry()
    assert violations(page, public_urls(registry)) == ""


def test_the_main_pages_pass_axe_on_a_phone(page):
    registry = build_public_registry()
    page.set_viewport_size({"width": 390, "height": 844})
    urls = ["/", "/ikm/?province=62&regency=62.71", f"/ikm/{registry.chopsticks.registry_code}/", "/ovop/"]
    assert violations(page, urls) == ""


def test_the_main_pages_pass_axe_in_english(page):
    registry = build_public_registry()
    page.goto("/")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    urls = [
        "/",
        "/ikm/?province=62&regency=62.71&sector=KAYU",
        f"/ikm/{registry.chopsticks.registry_code}/",
        "/sentra/",
    ]
    assert violations(page, urls) == ""


def test_the_directory_passes_axe_once_the_cascading_selects_are_filled(page):
    build_public_registry()
    page.goto("/ikm/")
    page.get_by_label("Provinsi").select_option("62")
    expect(page.get_by_label("Kabupaten/kota")).to_be_enabled()
    page.get_by_label("Kabupaten/kota").select_option("62.71")
    expect(page.get_by_label("Kecamatan")).to_be_enabled()
    results = axe.run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()


# The elements that stick out past the right edge of the window, outside any scrolling or clipping box.
OVERFLOWING = """() => {
  const inBox = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll("*"))
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && !inBox(element))
    .slice(0, 5)
    .map((element) => element.outerHTML.slice(0, 160));
}"""


def test_no_public_page_scrolls_sideways_on_a_narrow_phone(page):
    """WCAG 1.4.10 (reflow), which axe does not check: at 320 CSS pixels wide, nothing but a wide table
    (in its own scrolling box) needs a horizontal scroll."""
    registry = build_public_registry()
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for url in public_urls(registry):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            too_wide[url] = page.evaluate(OVERFLOWING)
    assert too_wide == {}


def tab_to(page, selector: str, most: int = 60) -> int:
    """Press Tab until `selector` has the focus; the number of presses (fails if it never gets there)."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {most} presses of Tab")


def test_a_keyboard_user_finds_the_chopstick_maker_without_a_mouse(page):
    build_public_registry()
    page.goto("/")
    # The first stop is the skip link, shown when focused, and it takes the focus past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "#home-q")
    page.keyboard.type("sumpit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 IKM ditemukan")).to_be_visible()
    # From the directory's skip link to the result: the filter form comes first, each control one stop.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, ".unit-card h3 a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("CV Sumpit Borneo Lestari")
    # The map's box and a wide table's scrolling box are keyboard stops too, so their content can be moved.
    tab_to(page, "#unit-map")
    tab_to(page, ".table-scroll")


def test_axe_reports_what_it_is_asked_to_find(page):
    """The check can fail: a page with an unlabelled field and low contrast text is reported."""
    page.set_content(
        '<html lang="id"><body><main><h1>Uji</h1><input type="text">'
        '<p style="color:#ccc;background:#fff">teks pucat</p></main></body></html>'
    )
    found = {v["id"] for v in axe.run(page, options=RULES).response["violations"]}
    assert {"label", "color-contrast"} <= found


def admin_urls(registry) -> list[str]:
    return [
        "/admin/",
        "/admin/ikm_registry/ikmunit/",
        "/admin/ikm_registry/ikmunit/?q=amplang",
        "/admin/ikm_registry/ikmunit/add/",
        f"/admin/ikm_registry/ikmunit/{registry.amplang.pk}/change/",  # inlines: certificates, products...
        f"/admin/ikm_registry/ikmunit/{registry.amplang.pk}/history/",
        "/admin/ikm_registry/ikmunit/import/",
        "/admin/sentra/sentra/",
        f"/admin/sentra/sentra/{registry.kawasan.pk}/change/",  # members inline, figures by year
        "/admin/ikm_registry/ovoprating/",
        "/admin/ikm_registry/ovoprating/add/",
        "/admin/ikm_registry/trainingactivity/add/",
        "/admin/ikm_registry/mentoringvisit/add/",
        "/admin/ikm_registry/equipmentassistance/add/",
        "/admin/ikm_registry/yearlyfigures/add/",
        "/admin/reports/reportsnapshot/",
    ]


def test_the_admin_login_passes_axe(page):
    assert violations(page, ["/admin/login/"]) == ""


def test_an_operators_admin_pages_pass_axe(page):
    registry = build_public_registry()
    make_staff(Role.OPERATOR, "62.71", username="operator_pky")
    login(page, "operator_pky")
    assert violations(page, admin_urls(registry)) == ""
    # A chosen village is read with its label, not alone and not as an empty box.
    page.goto(f"/admin/ikm_registry/ikmunit/{registry.amplang.pk}/change/")
    village = registry.amplang.village.name
    expect(page.get_by_role("combobox", name=re.compile(rf"^Kelurahan\/desa:? {village}"))).to_have_count(1)
    # A value that may be cleared (KBLI) is read without select2's "×" button, before and after a change.
    kbli = page.get_by_role("combobox", name=re.compile(r"^KBLI"))
    expect(kbli).to_have_count(1)
    expect(kbli).not_to_have_accessible_name(re.compile("×"))
    kbli.click()
    page.keyboard.type("10")
    page.locator(".select2-results__option", has_text=re.compile(r"^\d")).first.click()
    expect(kbli).to_have_accessible_name(re.compile(r"^KBLI:? \d"))
    expect(kbli).not_to_have_accessible_name(re.compile("×"))


def test_a_superusers_admin_pages_pass_axe(page):
    """What only admins see: accounts, reference data, every unit's history, jobs, logs, delete boxes."""
    registry = build_public_registry()
    UserFactory(username="pusat", is_staff=True, is_superuser=True)
    login(page, "pusat")
    urls = [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/ikm_registry/region/",
        "/admin/ikm_registry/sector/",
        "/admin/ikm_registry/kbli/",
        "/admin/ikm_registry/historicalikmunit/",
        "/admin/ikm_registry/importjob/",
        "/admin/ikm_registry/exportjob/",
        "/admin/ikm_registry/nikaccesslog/",
        "/admin/ikm_registry/fieldofficer/add/",
        "/admin/ikm_registry/certificate/",
        "/admin/ikm_registry/product/add/",
        "/admin/axes/accessattempt/",
        "/admin/reports/reportsnapshot/buat/",
        f"/admin/ikm_registry/ikmunit/{registry.amplang.pk}/change/",  # with the inlines' delete boxes
    ]
    assert violations(page, urls) == ""


def test_a_row_added_to_an_inline_is_named_too(page):
    """Rows added with "Add another" get their names as the page's first rows did (formset:added)."""
    registry = build_public_registry()
    make_staff(Role.OPERATOR, "62.71", username="operator_pky")
    login(page, "operator_pky")
    page.goto(f"/admin/sentra/sentra/{registry.kawasan.pk}/change/")
    rows = page.locator("#memberships-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#memberships-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    added = rows.nth(before)
    expect(added.locator("input[name$='-joined_on']")).to_have_attribute("aria-label", re.compile(r"\S"))
    expect(added.get_by_role("combobox")).to_have_attribute("aria-label", re.compile(r"\S"))
    results = axe.run(page, options=RULES)
    assert results.violations_count == 0, results.generate_report()
