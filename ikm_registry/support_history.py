"""A unit's whole support history (riwayat pembinaan dan bantuan), in date order, for its admin page.

Trainings attended, mentoring visits, equipment received (with its latest condition), OVOP ratings and
sentra memberships (joining and leaving), as one list of events. Five queries, whatever the history's size.
"""

import dataclasses
import datetime

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ikm_registry.formatting import format_number, format_rupiah
from ikm_registry.models import EquipmentAssistance, IKMUnit, MentoringVisit, OVOPRating, TrainingParticipant


class EventKind:
    TRAINING = "pembinaan"
    MENTORING = "pendampingan"
    EQUIPMENT = "bantuan"
    OVOP = "ovop"
    SENTRA_JOINED = "sentra_masuk"
    SENTRA_LEFT = "sentra_keluar"


# Same-day events read in this order: leaving one sentra before joining the next, joining before the
# sentra's training, a training before the aid that followed it.
KIND_ORDER = [
    EventKind.SENTRA_LEFT,
    EventKind.SENTRA_JOINED,
    EventKind.TRAINING,
    EventKind.MENTORING,
    EventKind.EQUIPMENT,
    EventKind.OVOP,
]


@dataclasses.dataclass
class Event:
    """One line of the history. `date` orders it; `year_only` says only the year is known (OVOP rounds)."""

    date: datetime.date
    kind: str
    label: str
    title: str
    details: list[str]
    admin_url_name: str
    object_id: int
    year_only: bool = False

    @property
    def sort_key(self) -> tuple:
        return (self.date, KIND_ORDER.index(self.kind), self.object_id)


def support_history(unit: IKMUnit) -> list[Event]:
    """Every support event of a unit, oldest first."""
    events: list[Event] = []

    for p in TrainingParticipant.objects.filter(unit=unit).select_related("activity"):
        activity = p.activity
        details = [
            f"{activity.get_kind_display()}, {activity.get_organiser_level_display()}",
            _("Peserta: %(name)s (%(gender)s), %(attended)s")
            % {
                "name": p.attendee_name,
                "gender": p.get_attendee_gender_display(),
                "attended": _("hadir") if p.attended else _("tidak hadir"),
            },
        ]
        if p.outcome:
            details.append(_("Hasil: %(outcome)s") % {"outcome": p.get_outcome_display()})
        details.append(
            _("Sumber dana: %(source)s %(year)s")
            % {"source": activity.get_funding_source_display(), "year": activity.fiscal_year}
        )
        events.append(
            Event(
                activity.start_date,
                EventKind.TRAINING,
                _("Pembinaan"),
                activity.title,
                details,
                "admin:ikm_registry_trainingactivity_change",
                activity.pk,
            )
        )

    for visit in MentoringVisit.objects.filter(unit=unit).select_related("officer", "activity"):
        details = [
            _("Petugas: %(officer)s") % {"officer": visit.officer},
            _("Masalah: %(problem)s") % {"problem": visit.problem_found},
            _("Saran: %(advice)s") % {"advice": visit.advice_given},
        ]
        if visit.activity_id:
            details.append(_("Lanjutan dari: %(activity)s") % {"activity": visit.activity.title})
        events.append(
            Event(
                visit.visit_date,
                EventKind.MENTORING,
                _("Pendampingan"),
                _("Kunjungan pendampingan"),
                details,
                "admin:ikm_registry_mentoringvisit_change",
                visit.pk,
            )
        )

    for item in EquipmentAssistance.objects.filter(unit=unit).with_latest_condition():
        condition = item.latest_condition_label or _("belum diperiksa")
        details = [
            _("%(qty)s %(unit)s, nilai %(value)s, %(source)s %(year)s")
            % {
                "qty": format_number(item.quantity),
                "unit": item.quantity_unit,
                "value": format_rupiah(item.value),
                "source": item.get_funding_source_display(),
                "year": item.fiscal_year,
            },
            _("BAST %(number)s") % {"number": item.bast_number},
            _("Kondisi terakhir: %(condition)s") % {"condition": condition},
        ]
        title = f"{item.name} {item.brand}".strip()
        events.append(
            Event(
                item.handover_date,
                EventKind.EQUIPMENT,
                _("Bantuan peralatan"),
                title,
                details,
                "admin:ikm_registry_equipmentassistance_change",
                item.pk,
            )
        )

    for rating in OVOPRating.objects.filter(unit=unit).with_is_current().select_related("category"):
        details = [
            _("Tingkat pembinaan: %(level)s") % {"level": rating.get_fostering_level_display()},
            str(rating.category),
        ]
        if rating.certificate_number:
            details.append(_("Sertifikat %(number)s") % {"number": rating.certificate_number})
        if rating.is_current:
            details.append(_("Penilaian terkini"))
        events.append(
            Event(
                # Only the assessment year is known: placed at its end, after that year's support.
                datetime.date(rating.assessment_year, 12, 31),
                EventKind.OVOP,
                _("OVOP"),
                f"{rating.product_name} {rating.star_display}",
                details,
                "admin:ikm_registry_ovoprating_change",
                rating.pk,
                year_only=True,
            )
        )

    from sentra.models import SentraMembership  # the sentra app builds on this one

    for membership in SentraMembership.objects.filter(unit=unit).select_related("sentra"):
        sentra = membership.sentra
        kind_label = f"{sentra.get_kind_display()}, {sentra.main_commodity}"
        events.append(
            Event(
                membership.joined_on,
                EventKind.SENTRA_JOINED,
                _("Sentra"),
                _("Bergabung dengan %(sentra)s") % {"sentra": sentra.name},
                [kind_label],
                "admin:sentra_sentra_change",
                sentra.pk,
            )
        )
        if membership.left_on:
            events.append(
                Event(
                    membership.left_on,
                    EventKind.SENTRA_LEFT,
                    _("Sentra"),
                    _("Keluar dari %(sentra)s") % {"sentra": sentra.name},
                    [kind_label],
                    "admin:sentra_sentra_change",
                    sentra.pk,
                )
            )

    return sorted(events, key=lambda e: e.sort_key)


def render_support_history(unit: IKMUnit) -> str:
    """The history as HTML for the unit's admin page (a read-only field)."""
    return render_to_string("admin/ikm_registry/support_history.html", {"events": support_history(unit)})
