"""The role x region x action matrix: every staff role, homed in a city or a province, against units in its own
city, another city of its province and another province, for every door of the admin."""

import pytest
from django.urls import reverse

from ikm_registry.models import IKMUnit, Region, Role, VerificationStatus
from ikm_registry.tests.admin_forms import action_data, rendered_form_data
from ikm_registry.tests.factories import LANGKAI, PELAMBUAN, IKMUnitFactory, make_staff

pytestmark = pytest.mark.django_db

# Where each test unit lies, relative to a staff account of Kota Palangka Raya (62.71) or Kalimantan Tengah (62).
PLACES = ["own_city", "same_province", "other_province"]
# (role, home region) of the staff accounts walked through the matrix.
STAFF = [
    (Role.OPERATOR, "62.71"),
    (Role.VERIFIKATOR, "62.71"),
    (Role.PIMPINAN, "62.71"),
    (Role.ADMIN, "62.71"),
    (Role.OPERATOR, "62"),
    (Role.PIMPINAN, "62"),
    (Role.ADMIN, "62"),
]
CAN_CHANGE = {Role.OPERATOR, Role.VERIFIKATOR, Role.ADMIN}
CAN_ADD = {Role.OPERATOR, Role.ADMIN}
CAN_VERIFY = {Role.VERIFIKATOR, Role.ADMIN}
CAN_DELETE = {Role.ADMIN}


@pytest.fixture
def units():
    kotim_village = Region.objects.filter(code__startswith="62.02.", level=4).order_by("code").first()
    return {
        "own_city": IKMUnitFactory(village_id=LANGKAI, business_name="Meubel Langkai"),
        "same_province": IKMUnitFactory(village_id=kotim_village.code, business_name="Rotan Sampit"),
        "other_province": IKMUnitFactory(village_id=PELAMBUAN, business_name="Sasirangan Pelambuan"),
    }


def in_scope(home: str, place: str) -> bool:
    return place == "own_city" or (place == "same_province" and home == "62")


def staff_client(client, role, home):
    user = make_staff(role, home)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("role", "home"), STAFF)
def test_change_list_shows_exactly_the_units_in_scope(client, units, role, home):
    staff_client(client, role, home)
    response = client.get(reverse("admin:ikm_registry_ikmunit_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {unit for place, unit in units.items() if in_scope(home, place)}


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_change_page_opens_only_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    response = client.get(reverse("admin:ikm_registry_ikmunit_change", args=[units[place].pk]))
    # Out of scope the admin answers as for a unit that does not exist: back to the index, nothing shown.
    assert response.status_code == (200 if in_scope(home, place) else 302)
    if not in_scope(home, place):
        assert units[place].business_name not in client.get(response.url).text


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_change_is_saved_only_by_editing_roles_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    unit = units[place]
    url = reverse("admin:ikm_registry_ikmunit_change", args=[unit.pk])
    page = client.get(url)
    data = rendered_form_data(page) if page.status_code == 200 and "adminform" in page.context else {}
    data.update({"business_name": unit.business_name, "owner_name": "X", "village": unit.village_id})
    data["brand"] = "Diubah"
    response = client.post(url, data)
    unit.refresh_from_db()
    allowed = in_scope(home, place) and role in CAN_CHANGE
    assert (unit.brand == "Diubah") is allowed
    assert response.status_code in ((302,) if allowed else (302, 403))


@pytest.mark.parametrize(("role", "home"), STAFF)
def test_add_page_only_for_roles_that_enter_data(client, role, home):
    staff_client(client, role, home)
    response = client.get(reverse("admin:ikm_registry_ikmunit_add"))
    assert response.status_code == (200 if role in CAN_ADD else 403)


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_verify_action_acts_only_for_verifiers_and_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    unit = units[place]
    IKMUnit.objects.filter(pk=unit.pk).update(verification_status=VerificationStatus.SUBMITTED)
    client.post(reverse("admin:ikm_registry_ikmunit_changelist"), action_data("verify_units", [unit]))
    unit.refresh_from_db()
    verified = unit.verification_status == VerificationStatus.VERIFIED
    assert verified is (in_scope(home, place) and role in CAN_VERIFY)


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_delete_only_by_admin_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    unit = units[place]
    url = reverse("admin:ikm_registry_ikmunit_delete", args=[unit.pk])
    page = client.get(url)
    allowed = in_scope(home, place) and role in CAN_DELETE
    # Without the permission the answer is 403 wherever the unit is, so it reveals nothing.
    expected = 200 if allowed else (403 if role not in CAN_DELETE else 302)
    assert page.status_code == expected
    client.post(url, {"post": "yes"})
    assert IKMUnit.objects.filter(pk=unit.pk).exists() is not allowed


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_unit_autocomplete_offers_only_units_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    unit = units[place]
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": unit.business_name, "app_label": "ikm_registry", "model_name": "yearlyfigures", "field_name": "unit"},
    )
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert (str(unit.pk) in ids) is in_scope(home, place)


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_history_page_opens_only_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    response = client.get(reverse("admin:ikm_registry_ikmunit_history", args=[units[place].pk]))
    assert response.status_code == (200 if in_scope(home, place) else 404)


@pytest.mark.parametrize(("role", "home"), STAFF)
@pytest.mark.parametrize("place", PLACES)
def test_history_version_page_opens_only_in_scope(client, units, role, home, place):
    staff_client(client, role, home)
    unit = units[place]
    version = unit.history.latest("history_date")
    url = reverse("admin:ikm_registry_ikmunit_simple_history", args=[unit.pk, version.history_id])
    assert client.get(url).status_code == (200 if in_scope(home, place) else 404)


@pytest.mark.parametrize(("role", "home"), STAFF)
def test_history_list_of_all_units_shows_only_the_scope(client, units, role, home):
    staff_client(client, role, home)
    response = client.get(reverse("admin:ikm_registry_historicalikmunit_changelist"))
    assert response.status_code == 200
    shown = {row.id for row in response.context["cl"].result_list}
    assert shown == {unit.pk for place, unit in units.items() if in_scope(home, place)}


@pytest.mark.parametrize(
    ("term", "home", "expected"),
    [
        ("Pahandut", "62.71", "62.71.01.1003"),
        ("Langkai, Pahandut", "62.71", "62.71.01.1003"),
        ("Langkai", "63.71", None),
        ("Pelambuan", "63.71", "63.71.03.1003"),
    ],
)
def test_village_autocomplete_finds_by_kecamatan_and_stays_in_scope(client, term, home, expected):
    staff_client(client, Role.OPERATOR, home)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "ikm_registry", "model_name": "ikmunit", "field_name": "village"},
    )
    ids = [row["id"] for row in response.json()["results"]]
    if expected:
        assert expected in ids
        assert all(code.startswith(home + ".") for code in ids)
        assert all(code.count(".") == 3 for code in ids)  # villages only
    else:
        assert ids == []


