import base64
import mimetypes
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from reports.aggregates import DistrictReport
from reports.presentation import all_charts, build_sections, generated_label, headline, report_title


def logo_data_uri() -> str:
    """The office logo (settings.OFFICE_LOGO, a file path) inlined, so a saved page keeps it; '' if unset."""
    path = Path(settings.OFFICE_LOGO) if settings.OFFICE_LOGO else None
    if not path or not path.is_file():
        return ""
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def report_context(report: DistrictReport) -> dict:
    """What the report templates need: the laid-out sections and the charts' data for report.js."""
    sections = build_sections(report)
    return {
        "report": report,
        "region": report.region,
        "title": report_title(report),
        "headline": headline(report),
        "generated": generated_label(report),
        "sections": sections,
        "charts": [chart.as_dict() for chart in all_charts(sections) if not chart.is_empty],
        "office_name": settings.OFFICE_NAME,
        "logo_data_uri": logo_data_uri(),
    }


def render_html(report: DistrictReport) -> bytes:
    """A printable page: tables readable anywhere; charts drawn by report.js when served by the site."""
    return render_to_string("reports/report_document.html", report_context(report)).encode("utf-8")
