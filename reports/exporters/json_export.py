import json

from reports.aggregates import DistrictReport


def render_json(report: DistrictReport) -> bytes:
    """The figures as JSON (the issue's contract), UTF-8, keys in a stable order."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
