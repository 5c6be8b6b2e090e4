"""English beside Bahasa Indonesia: the language a visitor picks reaches the public pages and the admin, and the
English catalogue is complete (no empty or fuzzy entries) and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ikm_registry.models import Role
from ikm_registry.tests.factories import make_staff

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

# (Indonesian source, English translation) pairs seen on each page.
HOME = [
    (
        "Industri kecil dan menengah yang terdaftar dan terverifikasi",
        "Registered and verified small and medium industries",
    ),
    ("Cari IKM menurut nama, merek atau produk", "Search IKM by name, brand or product"),
    ("Pembaruan data terakhir", "Data last updated"),
]
ADMIN_LOGIN = [
    (f"Registri IKM — {settings.OFFICE_NAME}", f"IKM Registry — {settings.OFFICE_NAME}"),
]
ADMIN_INDEX = [
    ("Administrasi data IKM", "IKM data administration"),
    (f"Registri IKM — {settings.OFFICE_NAME}", f"IKM Registry — {settings.OFFICE_NAME}"),
]


def assert_language(response, pairs, english: bool):
    assert response.status_code == 200
    html = response.content.decode()
    for indonesian, english_text in pairs:
        shown, hidden = (english_text, indonesian) if english else (indonesian, english_text)
        assert shown in html
        assert hidden not in html
    assert f'lang="{"en" if english else "id"}"' in html


def operator_client(client):
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    return client


def test_home_page_is_indonesian_by_default(client):
    assert_language(client.get(reverse("public:home")), HOME, english=False)


def test_home_page_stays_indonesian_for_an_english_browser_and_turns_english_with_the_cookie(client):
    # Pages ignore Accept-Language (office computers run English browsers); the language switch decides.
    response = client.get(reverse("public:home"), headers={"accept-language": "en-GB,en;q=0.9"})
    assert_language(response, HOME, english=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert_language(client.get(reverse("public:home")), HOME, english=True)


def test_language_switch_on_the_public_pages_sets_english_for_later_pages(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("public:home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert_language(client.get(reverse("public:home")), HOME, english=True)


def test_admin_login_page_follows_the_language_switch(client):
    assert_language(client.get(reverse("admin:login")), ADMIN_LOGIN, english=False)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:login")})
    response = client.get(reverse("admin:login"))
    assert_language(response, ADMIN_LOGIN, english=True)
    assert "Log in" in response.content.decode()


def test_admin_index_of_an_operator_is_indonesian_by_default(client):
    response = operator_client(client).get(reverse("admin:index"))
    assert_language(response, ADMIN_INDEX, english=False)


def test_admin_index_of_an_operator_is_english_with_the_language_cookie(client):
    client = operator_client(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("admin:index"))
    assert_language(response, ADMIN_INDEX, english=True)
    html = response.content.decode()
    assert "IKM unit" in html  # the registry's model list, not only the page chrome
    assert "Log out" in html


def test_messages_from_python_code_are_translated_when_english_is_active():
    with translation.override("en"):
        assert translation.gettext("Isi alasan pengembalian.") == "Fill in the reason for returning."
        assert translation.ngettext("%(total)s produk", "%(total)s produk", 1) == "%(total)s product"
        assert translation.ngettext("%(total)s produk", "%(total)s produk", 3) == "%(total)s products"
    with translation.override("id"):
        assert translation.gettext("Isi alasan pengembalian.") == "Isi alasan pengembalian."


def parse_po(path: Path) -> list[dict]:
    """Entries of a PO file: msgid, msgid_plural, msgstr / msgstr[n] (unescaped), flags and obsolete mark."""
    entries, entry, field = [], None, None

    def unquote(text: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text.strip()[1:-1])

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False, "strings": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["strings"][field] += unquote(line)
        else:
            field, _, value = line.partition(" ")
            entry["strings"][field] = unquote(value)
    return [e for e in entries if e["strings"].get("msgid")]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def test_english_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries():
    entries = parse_po(EN_PO)
    assert len(entries) > 500
    problems = []
    for entry in entries:
        strings = entry["strings"]
        translations = [value for key, value in strings.items() if key.startswith("msgstr")]
        if entry["obsolete"]:
            problems.append(("obsolete", strings["msgid"]))
        elif "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", strings["msgid"]))
        elif not translations or any(not value for value in translations):
            problems.append(("untranslated", strings["msgid"]))
        elif "msgid_plural" not in strings and sorted(PLACEHOLDER.findall(strings["msgid"])) != sorted(
            PLACEHOLDER.findall(strings["msgstr"])
        ):
            problems.append(("placeholders differ", strings["msgid"]))
    assert problems == []


def compiled(catalog: gettext.GNUTranslations, strings: dict) -> list[str]:
    """What the .mo answers for a PO entry: one string, or the singular and plural forms."""
    context, msgid = strings.get("msgctxt"), strings["msgid"]
    if "msgid_plural" in strings:
        plural = strings["msgid_plural"]
        if context:
            return [catalog.npgettext(context, msgid, plural, n) for n in (1, 2)]
        return [catalog.ngettext(msgid, plural, n) for n in (1, 2)]
    return [catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)]


def test_compiled_english_catalogue_matches_the_po_file():
    """The .mo is committed so that a machine without gettext still has English: it must not be stale."""
    with EN_MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(EN_PO):
        strings = entry["strings"]
        expected = [value for key, value in sorted(strings.items()) if key.startswith("msgstr")]
        if compiled(catalog, strings) != expected:
            stale.append(strings["msgid"])
    assert stale == []


def test_indonesian_is_a_compiled_locale_of_its_own():
    assert (LOCALE / "id" / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / "id" / "LC_MESSAGES" / "django.mo").exists()
