"""Every kind: an import page with templates, and an export of the change list that re-imports unchanged."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from ikm_registry.imports.kinds import KINDS
from ikm_registry.imports.runner import run_import
from ikm_registry.models import ConditionCheck
from ikm_registry.tests.factories import (
    EquipmentAssistanceFactory,
    IKMUnitFactory,
    OVOPRatingFactory,
    TrainingActivityFactory,
    TrainingParticipantFactory,
)
from sentra.models import SentraMembership
from sentra.tests.factories import SentraFactory

pytestmark = pytest.mark.django_db

TANJUNG_HULU = "61.71.02.1004"


@pytest.fixture
def programmes():
    """Records of every kind in Pontianak, and one of each in Banjarmasin that must never be exported."""
    units = [IKMUnitFactory(village_id=TANJUNG_HULU, nib=f"912030000001{i}") for i in range(3)]
    sentra = SentraFactory(
        village_id=TANJUNG_HULU,
        code="SENTRA-AMPLANG",
        name="Sentra Amplang",
        status="formal",
        decree_number="188/2019",
        decree_date=datetime.date(2019, 3, 12),
        area_hectares="1.50",
    )
    SentraMembership.objects.create(
        sentra=sentra, unit=units[0], joined_on=datetime.date(2018, 1, 1), left_on=datetime.date(2019, 12, 31)
    )
    SentraMembership.objects.create(sentra=sentra, unit=units[1], joined_on=datetime.date(2020, 1, 1))
    SentraFactory(village_id=TANJUNG_HULU, name="Sentra Tanpa Anggota", sector_id="KAYU")
    activity = TrainingActivityFactory(owner_region_id="61.71", venue_village_id=TANJUNG_HULU, budget=25_000_000)
    TrainingParticipantFactory(activity=activity, unit=units[0], attendee_name="Siti", outcome="sertifikat")
    TrainingParticipantFactory(activity=activity, unit=units[1], attendee_name="Rudi", attendee_gender="L")
    TrainingActivityFactory(owner_region_id="61.71", title="Sosialisasi tanpa peserta", kind="sosialisasi")
    item = EquipmentAssistanceFactory(unit=units[0])
    ConditionCheck.objects.create(equipment=item, checked_on=datetime.date(2025, 1, 5), condition="rusak_ringan")
    EquipmentAssistanceFactory(unit=None, sentra=sentra, name="Oven", bast_number="9/BAST/2024")
    OVOPRatingFactory(unit=units[0], assessment_year=2021, stars=2)
    OVOPRatingFactory(unit=units[0], assessment_year=2023, stars=3)
    # Banjarmasin
    other = IKMUnitFactory(village_id="63.71.03.1003")
    SentraFactory(name="Sentra Sasirangan Banjar")
    TrainingActivityFactory(owner_region_id="63.71", title="Bimtek Banjarmasin")
    EquipmentAssistanceFactory(unit=other, name="Mesin Banjar")
    OVOPRatingFactory(unit=other, product_name="Sasirangan")
    return units


def url(kind, name, **kwargs):
    opts = KINDS[kind].model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", kwargs=kwargs or None)


@pytest.mark.parametrize("kind", ["sentra", "pembinaan", "bantuan", "ovop"])
def test_each_kind_has_an_import_page_with_templates(client, operator, kind):
    client.force_login(operator)
    assert url(kind, "import") in client.get(url(kind, "changelist")).content.decode()
    assert "Unduh templat" in client.get(url(kind, "import")).content.decode()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url(kind, "import_template", fmt="xlsx")).content))
    assert [c.value for c in workbook.worksheets[0][1]] == [c.header for c in KINDS[kind].columns]
    assert workbook.worksheets[0].max_row == 2  # headers and the example row
    assert len(workbook.worksheets) == 2


@pytest.mark.parametrize("kind", ["sentra", "pembinaan", "bantuan", "ovop"])
@pytest.mark.parametrize(("fmt", "sep"), [("xlsx", ""), ("csv", "semicolon")])
def test_each_kind_exports_its_scoped_rows_and_reimports_unchanged(client, operator, programmes, kind, fmt, sep):
    client.force_login(operator)
    response = client.get(url(kind, "export"), {"_format": fmt, "_sep": sep})
    content = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
    text = (
        str(openpyxl.load_workbook(io.BytesIO(content)).active.values.__next__) if fmt == "xlsx" else content.decode()
    )
    assert "Banjar" not in (content.decode("utf-8", "ignore") if fmt == "csv" else text)
    report = run_import(KINDS[kind], io.BytesIO(content), f"ekspor.{fmt}", operator, commit=True)
    assert report.errors == [], report.errors
    assert report.counts["new"] == report.counts["changed"] == 0, report.samples
    assert report.counts["unchanged"] == report.total_rows > 0


def test_sentra_export_has_one_row_per_membership_and_one_for_a_sentra_without_members(client, operator, programmes):
    client.force_login(operator)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("sentra", "export"), {"_format": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    headers = rows[0]
    names = [r[headers.index("nama_sentra")] for r in rows[1:]]
    assert sorted(names) == ["Sentra Amplang", "Sentra Amplang", "Sentra Tanpa Anggota"]
