"""Pembinaan and bantuan peralatan: the office's own records of a fiscal year, counted live (small tables)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from ikm_registry.models import (
    ActivityKind,
    ConditionCheck,
    EquipmentAssistance,
    EquipmentCondition,
    FundingSource,
    MentoringVisit,
    TrainingActivity,
    TrainingParticipant,
)
from reports.aggregates.base import NOT_CHECKED, RegionArg, ReportRegion, as_int, report_region
from reports.aggregates.types import BantuanFigures, CountRow, FundingRow, PembinaanFigures, Workers

# --- pembinaan ---------------------------------------------------------------------------------------------------


def pembinaan_activities(region: RegionArg, year: int):
    """Activities of the fiscal year that concern the region: recorded by an office in it, held in it, or
    attended by one of its units."""
    region = report_region(region)
    activities = TrainingActivity.objects.filter(fiscal_year=year)
    if region.is_national:
        return activities
    attended = TrainingParticipant.objects.filter(region.q("unit__"), activity_id=OuterRef("pk"))
    return activities.filter(region.prefix_q("owner_region") | region.prefix_q("venue_village") | Q(Exists(attended)))


def pembinaan_figures(region: RegionArg, year: int) -> PembinaanFigures:
    """Pembinaan of the fiscal year: activities by kind and funding source (with budget), participants from
    the region's units who attended (men, women), units reached by an activity or a mentoring visit in the
    year, and mentoring visits made in the year."""
    region = report_region(region)
    rows = (
        pembinaan_activities(region, year)
        .values_list("kind", "funding_source")
        .annotate(n=Count("id"), budget=Sum("budget"))
        .order_by()
    )
    kinds: dict[str, int] = {}
    funding: dict[str, list[int]] = {}
    for kind, source, n, budget in rows:
        kinds[kind] = kinds.get(kind, 0) + n
        entry = funding.setdefault(source, [0, 0])
        entry[0] += n
        entry[1] += as_int(budget)

    participants = TrainingParticipant.objects.filter(region.q("unit__"), activity__fiscal_year=year, attended=True)
    people = participants.aggregate(
        men=Count("id", filter=Q(attendee_gender="L")), women=Count("id", filter=Q(attendee_gender="P"))
    )
    visits = MentoringVisit.objects.filter(region.q("unit__"), visit_date__year=year)
    visit_counts = visits.aggregate(n=Count("id"), units=Count("unit_id", distinct=True))
    reached = participants.values("unit_id").order_by().union(visits.values("unit_id").order_by()).count()
    return PembinaanFigures(
        activities=sum(kinds.values()),
        by_kind=[CountRow(k.value, str(k.label), kinds.get(k.value, 0)) for k in ActivityKind],
        by_funding_source=[FundingRow(s.value, str(s.label), *funding.get(s.value, (0, 0))) for s in FundingSource],
        participants=Workers(people["men"], people["women"]),
        units_reached=reached,
        mentoring_visits=visit_counts["n"],
        units_visited=visit_counts["units"],
    )


# --- bantuan peralatan -------------------------------------------------------------------------------------------


def _equipment_in(region: ReportRegion):
    equipment = EquipmentAssistance.objects.all()
    return equipment if region.is_national else equipment.filter(region.q("unit__") | region.q("sentra__"))


def bantuan_figures(region: RegionArg, year: int) -> BantuanFigures:
    """Equipment handed over to units or sentra of the region in the fiscal year: items (sum of quantities),
    records (BAST lines), total value, distinct recipients; and for items of earlier fiscal years, how many
    are in each condition by their latest check up to the end of the year."""
    region = report_region(region)
    this_year = _equipment_in(region).filter(fiscal_year=year)
    rows = this_year.values_list("funding_source").annotate(n=Sum("quantity"), value=Sum("value")).order_by()
    funding = {source: (as_int(n), as_int(value)) for source, n, value in rows}
    totals = this_year.aggregate(
        records=Count("id"),
        units=Count("unit_id", distinct=True),
        sentra=Count("sentra_id", distinct=True),
    )
    latest = (
        ConditionCheck.objects.filter(equipment_id=OuterRef("pk"), checked_on__lte=datetime.date(year, 12, 31))
        .order_by("-checked_on", "-id")
        .values("condition")[:1]
    )
    earlier = dict(
        _equipment_in(region)
        .filter(fiscal_year__lt=year)
        .annotate(latest=Subquery(latest))
        .values_list("latest")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    conditions = [CountRow(c.value, str(c.label), as_int(earlier.get(c.value))) for c in EquipmentCondition]
    conditions.append(CountRow(NOT_CHECKED, _("Belum diperiksa"), as_int(earlier.get(None))))
    return BantuanFigures(
        records=totals["records"],
        items=sum(n for n, _value in funding.values()),
        value=sum(value for _n, value in funding.values()),
        recipients=totals["units"] + totals["sentra"],
        recipient_units=totals["units"],
        recipient_sentra=totals["sentra"],
        by_funding_source=[FundingRow(s.value, str(s.label), *funding.get(s.value, (0, 0))) for s in FundingSource],
        earlier_condition=conditions,
    )
