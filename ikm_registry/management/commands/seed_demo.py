import time

from django.core.management.base import BaseCommand, CommandError

from ikm_registry import demo


class Command(BaseCommand):
    help = (
        "Isi data demo di tempat nyata: kawasan pengolahan kayu dan Kota Palangka Raya, sentra kelurahan Kota "
        "Banjarmasin, sebaran Kalimantan Barat, serta satu akun staf per peran (kata sandi demo12345, hanya untuk "
        "demo). Aman dijalankan ulang: yang sudah ada tidak diubah."
    )

    def handle(self, *args, **options):
        missing = demo.missing_provinces()
        if missing:
            raise CommandError(
                f"Wilayah provinsi {', '.join(missing)} belum dimuat. Jalankan dahulu: "
                f"python manage.py load_regions --province {' '.join(demo.DEMO_PROVINCES)}"
            )
        started = time.perf_counter()
        result = demo.seed_demo()
        self.stdout.write(
            f"Data demo: {result.units_created} unit IKM baru, {result.units_existing} sudah ada; "
            f"{result.accounts_created} akun baru ({time.perf_counter() - started:.1f} detik)."
        )
        self._seed_programmes()

    def _seed_programmes(self):
        # Sentra, pembinaan, bantuan and OVOP demo data live in their own module, when it is installed.
        try:
            from ikm_registry import demo_programmes
        except ImportError:
            return
        outcome = demo_programmes.seed_programmes()
        if outcome:
            self.stdout.write(f"Data demo program: {outcome}")
