"""Each aggregate equals a naive Python recount of the same hand-made data (reports/tests/conftest.py).

The recounts walk every object in Python with the definitions written out again, independently of the
QuerySet methods the aggregates use."""

import datetime
from collections import Counter

import pytest

from ikm_registry.models import (
    Certificate,
    ConditionCheck,
    EquipmentAssistance,
    IKMUnit,
    MentoringVisit,
    OVOPRating,
    Region,
    Sector,
    TrainingActivity,
    TrainingParticipant,
    YearlyFigures,
)
from reports import aggregates
from reports.aggregates import NO_FIGURES, NOT_CHECKED, ReportError, resolve_region
from sentra.models import Sentra, SentraMembership

pytestmark = pytest.mark.django_db

REGIONS = ["61", "61.71", "61.71.01", "61.04", "61.04.02", "62.71", "ID"]
YEARS = [2023, 2024]
# Every region level and two years, walked inside each test: building the registry is the slow part.
CASES = [(region, year) for region in REGIONS for year in YEARS]


def inside(code: str | None, region: str) -> bool:
    return code is not None and (region == "ID" or code == region or code.startswith(region + "."))


def naive_units(region: str, year: int) -> list[IKMUnit]:
    return [
        u
        for u in IKMUnit.objects.all()
        if inside(u.village_id, region)
        and u.verification_status == "verified"
        and (u.year_established is None or u.year_established <= year)
        and not (u.status == "tutup" and u.status_date is not None and u.status_date.year < year)
    ]


def naive_figures(region: str, year: int) -> list[YearlyFigures]:
    ids = {u.id for u in naive_units(region, year)}
    return [f for f in YearlyFigures.objects.all() if f.unit_id in ids and f.year == year]


def child_code(village: str, region: str) -> str:
    depth = 1 if region == "ID" else region.count(".") + 2
    return ".".join(village.split(".")[:depth])


def test_unit_counts_equal_a_naive_recount(registry):
    for region, year in CASES:
        counts = aggregates.unit_counts(resolve_region(region), year)
        units = naive_units(region, year)
        assert counts.total == len(units)
        sectors = Counter(u.sector_id for u in units)
        assert {r.code: r.count for r in counts.by_sector} == {
            s.code: sectors.get(s.code, 0) for s in Sector.objects.all()
        }
        children = Counter(child_code(u.village_id, region) for u in units)
        assert {r.code: r.count for r in counts.by_child_region if r.count} == dict(children)
        assert counts.new_units == sum(1 for u in units if u.year_established == year)
        assert counts.closed_units == sum(1 for u in units if u.status == "tutup" and u.status_date.year == year)


def test_every_child_region_is_listed_even_without_units(registry):
    counts = aggregates.unit_counts(resolve_region("61"), 2024)
    assert [r.code for r in counts.by_child_region] == [
        r.code for r in Region.objects.filter(parent_id="61").order_by("code")
    ]
    national = aggregates.unit_counts(resolve_region("ID"), 2024).by_child_region
    assert len(national) == Region.objects.filter(level=1).count()


def test_year_figures_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.year_figures(resolve_region(region), year)
        figures = naive_figures(region, year)
        units = naive_units(region, year)
        assert result.workers.men == sum(f.workers_male for f in figures)
        assert result.workers.women == sum(f.workers_female for f in figures)
        assert result.workers.total == sum(f.workers_male + f.workers_female for f in figures)
        assert result.investment == sum(f.investment_value for f in figures)
        assert result.production_value == sum(f.production_value for f in figures)
        assert result.raw_material_value == sum(f.raw_material_value for f in figures)
        assert result.export_value == sum(f.export_value for f in figures)
        sizes = Counter(f.size_class for f in figures)
        expected = {"kecil": 0, "menengah": 0, "besar": 0, "periksa": 0, **sizes, NO_FIGURES: len(units) - len(figures)}
        assert result.by_size_class == expected
        by_child = Counter()
        for f in figures:
            by_child[child_code(f.unit.village_id, region)] += f.workers_male + f.workers_female
        workers = {code: row["workers"] for code, row in result.by_child_region.items() if row["workers"]}
        assert workers == {code: n for code, n in by_child.items() if n}


def test_coverage_equals_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.coverage(resolve_region(region), year)
        units = naive_units(region, year)
        villages = {u.village_id: Region.objects.get(code=u.village_id).kind for u in units}
        assert result.kabupaten_kota == len({u.regency_id for u in units})
        assert result.kecamatan == len({u.district_id for u in units})
        assert result.kelurahan == sum(1 for kind in villages.values() if kind == "kelurahan")
        assert result.desa == sum(1 for kind in villages.values() if kind != "kelurahan")


def test_coverage_totals_count_the_regions_of_the_area():
    result = aggregates.coverage(resolve_region("61"), 2024)
    # DOMAIN.md's spot check for Kalimantan Barat.
    assert result.totals == {"kabupaten_kota": 14, "kecamatan": 174, "kelurahan": 99, "desa": 2046}
    assert aggregates.coverage(resolve_region("62.71"), 2024).totals["kecamatan"] == 5


