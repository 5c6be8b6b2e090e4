"""Undo from history: bring back a deleted IKM unit, with the records deleted along with it.

django-simple-history keeps a "-" (deleted) row for the unit and for each child row the cascade removed
(yearly figures, products, certificates, and any other history-tracked record that points at the unit).
Restoring re-inserts them under their old primary keys, so links and registry codes stay as they were.
The owner's NIK is never kept in history (UU PDP), so a restored unit has none until staff enter it again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ikm_registry.models import IKMUnit

# Children deleted by the same cascade carry (almost) the same history_date as the unit's own "-" row.
CASCADE_WINDOW = datetime.timedelta(seconds=60)


def deleted_unit_record(unit_id: int):
    """The unit's "-" history row when its latest history entry is a deletion, else None."""
    latest = IKMUnit.history.filter(id=unit_id).order_by("-history_date", "-history_id").first()
    return latest if latest is not None and latest.history_type == "-" else None


def _history_tracked_children() -> list[tuple[type[models.Model], str]]:
    """Models that cascade-delete with a unit and keep history: (model, name of the FK to the unit)."""
    children = []
    for relation in IKMUnit._meta.related_objects:
        model = relation.related_model
        if relation.on_delete is models.CASCADE and hasattr(model._meta, "simple_history_manager_attribute"):
            children.append((model, relation.field.attname))
    return children


@transaction.atomic
def restore_deleted_unit(unit_id: int, user=None) -> tuple[IKMUnit, int]:
    """Re-insert a deleted unit and the child rows deleted with it. Returns the unit and the number of
    child rows restored. Raises ValidationError (Indonesian) when there is nothing to restore or the
    unit's NIB has since been given to another unit."""
    if IKMUnit.objects.filter(pk=unit_id).exists():
        raise ValidationError(_("Unit IKM ini tidak terhapus."))
    record = deleted_unit_record(unit_id)
    if record is None:
        raise ValidationError(_("Tidak ada riwayat penghapusan untuk unit ini."))
    unit = record.instance
    if unit.nib and IKMUnit.objects.filter(nib=unit.nib).exists():
        raise ValidationError(
            _("NIB %(nib)s sudah dipakai unit lain; ubah unit itu dahulu sebelum memulihkan.") % {"nib": unit.nib}
        )
    unit._history_user = user
    unit._change_reason = _("Dipulihkan dari riwayat (penghapusan dibatalkan)")
    unit.save(force_insert=True)

    restored = 0
    since = record.history_date - CASCADE_WINDOW
    for model, fk_name in _history_tracked_children():
        history = getattr(model, model._meta.simple_history_manager_attribute)
        latest_by_id = {}
        for row in history.filter(**{fk_name: unit_id}).order_by("history_date", "history_id"):
            latest_by_id[row.id] = row
        for row in latest_by_id.values():
            if row.history_type != "-" or row.history_date < since or model._default_manager.filter(pk=row.id).exists():
                continue
            child = row.instance
            child._history_user = user
            child._change_reason = _("Dipulihkan bersama unit IKM")
            child.save(force_insert=True)
            restored += 1
    unit.refresh_from_db()
    return unit, restored
