from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import rollups


class Command(BaseCommand):
    help = _(
        "Menghitung ulang rekap provinsi yang usang (atau semuanya dengan --all) untuk laporan provinsi dan "
        "nasional. Jalankan setelah memuat data langsung ke basis data dengan trigger dimatikan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help=_("Tahun (boleh berulang); bawaan: semua tahun yang direkap.")
        )
        parser.add_argument(
            "--all", action="store_true", help=_("Hitung ulang semua provinsi, bukan hanya yang usang.")
        )

    def handle(self, *args, year=None, all=False, **options):
        if not rollups.supported():
            self.stdout.write(
                _("Rekap hanya dipakai di PostgreSQL; di basis data ini laporan selalu dihitung langsung.")
            )
            return
        counted = rollups.refresh(years=year, everything=all)
        self.stdout.write(_("%(n)s rekap provinsi dihitung ulang.") % {"n": counted})
