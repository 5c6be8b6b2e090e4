"""Project-wide pytest fixtures: real regions for Kalimantan and Jawa Barat, loaded once per test database."""

import pytest
from django.core.management import call_command
from django.utils import translation

# Kalimantan Barat, Tengah and Selatan for the demo places, Jawa Barat for the NIK examples.
TEST_PROVINCES = ["32", "61", "62", "63"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from ikm_registry.models import Region
    from ikm_registry.regions_loader import load_regions

    with django_db_blocker.unblock():
        if not Region.objects.filter(code="62.71.01.1003").exists():
            load_regions(TEST_PROVINCES)
        call_command("check", verbosity=0)


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language_between_tests():
    # A request in English (language cookie, API Accept-Language) leaves English active in the test thread:
    # without this, later tests would see English messages.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded imports, failed-rows files and exports go to a folder of the test's own.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def fresh_public_cache(monkeypatch):
    """Public pages and the API as on a site just started: nothing kept in the process or the cache (reference
    rows, counts, throttle counters), and the data stamp read on every request."""
    from django.core.cache import cache

    from ikm_registry.public import lookups, stats

    monkeypatch.setattr(stats, "STAMP_SECONDS", 0)
    stats.forget_stamp()
    lookups.clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def operator():
    """An operator of Kota Pontianak, the office of the import and export examples."""
    from ikm_registry.models import Role
    from ikm_registry.tests.factories import make_staff

    return make_staff(Role.OPERATOR, "61.71", username="operator_ptk")


@pytest.fixture
def palangka_raya():
    from ikm_registry.models import Region

    return Region.objects.get(code="62.71")


@pytest.fixture
def banjarmasin():
    from ikm_registry.models import Region

    return Region.objects.get(code="63.71")
