from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from reports.aggregates import ReportError, district_report, resolve_region
from reports.exporters import render
from reports.models import FORMATS


class Command(BaseCommand):
    help = _(
        "Membuat laporan IKM untuk satu wilayah (provinsi, kabupaten/kota, kecamatan, atau ID untuk nasional) "
        "dan satu tahun, dalam format json, html, pdf, xlsx atau csv."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "region_code", help=_("Kode wilayah Kemendagri, misalnya 61 atau 62.71; ID untuk nasional.")
        )
        parser.add_argument("--year", type=int, required=True, help=_("Tahun laporan, misalnya 2024."))
        parser.add_argument("--format", choices=FORMATS, default="json", help=_("Format berkas (bawaan: json)."))
        parser.add_argument("--output", help=_("Path berkas tujuan; tanpa ini laporan ditulis ke stdout."))

    def handle(self, *args, region_code, year, format, output, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                report = district_report(resolve_region(region_code), year)
            except ReportError as exc:
                raise CommandError(str(exc)) from exc
            content = render(report, format)
        if output:
            path = Path(output)
            if not path.parent.is_dir():
                raise CommandError(_("Folder %(folder)s tidak ada.") % {"folder": path.parent})
            path.write_bytes(content)
            self.stderr.write(_("Laporan ditulis ke %(path)s (%(size)s bita).") % {"path": path, "size": len(content)})
        elif format in ("json", "html", "csv"):
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            # PDF and XLSX are binary: straight to the byte stream under stdout.
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None:
                raise CommandError(_("Format %(format)s biner: gunakan --output PATH.") % {"format": format})
            self.stdout.flush()
            stream.write(content)
            stream.flush()
