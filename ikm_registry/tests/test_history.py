"""History of IKM units: who changed what and when, visible in the admin, never holding the NIK; an admin's
delete undone from history."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ikm_registry.models import Certificate, IKMUnit, Product, Role, VerificationStatus, YearlyFigures
from ikm_registry.tests.admin_forms import action_data, rendered_form_data
from ikm_registry.tests.factories import (
    PELAMBUAN,
    CertificateFactory,
    IKMUnitFactory,
    YearlyFiguresFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

NIK = "6271014101900012"


def url(name, *args):
    return reverse(f"admin:ikm_registry_ikmunit_{name}", args=args)


def unit_with_children(**kwargs):
    unit = IKMUnitFactory(**kwargs)
    YearlyFiguresFactory(unit=unit, year=2024)
    YearlyFiguresFactory(unit=unit, year=2025, workers_male=30)
    CertificateFactory(unit=unit)
    Product.objects.create(unit=unit, name="Sumpit kayu", value=2_000_000)
    return unit


def test_create_change_and_delete_are_recorded_with_who_and_what(client):
    operator = make_staff(Role.OPERATOR, "62.71")
    admin = make_staff(Role.ADMIN, "62.71")
    client.force_login(operator)
    data = rendered_form_data(client.get(url("add")))
    data.update(
        {"business_name": "Sumpit Kahayan", "brand": "Kahayan", "owner_name": "Yusuf", "village": "62.71.01.1003"}
    )
    client.post(url("add"), data)
    unit = IKMUnit.objects.get()
    data = rendered_form_data(client.get(url("change", unit.pk)))
    data["brand"] = "Kahayan Jaya"
    client.post(url("change", unit.pk), data)

    page = client.get(url("history", unit.pk))
    assert page.status_code == 200
    assert "Kahayan Jaya" in page.text and operator.username in page.text

    client.force_login(admin)
    client.post(url("delete", unit.pk), {"post": "yes"})
    records = IKMUnit.history.filter(id=unit.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in records] == [("+", operator), ("~", operator), ("-", admin)]


def test_nik_never_enters_history_tables_or_pages(client):
    columns = {field.name for field in IKMUnit.history.model._meta.get_fields()}
    assert not {"owner_nik_encrypted", "owner_nik_hash"} & columns

    unit = IKMUnitFactory()
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    data = rendered_form_data(client.get(url("change", unit.pk)))
    data["owner_nik_input"] = NIK
    assert client.post(url("change", unit.pk), data).status_code == 302
    unit.refresh_from_db()
    latest = unit.history.latest("history_date")
    assert latest.history_change_reason == "NIK pemilik diisi atau diganti"
    page = client.get(url("history", unit.pk)).text
    version = client.get(url("simple_history", unit.pk, latest.history_id)).text
    for text in (page, version):
        assert NIK not in text and unit.owner_nik_encrypted not in text


def test_history_masks_owner_phone_for_roles_without_the_personal_data_permission(client):
    unit = IKMUnitFactory(owner_phone="+6281234567890")
    unit.owner_phone = "+6285711112222"
    unit.save()
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    page = client.get(url("history", unit.pk)).text
    assert "+6285711112222" not in page and "+6281234567890" not in page
    assert "+6285*****2222" in page
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    assert "+6285711112222" in client.get(url("history", unit.pk)).text


def test_admin_undoes_a_delete_from_history_with_the_records_deleted_along(client):
    unit = unit_with_children(verification_status=VerificationStatus.VERIFIED)
    unit.set_owner_nik(NIK)
    unit.save()
    pk, code = unit.pk, unit.registry_code
    admin = make_staff(Role.ADMIN, "62.71")
    client.force_login(admin)
    client.post(url("delete", pk), {"post": "yes"})
    assert not IKMUnit.objects.filter(pk=pk).exists() and not YearlyFigures.objects.exists()

    history = client.get(url("history", pk))
    assert history.status_code == 200
    version = IKMUnit.history.filter(id=pk).order_by("-history_date").first()
    form_page = client.get(url("simple_history", pk, version.history_id))
    assert form_page.status_code == 200 and form_page.context["revert_disabled"] is False
    response = client.post(url("simple_history", pk, version.history_id), rendered_form_data(form_page))
    assert response.status_code == 302 and response.url == url("change", pk)

    restored = IKMUnit.objects.get(pk=pk)
    assert restored.registry_code == code
    assert restored.verification_status == VerificationStatus.VERIFIED
    assert restored.owner_nik == ""  # never kept in history; staff enter it again
    assert sorted(restored.yearly_figures.values_list("year", flat=True)) == [2024, 2025]
    assert restored.products.count() == 1 and Certificate.objects.filter(unit=restored).count() == 1
    assert restored.size_class == "menengah"  # derived again from the restored 2025 figures
    latest = restored.history.latest("history_date")
    assert latest.history_user == admin and "Dipulihkan" in latest.history_change_reason


def test_operator_cannot_undo_a_delete(client):
    unit = unit_with_children()
    pk = unit.pk
    unit.delete()
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    version = IKMUnit.history.filter(id=pk).order_by("-history_date").first()
    page = client.get(url("simple_history", pk, version.history_id))
    assert page.status_code == 200 and page.context["revert_disabled"] is True
    assert client.post(url("simple_history", pk, version.history_id), {}).status_code == 403
    assert not IKMUnit.objects.filter(pk=pk).exists()


def test_deleted_unit_of_another_region_has_no_history_page_for_outsiders(client):
    unit = IKMUnitFactory(village_id=PELAMBUAN)
    pk = unit.pk
    unit.delete()
    version = IKMUnit.history.filter(id=pk).latest("history_date")
    client.force_login(make_staff(Role.ADMIN, "62.71"))
    assert client.get(url("history", pk)).status_code == 404
    assert client.post(url("simple_history", pk, version.history_id), {}).status_code == 404
    client.force_login(make_staff(Role.ADMIN, "63.71"))
    assert client.get(url("history", pk)).status_code == 200


def test_deleted_units_are_listed_and_restored_from_the_history_list(client):
    unit = unit_with_children()
    pk = unit.pk
    unit.delete()
    client.force_login(make_staff(Role.ADMIN, "62"))
    listing = reverse("admin:ikm_registry_historicalikmunit_changelist")
    deleted = client.get(listing, {"jenis": "-"})
    rows = list(deleted.context["cl"].result_list)
    assert [r.id for r in rows] == [pk]
    client.post(listing + "?jenis=-", {**action_data("restore_deleted", []), "_selected_action": [rows[0].pk]})
    assert IKMUnit.objects.filter(pk=pk).exists()
    assert YearlyFigures.objects.filter(unit_id=pk).count() == 2


def test_reverting_a_live_unit_keeps_its_nik_and_verification_state(client):
    unit = IKMUnitFactory(brand="Lama", verification_status=VerificationStatus.VERIFIED)
    old_version = unit.history.latest("history_date")
    unit.brand = "Baru"
    unit.set_owner_nik(NIK)
    unit.save()
    client.force_login(make_staff(Role.VERIFIKATOR, "62.71"))
    page = client.get(url("simple_history", unit.pk, old_version.history_id))
    assert (
        client.post(url("simple_history", unit.pk, old_version.history_id), rendered_form_data(page)).status_code == 302
    )
    unit.refresh_from_db()
    assert unit.brand == "Lama"
    assert unit.owner_nik == NIK
    assert unit.verification_status == VerificationStatus.VERIFIED


def test_history_user_is_recorded_for_actions(client):
    unit = IKMUnitFactory()
    operator = make_staff(Role.OPERATOR, "62.71")
    client.force_login(operator)
    client.post(reverse("admin:ikm_registry_ikmunit_changelist"), action_data("submit_units", [unit]))
    latest = unit.history.latest("history_date")
    assert (latest.history_user, latest.verification_status) == (operator, VerificationStatus.SUBMITTED)
    assert User.objects.filter(pk=operator.pk).exists()


def test_the_history_list_opens_versions_only_through_the_units_history_page(client):
    unit = IKMUnitFactory(owner_phone="+6281234567890")
    client.force_login(make_staff(Role.OPERATOR, "62.71"))
    listing = client.get(reverse("admin:ikm_registry_historicalikmunit_changelist"))
    assert listing.status_code == 200 and url("history", unit.pk) in listing.text
    assert "+6281234567890" not in listing.text
    record = unit.history.latest("history_date")
    assert client.get(f"/admin/ikm_registry/historicalikmunit/{record.history_id}/change/").status_code == 404
