"""The shell every public page shares: its navigation and footer are rendered once per process ({% memo %})."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from ikm_registry.tests.public_registry import build_public_registry

pytestmark = pytest.mark.django_db


def current_nav_item(response) -> list[str]:
    nav = re.search(r'<ul class="main-nav">(.*?)</ul>', response.content.decode(), re.S).group(1)
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


def test_the_navigation_marks_the_section_of_each_page(client):
    registry = build_public_registry()
    sections = {
        "/": "Beranda",
        "/ikm/": "Direktori IKM",
        "/ikm/?sector=KAYU": "Direktori IKM",
        f"/ikm/{registry.chopsticks.registry_code}/": "Direktori IKM",
        "/sentra/": "Sentra",
        "/ovop/": "Produk OVOP",
        "/wilayah/": "Wilayah",
        "/wilayah/62.71/": "Wilayah",
    }
    # Every section in turn and back again: a memoised navigation must not keep the first page's mark.
    for url, label in [*sections.items(), *sections.items()]:
        assert current_nav_item(client.get(url)) == [label], url


def test_the_navigation_and_footer_follow_the_language_and_the_office(client, settings):
    indonesian = client.get("/").content.decode()
    assert ">Direktori IKM</a>" in indonesian and ">Skema OpenAPI</a>" in indonesian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert ">IKM directory</a>" in english and ">OpenAPI schema</a>" in english
    assert ">Direktori IKM</a>" not in english
    settings.OFFICE_NAME = "Disperindag Kota Palangka Raya"
    page = client.get("/").content.decode()
    assert page.count("Disperindag Kota Palangka Raya") >= 3  # title, header and footer


def test_a_memo_block_is_rendered_once_per_language_and_vary_value():
    block = Template("{% load ikm %}{% memo section %}{{ section }}:{{ other }}{% endmemo %}")

    def render(**values):
        return block.render(Context(values))

    with translation.override("id"):
        assert render(section="a", other=1) == "a:1"
        assert render(section="a", other=2) == "a:1"  # not a vary value: the first rendering stays
        assert render(section="b", other=2) == "b:2"
    with translation.override("en"):
        assert render(section="a", other=3) == "a:3"
    with translation.override("id"):  # the Indonesian block is kept apart from the English one
        assert render(section="a", other=4) == "a:1"


def test_memo_blocks_of_one_template_follow_a_language_switched_inside_it():
    page = Template(
        "{% load ikm i18n %}{% memo %}{% translate 'Beranda' %}{% endmemo %}|"
        "{% language 'en' %}{% memo %}{% translate 'Beranda' %}{% endmemo %}{% endlanguage %}"
    )
    with translation.override("id"):
        assert page.render(Context()) == "Beranda|Home"
        assert page.render(Context()) == "Beranda|Home"


def test_the_shell_keeps_the_visitors_own_csrf_token_and_path(client):
    first = client.get("/ikm/?sector=KAYU").content.decode()
    other = client.get("/sentra/").content.decode()
    assert 'name="next" value="/ikm/?sector=KAYU"' in first
    assert 'name="next" value="/sentra/"' in other
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first).group(1) != token.search(other).group(1)  # masked afresh for every response
