import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ikm_registry.formatting import format_number
from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import check_import_allowed, run_import, tidy_after_import


class Command(BaseCommand):
    help = _(
        "Impor berkas XLSX/CSV sesuai templat: unit IKM (ikm), sentra, pembinaan, bantuan, atau ovop. "
        "Berkas dengan satu galat pun tidak menyimpan apa-apa."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help=_("jenis data"))
        parser.add_argument("file", metavar="FILE", help=_("berkas .xlsx atau .csv"))
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help=_("akun yang tercatat sebagai pengubah (wilayah kerjanya berlaku)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("hanya memeriksa, tidak menyimpan"))
        parser.add_argument("--verify", action="store_true", help=_("tandai baris sebagai terverifikasi"))

    def handle(self, *args, **options):
        kind = KINDS[options["kind"]]
        User = get_user_model()
        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(
                _("Akun %(user)s tidak ditemukan atau tidak aktif.") % {"user": options["user"]}
            ) from None
        problem = check_import_allowed(kind, user, options["verify"])
        if problem:
            raise CommandError(problem)
        path = options["file"]
        try:
            handle = open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(_("Berkas tidak dapat dibuka: %(error)s") % {"error": exc}) from None
        with handle:
            # Check the whole file first, without a transaction: a file with errors never takes the
            # database's write lock, and a valid one is then written in one transaction.
            report = run_import(kind, handle, path, user, commit=False, verify=options["verify"])
            if not report.has_errors and not options["dry_run"]:
                handle.seek(0)
                report = run_import(kind, handle, path, user, commit=True, verify=options["verify"])
        self.print_report(report, options["dry_run"])
        self.tidy(report)
        if report.has_errors:
            raise CommandError(
                _("%(n)s galat: tidak ada data yang disimpan. Perbaiki baris di atas lalu impor ulang.")
                % {"n": report.error_count}
            )

    def tidy(self, report) -> None:
        started = time.perf_counter()
        tables = tidy_after_import(report)
        if tables:
            self.stdout.write(
                _("Tabel yang ditulis impor dirapikan (VACUUM/ANALYZE) dalam %(seconds)s detik: %(tables)s.")
                % {"seconds": format_number(time.perf_counter() - started, 1), "tables": ", ".join(tables)}
            )

    def print_report(self, report, dry_run: bool) -> None:
        counts = report.counts
        self.stdout.write(
            _("Berkas %(file)s (%(kind)s): %(rows)s baris data.")
            % {"file": report.file_name, "kind": report.kind, "rows": report.total_rows}
        )
        self.stdout.write(_("Baru: %(new)s  Berubah: %(changed)s  Tetap: %(unchanged)s  Galat: %(error)s") % counts)
        if report.errors:
            self.stdout.write(_("Galat:"))
            for issue in report.errors:
                self.stdout.write("  " + _("baris %(row)s, kolom %(column)s: %(message)s") % _issue(issue))
        if report.warnings:
            self.stdout.write(_("Peringatan (kemungkinan data ganda, periksa):"))
            for issue in report.warnings:
                self.stdout.write("  " + _("baris %(row)s, kolom %(column)s: %(message)s") % _issue(issue))
        if report.has_errors:
            return
        if dry_run:
            self.stdout.write(_("Uji coba (--dry-run): tidak ada yang disimpan."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Tersimpan.")))


def _issue(issue) -> dict:
    return {"row": issue.row, "column": issue.column or "-", "message": issue.message}