def test_growth_compares_with_the_previous_year(registry):
    for region in REGIONS:
        result = aggregates.growth(resolve_region(region), 2024)
        assert result.previous_total == len(naive_units(region, 2023)), region
        assert result.change == len(naive_units(region, 2024)) - len(naive_units(region, 2023)), region


def test_a_unit_that_moved_between_sentra_counts_once_in_its_last_sentra(registry):
    province = aggregates.sentra_figures(resolve_region("61"), 2024)
    assert {r.code: r.members for r in province.by_kind if r.members} == {"sentra": 3, "lik": 1}
    # Members count where the unit is: u6 lies in Ketapang, its last sentra in Pontianak.
    ketapang = aggregates.sentra_figures(resolve_region("61.04"), 2024)
    assert {r.code: r.count for r in ketapang.by_kind if r.count} == {"lik": 1}
    assert {r.code: r.members for r in ketapang.by_kind if r.members} == {"lik": 1, "sentra": 1}


def test_active_q_matches_the_registry_rule_for_active_units(registry):
    for year in (2014, 2022, 2023, 2024, 2025):
        assert set(IKMUnit.objects.filter(aggregates.active_q(year))) == set(IKMUnit.objects.active_in(year))


def test_growth_percent_is_none_without_a_previous_year(registry):
    assert aggregates.growth(resolve_region("62.71"), 2000).percent is None
    grown = aggregates.Growth(previous_total=4, change=1)
    assert grown.percent == 25.0


def test_exporters_and_destinations_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.exporters(resolve_region(region), year)
        units = [u for u in naive_units(region, year) if u.marketing_reach == "ekspor"]
        assert result.count == len(units)
        countries = Counter()
        for u in units:
            for name in {c.strip().lower() for c in u.export_destinations.split(",") if c.strip()}:
                countries[name] += 1
        assert {r.name.lower(): r.count for r in result.destinations} == dict(countries)


def test_destinations_merge_spelling_variants(registry):
    result = aggregates.exporters(resolve_region("61"), 2024)
    assert [(r.name, r.count) for r in result.destinations] == [("Malaysia", 2), ("Jepang", 1), ("Singapura", 1)]


def test_certificates_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.certificates(resolve_region(region), year)
        ids = {u.id for u in naive_units(region, year)}
        held = [
            c
            for c in Certificate.objects.all()
            if c.unit_id in ids
            and (c.issued_on is None or c.issued_on.year <= year)
            and (c.expires_on is None or c.expires_on.year >= year)
        ]
        assert {r.code: r.count for r in result if r.count} == dict(Counter(c.kind for c in held))
        units_per_kind = {kind: len({c.unit_id for c in held if c.kind == kind}) for kind in {c.kind for c in held}}
        assert {r.code: r.units for r in result if r.units} == units_per_kind


def test_sentra_figures_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.sentra_figures(resolve_region(region), year)
        sentra = [
            s
            for s in Sentra.objects.all()
            if inside(s.village_id, region) and (s.year_formed is None or s.year_formed <= year)
        ]
        assert result.count == len(sentra)
        assert {r.code: r.count for r in result.by_kind if r.count} == dict(Counter(s.kind for s in sentra))
        ids = {u.id for u in naive_units(region, year)}
        formed = {s.id for s in Sentra.objects.all() if s.year_formed is None or s.year_formed <= year}
        last = {}
        for m in SentraMembership.objects.all():
            if (
                m.sentra_id in formed
                and m.unit_id in ids
                and m.joined_on.year <= year
                and (m.left_on is None or m.left_on.year >= year)
            ):
                # A unit that moved during the year counts once, in the sentra it belonged to last.
                if m.unit_id not in last or (m.joined_on, m.id) > (last[m.unit_id].joined_on, last[m.unit_id].id):
                    last[m.unit_id] = m
        memberships = list(last.values())
        members = set(last)
        assert result.members == len(members)
        figures = [f for f in YearlyFigures.objects.all() if f.unit_id in members and f.year == year]
        assert result.workers.total == sum(f.workers_male + f.workers_female for f in figures)
        assert result.production_value == sum(f.production_value for f in figures)
        for row in result.by_kind:
            of_kind = {m.unit_id for m in memberships if m.sentra.kind == row.code}
            assert row.members == len(of_kind)
            assert row.workers == sum(f.workers_male + f.workers_female for f in figures if f.unit_id in of_kind)


