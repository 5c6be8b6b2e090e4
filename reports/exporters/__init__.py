"""Renderers of a district report: each takes the report and returns the bytes of one file format.

They only render what reports.presentation lays out (JSON renders the figures dict itself)."""

from collections.abc import Callable

from reports.aggregates import DistrictReport
from reports.exporters.csv_export import render_csv
from reports.exporters.html_export import render_html
from reports.exporters.json_export import render_json
from reports.exporters.pdf_export import render_pdf
from reports.exporters.xlsx_export import render_xlsx
from reports.models import FORMATS

RENDERERS: dict[str, Callable[[DistrictReport], bytes]] = {
    "json": render_json,
    "html": render_html,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "csv": render_csv,
}
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render(report: DistrictReport, fmt: str) -> bytes:
    """The report as one file format (json, html, pdf, xlsx or csv)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(fmt) from None
    return renderer(report)


def filename(report: DistrictReport, fmt: str) -> str:
    """laporan-ikm-62.71-2024.pdf"""
    return f"laporan-ikm-{report.region.code}-{report.year}.{fmt}"


__all__ = ["CONTENT_TYPES", "FORMATS", "RENDERERS", "filename", "render"]
