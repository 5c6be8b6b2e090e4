import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry.tests.factories import IKMUnitFactory, YearlyFiguresFactory
from reports import rollups
from reports.aggregates import district_report, resolve_region
from reports.aggregates.collect import sentra_rows
from reports.tests.conftest import DESA_C, KEL_A

pytestmark = pytest.mark.django_db

# One query per GROUP BY or aggregate, whatever the region's size: see reports/aggregates/collect.py.
LIVE_QUERIES = 18
# A province or the nation from fresh rollups: the rollups, the staleness check, names and live programmes
# (the nation also lists its provinces).
FROM_ROLLUPS = {"61": 13, "ID": 14}


@pytest.mark.parametrize("code", ["61.71", "61.71.01", "61", "ID"])
def test_district_report_runs_a_fixed_number_of_queries(registry, code, django_assert_num_queries):
    region = resolve_region(code)
    kept = rollups.supported() and region.level <= 1
    if kept:
        district_report(region, 2024)  # keeps the rollups
    # On PostgreSQL the report runs in a transaction of its own: begin (here a savepoint), set, commit.
    extra = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries((FROM_ROLLUPS[code] if kept else LIVE_QUERIES) + extra):
        district_report(region, 2024)


def test_query_count_does_not_grow_with_the_data(registry):
    region = resolve_region("61.71")
    with CaptureQueriesContext(connection) as before:
        district_report(region, 2024)
    for village in (KEL_A,) * 10 + (DESA_C,) * 10:
        YearlyFiguresFactory(unit=IKMUnitFactory(village_id=village, verified=True), year=2024)
    with CaptureQueriesContext(connection) as after:
        report = district_report(region, 2024)
    assert report.units.total == 4 + 10
    assert len(after) == len(before)


@pytest.mark.parametrize(("code", "through_units"), [("61.71", True), ("61.71.01", True), ("61", False), ("ID", False)])
def test_sentra_members_of_a_kab_kota_are_reached_through_its_own_units(registry, code, through_units):
    """A kab/kota's (or kecamatan's) members query names the region's units as an array that can only be
    probed id by id, so that it reads that region's memberships, not the country's; a province's and the
    nation's let the planner hash the memberships, which is cheaper at their size."""
    region = resolve_region(code)
    with CaptureQueriesContext(connection) as captured:
        sentra_rows(region, 2024)
    members_sql = captured.captured_queries[-1]["sql"]
    marker = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else '"unit_id" IN (SELECT'
    assert (marker in members_sql) == through_units
