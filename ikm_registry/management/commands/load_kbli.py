from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ikm_registry.kbli_loader import load_kbli_file
from ikm_registry.models import KBLIEdition


class Command(BaseCommand):
    help = (
        "Muat daftar KBLI kategori C (industri pengolahan) dari berkas CSV dengan kolom code, edition, title "
        "(koma atau titik koma, UTF-8). Kode baru ditambahkan dan judul diperbarui; kode tidak pernah dihapus."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Berkas CSV, misalnya kbli_2025.csv.")
        parser.add_argument(
            "--edition",
            choices=KBLIEdition.values,
            help="Edisi untuk seluruh berkas bila tidak ada kolom edition, misalnya --edition 2025.",
        )
        parser.add_argument(
            "--keep-titles", action="store_true", help="Jangan ubah judul kode yang sudah ada; hanya tambah kode baru."
        )

    def handle(self, *args, file, edition=None, keep_titles=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            result = load_kbli_file(path, edition=edition, update_titles=not keep_titles)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada yang disimpan.")
        self.stdout.write(
            f"KBLI: {result.created} baru, {result.updated} judul diperbarui, {result.unchanged} tetap, "
            f"{result.skipped_other_sections} baris di luar kategori C dilewati."
        )
