"""Staff admin change list and unit page on a large registry: time per request, SQL time, query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikm_bench .venv/bin/python bench/bench_admin.py [--runs 20]

Requests go through Django's test client in-process (middleware, admin, templates included), as staff accounts
created inside a transaction that is rolled back at the end: the database is left as it was. Prints a table.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikm_registry.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

import machine  # noqa: E402  (bench/machine.py, beside this script)
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ikm_registry.models import IKMUnit, Role, StaffProfile  # noqa: E402


class SQLTimer:
    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def staff(username: str, role: str | None, region: str | None) -> User:
    user = User.objects.create(username=username, is_staff=True, is_superuser=role is None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, home_region_id=region, is_national=region is None)
    return user


def measure(client: Client, url: str, params: dict, runs: int) -> dict:
    client.get(url, params)  # warm caches (templates, planner)
    totals, sqls, queries = [], [], []
    for _ in range(runs):
        timer = SQLTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(url, params)
            totals.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, params, response.status_code)
        sqls.append(timer.seconds)
        queries.append(timer.queries)
    totals.sort()
    return {
        "median": statistics.median(totals) * 1000,
        "p95": totals[max(0, int(len(totals) * 0.95) - 1)] * 1000,
        "sql": statistics.median(sqls) * 1000,
        "queries": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    changelist = reverse("admin:ikm_registry_ikmunit_changelist")

    with transaction.atomic():
        units = IKMUnit.objects.count()
        national = staff("bench_national", None, None)
        city = staff("bench_operator_pr", Role.OPERATOR, "62.71")
        province = staff("bench_admin_kalbar", Role.ADMIN, "61")
        sample = IKMUnit.objects.filter(regency_id="62.71").order_by("id").first()
        district = sample.district_id if sample else "62.71.01"
        cases = [
            ("national, unfiltered (estimated count)", national, changelist, {}),
            ("national, kab/kota filter", national, changelist, {"kabkota": "62.71"}),
            ("city operator, unfiltered", city, changelist, {}),
            ("city operator, kecamatan filter", city, changelist, {"kecamatan": district}),
            ("city operator, search 'kayu'", city, changelist, {"q": "kayu"}),
            ("national, search 'kayu'", national, changelist, {"q": "kayu"}),
            ("province admin, verification filter", province, changelist, {"verification_status__exact": "submitted"}),
            ("province admin, page 20", province, changelist, {"p": "20"}),
        ]
        far = IKMUnit.objects.filter(regency_id="61.71").exclude(nib=None).order_by("id").first()
        if far:  # the codes a Pontianak unit's papers carry, typed into the search box as staff do
            cases += [
                ("national, search an IKM code", national, changelist, {"q": far.registry_code.lower()}),
                ("province admin, search an IKM code", province, changelist, {"q": far.registry_code}),
                ("national, search a NIB", national, changelist, {"q": far.nib}),
                # A unit as staff remember it: a word of its name and its owner's name.
                (
                    "national, search name word + owner",
                    national,
                    changelist,
                    {"q": f"{far.business_name.split()[-1]} {far.owner_name}"},
                ),
                ("province admin, search 'kayu'", province, changelist, {"q": "kayu"}),
            ]
        if sample:
            cases.append(
                ("city operator, unit page", city, reverse("admin:ikm_registry_ikmunit_change", args=[sample.pk]), {})
            )
        rows = []
        for label, user, url, params in cases:
            client = Client()
            client.force_login(user)
            rows.append((label, measure(client, url, params, args.runs)))
        transaction.set_rollback(True)

    vendor = connection.vendor
    print(machine.describe(connection))
    print(f"Admin benchmark: {units:,} IKM units on {vendor}, {args.runs} runs per case (warm).")
    print(f"{'case':<42} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} {'queries':>8}")
    for label, result in rows:
        print(
            f"{label:<42} {result['median']:>10.1f} {result['p95']:>8.1f} {result['sql']:>8.1f} {result['queries']:>8}"
        )


if __name__ == "__main__":
    main()