def test_pembinaan_figures_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.pembinaan_figures(resolve_region(region), year)
        participants = [p for p in TrainingParticipant.objects.all() if p.activity.fiscal_year == year]
        activities = [
            a
            for a in TrainingActivity.objects.all()
            if a.fiscal_year == year
            and (
                inside(a.owner_region_id, region)
                or inside(a.venue_village_id, region)
                or any(p.activity_id == a.id and inside(p.unit.village_id, region) for p in participants)
            )
        ]
        assert result.activities == len(activities)
        assert {r.code: r.count for r in result.by_kind if r.count} == dict(Counter(a.kind for a in activities))
        budgets = Counter()
        for a in activities:
            budgets[a.funding_source] += a.budget or 0
        assert {r.code: r.value for r in result.by_funding_source if r.value} == {k: v for k, v in budgets.items() if v}
        attended = [p for p in participants if p.attended and inside(p.unit.village_id, region)]
        assert result.participants.men == sum(1 for p in attended if p.attendee_gender == "L")
        assert result.participants.women == sum(1 for p in attended if p.attendee_gender == "P")
        visits = [
            v for v in MentoringVisit.objects.all() if v.visit_date.year == year and inside(v.unit.village_id, region)
        ]
        assert result.mentoring_visits == len(visits)
        assert result.units_visited == len({v.unit_id for v in visits})
        assert result.units_reached == len({p.unit_id for p in attended} | {v.unit_id for v in visits})


def recipient_village(item: EquipmentAssistance) -> str:
    return item.unit.village_id if item.unit_id else item.sentra.village_id


def test_bantuan_figures_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.bantuan_figures(resolve_region(region), year)
        items = [e for e in EquipmentAssistance.objects.all() if inside(recipient_village(e), region)]
        this_year = [e for e in items if e.fiscal_year == year]
        assert result.items == sum(e.quantity for e in this_year)
        assert result.records == len(this_year)
        assert result.value == sum(e.value for e in this_year)
        assert result.recipient_units == len({e.unit_id for e in this_year if e.unit_id})
        assert result.recipient_sentra == len({e.sentra_id for e in this_year if e.sentra_id})
        conditions = Counter()
        for e in items:
            if e.fiscal_year >= year:
                continue
            checks = [c for c in ConditionCheck.objects.all() if c.equipment_id == e.id and c.checked_on.year <= year]
            latest = max(checks, key=lambda c: (c.checked_on, c.id)).condition if checks else NOT_CHECKED
            conditions[latest] += e.quantity
        assert {r.code: r.count for r in result.earlier_condition if r.count} == dict(conditions)


def test_earlier_items_take_their_latest_check_up_to_the_year(registry):
    result = aggregates.bantuan_figures(resolve_region("61"), 2024)
    # e3: rusak ringan in 2024 (its 2025 check is later); e4: never checked (3 items); e6: baik since 2022.
    assert {r.code: r.count for r in result.earlier_condition if r.count} == {
        "rusak_ringan": 1,
        NOT_CHECKED: 3,
        "baik": 1,
    }


def test_ovop_figures_equal_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.ovop_figures(resolve_region(region), year)
        ids = {u.id for u in naive_units(region, year)}
        latest: dict[tuple, OVOPRating] = {}
        for rating in OVOPRating.objects.all():
            key = (rating.unit_id, rating.product_name)
            if rating.unit_id in ids and rating.assessment_year <= year:
                if key not in latest or latest[key].assessment_year < rating.assessment_year:
                    latest[key] = rating
        stars = Counter(str(r.stars) for r in latest.values())
        assert result.by_stars == {str(s): stars.get(str(s), 0) for s in range(1, 6)}
        assert result.rated == len(latest)
        assert {r.code: r.count for r in result.by_category if r.count} == dict(
            Counter(r.category_id for r in latest.values())
        )


def test_data_quality_equals_a_naive_recount(registry):
    for region, year in CASES:
        result = aggregates.data_quality(resolve_region(region), year)
        unverified = [
            u
            for u in IKMUnit.objects.all()
            if inside(u.village_id, region)
            and u.verification_status != "verified"
            and (u.year_established is None or u.year_established <= year)
            and not (u.status == "tutup" and u.status_date is not None and u.status_date.year < year)
        ]
        assert result.unverified == len(unverified)
        assert {r.code: r.count for r in result.unverified_by_status if r.count} == dict(
            Counter(u.verification_status for u in unverified)
        )
        units = naive_units(region, year)
        figures = naive_figures(region, year)
        assert result.without_figures == len(units) - len(figures)
        assert result.size_check == sum(1 for f in figures if f.size_class == "periksa")


def test_a_village_or_an_unknown_code_gets_a_clear_error():
    with pytest.raises(ReportError, match="kelurahan/desa"):
        resolve_region("61.71.01.1002")
    with pytest.raises(ReportError, match="99.99"):
        resolve_region("99.99")


def test_a_future_or_ancient_year_gets_a_clear_error():
    with pytest.raises(ReportError, match="1989"):
        aggregates.check_year(1989)
    with pytest.raises(ReportError):
        aggregates.check_year(datetime.date.today().year + 1)


def test_the_nation_is_the_region_called_id():
    region = resolve_region("id")
    assert (region.code, region.level, region.is_national) == ("ID", 0, True)
