"""Publishing a report: the figures and every rendered file frozen in a ReportSnapshot."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.aggregates import RegionArg, district_report, report_region
from reports.exporters import filename, render
from reports.models import FORMATS, NATIONAL_CODE, ReportSnapshot


def publish(region: RegionArg, year: int, user, note: str = "") -> ReportSnapshot:
    """Compute the report now, store its figures and files, and supersede the region's current snapshot
    of that year. Both stay listed; only the new one is current. Atomic: either all of it or nothing."""
    region = report_region(region)
    with transaction.atomic():
        # Lock the current snapshot so two people publishing at once cannot both become current.
        previous = (
            ReportSnapshot.objects.select_for_update().filter(region_code=region.code, year=year).current().first()
        )
        report = district_report(region, year)
        snapshot = ReportSnapshot(
            region_id=None if region.code == NATIONAL_CODE else region.code,
            region_code=region.code,
            region_name=region.name,
            region_level=region.level,
            year=year,
            published_by=user,
            published_by_name=(user.get_full_name() or user.get_username()) if user else "",
            note=note,
            figures=report.to_dict(),
        )
        stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d-%H%M%S")
        try:
            for fmt in FORMATS:
                name = filename(report, fmt).replace(f".{fmt}", f"-{stamp}.{fmt}")
                snapshot.file_for(fmt).save(name, ContentFile(render(report, fmt)), save=False)
            if previous:
                # Free the "one current per region and year" slot before the new snapshot takes it.
                ReportSnapshot.objects.filter(pk=previous.pk).update(superseded_at=timezone.now())
            snapshot.save()
            if previous:
                ReportSnapshot.objects.filter(pk=previous.pk).update(superseded_by=snapshot)
        except Exception:
            # The database rolls back; the files written so far would be orphans.
            for fmt in FORMATS:
                stored = snapshot.file_for(fmt)
                if stored.name:
                    stored.storage.delete(stored.name)
            raise
    return snapshot
