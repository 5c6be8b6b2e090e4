"""Who may import what, and the calls both doors make: to run an importer, and to tidy after it."""

import logging
import os
from collections.abc import Callable

from django.utils.translation import gettext as _

from ikm_registry import maintenance
from ikm_registry.imports.engine import ImportReport
from ikm_registry.imports.ikm import VERIFY_PERMISSION
from ikm_registry.imports.kinds import Kind
from ikm_registry.models import scope_region_code

logger = logging.getLogger(__name__)


def check_import_allowed(kind: Kind, user, verify: bool = False) -> str | None:
    """None when `user` may run this import, else the reason in Bahasa Indonesia."""
    if not user.is_active or not user.is_staff:
        return _("Akun %(user)s bukan akun staf aktif.") % {"user": user}
    if scope_region_code(user) is None:
        return _("Akun %(user)s tidak memiliki wilayah kerja (profil staf).") % {"user": user}
    if not (user.has_perm(kind.permission("add")) or user.has_perm(kind.permission("change"))):
        return _("Akun %(user)s tidak berhak menambah atau mengubah %(kind)s.") % {"user": user, "kind": kind.label}
    if verify:
        if not kind.verifiable:
            return _("--verify hanya berlaku untuk impor unit IKM (ikm).")
        if not user.has_perm(VERIFY_PERMISSION):
            return _("Akun %(user)s tidak berhak memverifikasi data IKM: --verify ditolak.") % {"user": user}
    return None


def run_import(
    kind: Kind,
    fileobj,
    file_name: str,
    user,
    commit: bool,
    verify: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate (and with commit=True write) one file. History rows carry `user` and the file's name."""
    importer = kind.importer(user, os.path.basename(file_name), verify=verify, progress=progress)
    return importer.run(fileobj, commit=commit)


def tidy_after_import(report: ImportReport) -> list[str]:
    """VACUUM (ANALYZE) the tables a large commit wrote (maintenance.tidy), once the import is reported; the
    tables tidied. A failure is logged, never raised: the import itself is done, and autovacuum remains."""
    try:
        return maintenance.tidy(report.written)
    except Exception:
        logger.exception("VACUUM (ANALYZE) after the import of %s failed", report.file_name)
        return []