def test_staff_without_a_home_region_sees_nothing(client, units):
    user = make_staff(Role.ADMIN, "62")
    user.staff_profile.delete()
    client.force_login(user)
    response = client.get(reverse("admin:ikm_registry_ikmunit_changelist"))
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("deleted", [False, True])
def test_history_of_a_units_records_stays_in_scope(client, deleted):
    from ikm_registry.tests.factories import YearlyFiguresFactory

    figures = YearlyFiguresFactory(unit__village_id=PELAMBUAN)
    pk = figures.pk
    version = figures.history.latest("history_date")
    if deleted:
        figures.delete()
    history = reverse("admin:ikm_registry_yearlyfigures_history", args=[pk])
    version_url = reverse("admin:ikm_registry_yearlyfigures_simple_history", args=[pk, version.history_id])
    staff_client(client, Role.ADMIN, "62.71")
    assert client.get(history).status_code == 404
    assert client.get(version_url).status_code == 404
    staff_client(client, Role.ADMIN, "63.71")
    assert client.get(history).status_code == 200
    assert client.get(version_url).status_code == 200


def test_nik_access_log_is_read_only_for_admins_of_the_region(client, units):
    from ikm_registry.models import NIKAccessLog

    verifier = make_staff(Role.VERIFIKATOR, "62.71", username="verifikator_pr")
    own = NIKAccessLog.objects.create(user=verifier, unit=units["own_city"], purpose="verifikasi")
    NIKAccessLog.objects.create(user=verifier, unit=units["other_province"], purpose="lain")
    changelist = reverse("admin:ikm_registry_nikaccesslog_changelist")

    staff_client(client, Role.ADMIN, "62.71")
    response = client.get(changelist)
    assert list(response.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:ikm_registry_nikaccesslog_add")).status_code == 403
    change = client.get(reverse("admin:ikm_registry_nikaccesslog_change", args=[own.pk]))
    assert change.status_code == 200 and 'name="purpose"' not in change.text  # read-only

    for role in (Role.OPERATOR, Role.VERIFIKATOR, Role.PIMPINAN):
        staff_client(client, role, "62.71")
        assert client.get(changelist).status_code == 403


def test_superuser_gives_a_staff_account_its_home_region_on_the_user_page(client, admin_user):
    from django.contrib.auth.models import Group, User

    client.force_login(admin_user)
    add = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "operator_baru",
            "password1": "Sandi-Kuat-2026!",
            "password2": "Sandi-Kuat-2026!",
            "usable_password": "true",
        },
    )
    assert add.status_code == 302
    user = User.objects.get(username="operator_baru")
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    data = rendered_form_data(page)
    operator_group = Group.objects.get(name=Role.OPERATOR)
    data.update({"staff_profile-0-home_region": "62.71", "is_staff": "on", "groups": [str(operator_group.pk)]})
    response = client.post(reverse("admin:auth_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    user.refresh_from_db()
    assert user.staff_profile.home_region_id == "62.71"
    listing = client.get(reverse("admin:auth_user_changelist"))
    assert "Kota Palangkaraya" in listing.text and "Operator" in listing.text


def test_user_admin_of_a_province_sees_and_places_staff_only_inside_it(client):
    from django.contrib.auth.models import Permission

    province_admin = make_staff(Role.ADMIN, "62", username="admin_kalteng")
    # Roles do not include account management; an office that wants it grants these permissions.
    province_admin.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_user", "change_user", "view_staffprofile", "change_staffprofile"]
        )
    )
    inside = make_staff(Role.OPERATOR, "62.71", username="operator_pr")
    outside = make_staff(Role.OPERATOR, "63.71", username="operator_bjm")
    client.force_login(province_admin)
    listing = client.get(reverse("admin:auth_user_changelist"))
    shown = set(listing.context["cl"].result_list)
    assert inside in shown and outside not in shown
    assert client.get(reverse("admin:auth_user_change", args=[outside.pk])).status_code == 302

    page = client.get(reverse("admin:auth_user_change", args=[inside.pk]))
    assert 'name="is_superuser"' not in page.text and 'name="user_permissions"' not in page.text
    data = rendered_form_data(page)
    data["staff_profile-0-home_region"] = "63.71"
    response = client.post(reverse("admin:auth_user_change", args=[inside.pk]), data)
    assert response.status_code == 200
    inside.staff_profile.refresh_from_db()
    assert inside.staff_profile.home_region_id == "62.71"
