from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from ikm_registry import demo
from ikm_registry.models import Region


class Command(BaseCommand):
    help = "Cetak alamat admin dan akun demo (peran dan wilayah kerja) untuk masuk."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Alamat situs, misalnya http://127.0.0.1:8000"
        )

    def handle(self, *args, url, **options):
        base = url.rstrip("/")
        present = set(
            User.objects.filter(username__in=[a.username for a in demo.ACCOUNTS]).values_list("username", flat=True)
        )
        names = dict(
            Region.objects.filter(code__in={a.region for a in demo.ACCOUNTS if a.region}).values_list("code", "name")
        )
        self.stdout.write(f"Situs publik : {base}/")
        self.stdout.write(f"Admin staf   : {base}/admin/")
        if not present:
            self.stdout.write("Belum ada akun demo. Jalankan: python manage.py seed_demo")
            return
        self.stdout.write(
            f"Akun demo (kata sandi semua: {demo.DEMO_PASSWORD} — hanya untuk demo, ganti di server sungguhan):"
        )
        width = max(len(a.username) for a in demo.ACCOUNTS)
        for account in demo.ACCOUNTS:
            if account.username not in present:
                continue
            role = account.role or "Superuser"
            region = names.get(account.region, account.region) if account.region else "semua wilayah"
            self.stdout.write(f"  {account.username:<{width}}  {role:<11}  {region} — {account.office}")
