"""Issue 3, done when: a Kota Banjarmasin operator records the Sentra Sasirangan with its members, a training
for them, a sewing machine handed to one member and that member's 2-star OVOP rating, all through the real
admin forms, and sees all of it on the member's admin page; a Palangka Raya operator sees none of it."""

import pytest
from django.test import Client
from django.urls import reverse

from ikm_registry.models import EquipmentAssistance, OVOPRating, Role, TrainingActivity
from ikm_registry.tests.admin_forms import rendered_form_data
from ikm_registry.tests.factories import PELAMBUAN, IKMUnitFactory, make_staff
from sentra.models import Sentra

pytestmark = pytest.mark.django_db


def post_form(client, url_name, values, **inlines):
    """GET the admin add page, fill it as a person would, POST it; fail with the form's errors if refused."""
    url = reverse(url_name)
    data = rendered_form_data(client.get(url))
    data.update(values)
    for prefix, rows in inlines.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{field}": value for field, value in row.items()})
    response = client.post(url, data)
    if response.status_code != 302:
        context = response.context
        errors = [context["adminform"].form.errors]
        errors += [f.errors for inline in context["inline_admin_formsets"] for f in inline.formset.forms]
        errors += [inline.formset.non_form_errors() for inline in context["inline_admin_formsets"]]
        pytest.fail(f"{url_name} refused: {errors}")
    return response


def test_banjarmasin_operator_records_sentra_training_equipment_and_ovop_and_palangka_raya_sees_none():
    banjarmasin = Client()
    banjarmasin.force_login(make_staff(Role.OPERATOR, "63.71", username="operator_banjarmasin"))
    members = [
        IKMUnitFactory(village_id=PELAMBUAN, business_name=name, main_products="Kain sasirangan", sector_id="SANDANG")
        for name in [
            "Sasirangan Ida",
            "Sasirangan Kampung Biru",
            "Galeri Sasirangan Pelambuan",
            "Sasirangan Ummi",
            "Sasirangan Antasari",
        ]
    ]
    ida = members[0]

    # 1. The sentra with its five members.
    post_form(
        banjarmasin,
        "admin:sentra_sentra_add",
        {
            "name": "Sentra Sasirangan Pelambuan",
            "kind": "sentra",
            "status": "formal",
            "decree_number": "188.45/123/KUM/2019",
            "decree_date": "15/03/2019",
            "village": PELAMBUAN,
            "main_commodity": "Kain sasirangan",
            "sector": "SANDANG",
            "year_formed": "2019",
            "shared_facilities": "Rumah produksi bersama",
        },
        memberships=[{"unit": str(u.pk), "joined_on": "15/03/2019"} for u in members],
    )
    sentra = Sentra.objects.get(name="Sentra Sasirangan Pelambuan")
    assert sentra.active_member_count() == 5 and not sentra.below_minimum()

    # 2. A training for them.
    post_form(
        banjarmasin,
        "admin:ikm_registry_trainingactivity_add",
        {
            "title": "Pelatihan desain motif sasirangan",
            "kind": "pelatihan",
            "topic": "Desain motif dan pewarnaan alami",
            "organiser_level": "kabkota",
            "funding_source": "apbd_kabkota",
            "fiscal_year": "2024",
            "budget": "Rp 30.000.000",
            "start_date": "03/06/2024",
            "end_date": "05/06/2024",
            "venue_village": PELAMBUAN,
            "venue": "Rumah produksi bersama Sentra Sasirangan",
        },
        participants=[
            {"unit": str(u.pk), "attendee_name": f"Pengrajin {i}", "attendee_gender": "P", "attended": "on"}
            for i, u in enumerate(members)
        ],
    )
    training = TrainingActivity.objects.get()
    assert training.participants.count() == 5

    # 3. A sewing machine handed to one member.
    post_form(
        banjarmasin,
        "admin:ikm_registry_equipmentassistance_add",
        {
            "name": "Mesin jahit",
            "brand": "Butterfly JA2-2",
            "quantity": "1",
            "quantity_unit": "unit",
            "value": "Rp 4.750.000",
            "funding_source": "apbd_kabkota",
            "fiscal_year": "2024",
            "handover_date": "20/08/2024",
            "bast_number": "BAST/031/DPKUKMP/VIII/2024",
            "unit": str(ida.pk),
        },
        condition_checks=[{"checked_on": "02/12/2024", "condition": "baik"}],
    )
    machine = EquipmentAssistance.objects.get()
    assert (machine.unit, machine.value, machine.latest_check.condition) == (ida, 4_750_000, "baik")

    # 4. That member's 2-star OVOP rating.
    post_form(
        banjarmasin,
        "admin:ikm_registry_ovoprating_add",
        {
            "unit": str(ida.pk),
            "product_name": "Kain sasirangan motif kambang kacang",
            "category": "SANDANG",
            "assessment_year": "2023",
            "stars": "2",
            "certificate_number": "OVOP/2023/63.71/017",
            "assessing_body": "Kementerian Perindustrian",
        },
    )
    rating = OVOPRating.objects.get()
    assert (rating.stars, rating.fostering_level) == (2, "kabkota")

    # All of it on the member's page, in date order.
    page = banjarmasin.get(reverse("admin:ikm_registry_ikmunit_change", args=[ida.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="support-history"') :]
    expected = [
        "Bergabung dengan Sentra Sasirangan Pelambuan",
        "Kain sasirangan motif kambang kacang ★★☆☆☆",
        "Pelatihan desain motif sasirangan",
        "Mesin jahit Butterfly JA2-2",
    ]
    positions = [section.index(text) for text in expected]
    assert positions == sorted(positions)
    assert "Rp4.750.000" in section and "Kondisi terakhir: Baik" in section

    # And the sentra page lists the member and the support.
    sentra_page = banjarmasin.get(reverse("admin:sentra_sentra_change", args=[sentra.pk])).content.decode()
    assert "Sasirangan Ida" in sentra_page and "Pelatihan desain motif sasirangan" in sentra_page
    assert "Mesin jahit" in sentra_page

    # A Palangka Raya operator sees none of it.
    palangka_raya = Client()
    palangka_raya.force_login(make_staff(Role.OPERATOR, "62.71", username="operator_palangkaraya"))
    for model in [
        "sentra_sentra",
        "ikm_registry_trainingactivity",
        "ikm_registry_equipmentassistance",
        "ikm_registry_ovoprating",
        "ikm_registry_ikmunit",
    ]:
        listing = palangka_raya.get(reverse(f"admin:{model}_changelist"))
        assert listing.status_code == 200
        assert list(listing.context["cl"].result_list) == [], model
    for url_name, obj in [
        ("admin:sentra_sentra_change", sentra),
        ("admin:ikm_registry_trainingactivity_change", training),
        ("admin:ikm_registry_equipmentassistance_change", machine),
        ("admin:ikm_registry_ovoprating_change", rating),
        ("admin:ikm_registry_ikmunit_change", ida),
    ]:
        response = palangka_raya.get(reverse(url_name, args=[obj.pk]))
        assert response.status_code == 302 and response.url == reverse("admin:index"), url_name
        assert "Sasirangan" not in palangka_raya.get(response.url).content.decode()
