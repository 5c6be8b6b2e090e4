"""Rollups (PostgreSQL): the nation and provinces from kept rows equal a live count, and never go stale."""

import datetime
import io

import pytest
from django.core.management import call_command

from ikm_registry.models import IKMUnit, Region, YearlyFigures
from ikm_registry.tests.factories import CertificateFactory, IKMUnitFactory, OVOPRatingFactory
from reports import rollups
from reports.aggregates import district_report, resolve_region
from reports.models import ReportRollup, RollupChange
from reports.tests.conftest import KEL_A, LANGKAI
from sentra.models import SentraMembership

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("not __import__('reports.rollups').rollups.supported()", reason="rollups need PostgreSQL"),
]


def figures(code: str, **kwargs) -> dict:
    data = district_report(resolve_region(code), 2024, **kwargs).to_dict()
    data.pop("generated_at")
    return data


def assert_same_as_live():
    for code in ("ID", "61", "62"):
        assert figures(code) == figures(code, use_rollups=False), code


def test_nation_and_provinces_from_rollups_equal_a_live_count(registry):
    assert_same_as_live()
    assert ReportRollup.objects.filter(year=2024).count() == Region.objects.filter(level=1).count()


def test_every_kind_of_change_reaches_the_next_report(registry):
    assert_same_as_live()
    u1, u9 = registry.units["u1"], registry.units["u9"]
    IKMUnitFactory(village_id=KEL_A, verified=True)
    assert_same_as_live()
    YearlyFigures.objects.filter(unit=u1, year=2024).update(workers_female=40)
    assert_same_as_live()
    CertificateFactory(unit=u9, kind="pirt", issued_on=datetime.date(2024, 3, 1))
    assert_same_as_live()
    OVOPRatingFactory(unit=u9, product_name="Parang", stars=5, assessment_year=2024)
    assert_same_as_live()
    SentraMembership.objects.filter(unit=u1).update(left_on=datetime.date(2023, 6, 30))
    assert_same_as_live()
    # A unit moving to another province changes both.
    u9.village_id = LANGKAI
    u9.save()
    assert_same_as_live()
    IKMUnit.objects.filter(pk=registry.units["u13"].pk).update(verification_status="draft")
    assert_same_as_live()


def test_a_change_recounts_only_its_own_province(registry):
    district_report(None, 2024)
    before = dict(ReportRollup.objects.filter(year=2024).values_list("province", "computed_at"))
    IKMUnitFactory(village_id=KEL_A, verified=True)
    assert rollups.stale_provinces(2024) == {"61"}
    district_report(None, 2024)
    after = dict(ReportRollup.objects.filter(year=2024).values_list("province", "computed_at"))
    assert [code for code in after if after[code] != before[code]] == ["61"]


def test_a_region_change_makes_every_rollup_stale(registry):
    district_report(None, 2024)
    Region.objects.filter(code="61.71.01.1002").update(name="Benua Melayu Laut")
    assert rollups.stale_provinces(2024) == set(ReportRollup.objects.values_list("province", flat=True))


def test_refresh_command_recounts_stale_rollups(registry):
    district_report(None, 2024)
    IKMUnitFactory(village_id=KEL_A, verified=True)
    out = io.StringIO()
    call_command("refresh_report_rollups", stdout=out)
    assert "1" in out.getvalue()
    assert rollups.stale_provinces(2024) == set()
    call_command("refresh_report_rollups", "--all", "--year", "2023", stdout=io.StringIO())
    assert ReportRollup.objects.filter(year=2023).count() == Region.objects.filter(level=1).count()
    # The test's transaction is still open, so its changes may yet matter: pruning keeps them.
    assert RollupChange.objects.exists()
    assert rollups.prune() == 0


def test_a_finished_import_queues_a_refresh_of_the_rollups(django_capture_on_commit_callbacks):
    from ikm_registry.models import ImportJob
    from ikm_registry.tests.factories import UserFactory
    from reports.tasks import refresh_report_rollups

    user = UserFactory(username="pengimpor")
    with django_capture_on_commit_callbacks() as callbacks:
        job = ImportJob.objects.create(kind="ikm", file="imports/x.xlsx", original_name="x.xlsx", user=user)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        job.state = "done"
        job.save()
    assert callbacks == [refresh_report_rollups.enqueue]
