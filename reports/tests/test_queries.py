import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory
from reports.aggregates import district_report, resolve_region
from reports.tests.conftest import DESA_C, KEL_A

pytestmark = pytest.mark.django_db

# One query per GROUP BY or aggregate, whatever the region's size: see reports/aggregates.py.
REPORT_QUERIES = 24


@pytest.mark.parametrize("code", ["ID", "61", "61.71", "61.71.01"])
def test_district_report_runs_a_fixed_number_of_queries(registry, code, django_assert_num_queries):
    region = resolve_region(code)
    with django_assert_num_queries(REPORT_QUERIES):
        district_report(region, 2024)


def test_query_count_does_not_grow_with_the_data(registry):
    region = resolve_region("61")
    with CaptureQueriesContext(connection) as before:
        district_report(region, 2024)
    for village in (KEL_A, DESA_C) * 10:
        YearlyFiguresFactory(unit=IKMUnitFactory(village_id=village, verified=True), year=2024)
    with CaptureQueriesContext(connection) as after:
        report = district_report(region, 2024)
    assert report.units.total == 6 + 20
    assert len(after) == len(before)
