"""Import of pembinaan activities and their participants (kind "pembinaan"): one row per participant, the
activity's columns repeated on each of its rows (an activity without participants takes one row).

Rows belong to the same activity when they share id_kegiatan (exported with each activity) or, for new
activities, the same title and start date; they must then agree on every activity column. An activity is
recorded under the office of the importing account (national staff: the venue's kab/kota).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_update_with_history

from ikm_registry.imports.bantuan import FUNDING
from ikm_registry.imports.bulk import create_with_history
from ikm_registry.imports.columns import Column
from ikm_registry.imports.engine import CHANGED, NEW, UNCHANGED, BaseImporter, Row
from ikm_registry.imports.ikm_columns import GENDERS
from ikm_registry.imports.lookups import UnitRefs, VillageLookup, normalize_region_code
from ikm_registry.imports.parsing import (
    CellError,
    Choices,
    norm_key,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_year,
)
from ikm_registry.models import ActivityKind, OrganiserLevel, ParticipantOutcome, TrainingActivity, TrainingParticipant

KINDS = Choices(
    {
        ActivityKind.PELATIHAN: ["pelatihan", "bimtek", "pelatihan/bimtek", "pelatihan bimtek"],
        ActivityKind.PENDAMPINGAN: ["pendampingan"],
        ActivityKind.SOSIALISASI: ["sosialisasi"],
        ActivityKind.FASILITASI: ["fasilitasi", "fasilitasi sertifikasi"],
        ActivityKind.PROMOSI: ["promosi", "pameran", "promosi/pameran"],
    },
    [k.value for k in ActivityKind],
)
LEVELS = Choices(
    {
        OrganiserLevel.KABKOTA: ["kabkota", "kab/kota", "kabupaten/kota", "kabupaten", "kota"],
        OrganiserLevel.PROVINSI: ["provinsi"],
        OrganiserLevel.KEMENTERIAN: ["kementerian", "pusat"],
        OrganiserLevel.LAINNYA: ["lainnya", "pihak lain"],
    },
    [level.value for level in OrganiserLevel],
)
OUTCOMES = Choices(
    {o.value: [o.value, str(o.label)] for o in ParticipantOutcome if o.value},
    [o.value for o in ParticipantOutcome if o.value],
)

COLUMNS = [
    Column(
        "id_kegiatan",
        _lazy("Nomor kegiatan di registri (diisi sistem saat ekspor). Kosongkan untuk kegiatan baru."),
        _lazy("angka dari sistem"),
        "",
    ),
    Column(
        "judul",
        _lazy("Judul kegiatan. Baris-baris satu kegiatan berjudul dan bertanggal mulai sama."),
        _lazy("teks, wajib"),
        "Bimtek keamanan pangan olahan ikan",
        required=True,
        required_header=True,
    ),
    Column(
        "jenis",
        _lazy("Jenis kegiatan."),
        ", ".join(k.value for k in ActivityKind),
        "pelatihan",
        required=True,
        required_header=True,
    ),
    Column("topik", _lazy("Topik."), _lazy("teks"), "Keamanan pangan dan PIRT"),
    Column(
        "penyelenggara",
        _lazy("Tingkat penyelenggara. Kosong berarti kabkota."),
        ", ".join(level.value for level in OrganiserLevel),
        "kabkota",
    ),
    Column("nama_penyelenggara", _lazy("Nama penyelenggara."), _lazy("teks"), "Disperindag Kota Pontianak"),
    Column(
        "sumber_dana",
        _lazy("Sumber dana."),
        ", ".join(FUNDING.shown),
        "apbd_kabkota",
        required=True,
        required_header=True,
    ),
    Column(
        "tahun_anggaran",
        _lazy("Tahun anggaran."),
        _lazy("4 angka"),
        2024,
        required=True,
        required_header=True,
        numeric=True,
    ),
    Column(
        "tanggal_mulai",
        _lazy("Tanggal mulai."),
        _lazy("tanggal, misalnya 10/06/2024"),
        "10/06/2024",
        required=True,
        required_header=True,
    ),
    Column(
        "tanggal_selesai",
        _lazy("Tanggal selesai (tidak sebelum tanggal mulai)."),
        _lazy("tanggal"),
        "12/06/2024",
        required=True,
        required_header=True,
    ),
    Column(
        "kode_wilayah_tempat",
        _lazy("Kode kelurahan/desa tempat kegiatan."),
        _lazy("kode Kemendagri"),
        "61.71.02.1004",
        text=True,
    ),
    Column("tempat", _lazy("Nama tempat."), _lazy("teks"), "Aula Kantor Camat Pontianak Timur"),
    Column("anggaran", _lazy("Anggaran kegiatan (Rupiah)."), _lazy("Rupiah"), 25000000, numeric=True),
    Column("keterangan", _lazy("Keterangan kegiatan."), _lazy("teks"), ""),
    Column(
        "kode_ikm",
        _lazy("Peserta: kode_ikm unit. Kosongkan kolom peserta untuk kegiatan tanpa peserta."),
        _lazy("kode dari sistem"),
        "IKM-6171-000001",
        text=True,
    ),
    Column("nib", _lazy("Peserta: NIB unit, bila kode_ikm kosong."), _lazy("13 angka"), "", text=True),
    Column("nama_peserta", _lazy("Nama orang yang hadir."), _lazy("teks; wajib bila ada unit"), "Siti Aminah"),
    Column("jenis_kelamin_peserta", _lazy("Jenis kelamin peserta."), "L, P", "P"),
    Column("hadir", _lazy("Hadir. Kosong berarti ya."), _lazy("ya, tidak"), "ya"),
    Column("hasil", _lazy("Hasil bagi peserta."), ", ".join(OUTCOMES.shown), "sertifikat"),
    Column("catatan", _lazy("Catatan peserta."), _lazy("teks"), ""),
    Column(
        "nama_usaha",
        _lazy("Nama unit peserta (hanya keterangan; diabaikan saat impor)."),
        _lazy("teks"),
        "Amplang Sinar Kapuas",
        info=True,
    ),
]
ACTIVITY_FIELDS = {
    "judul": "title",
    "jenis": "kind",
    "topik": "topic",
    "penyelenggara": "organiser_level",
    "nama_penyelenggara": "organiser_name",
    "sumber_dana": "funding_source",
    "tahun_anggaran": "fiscal_year",
    "tanggal_mulai": "start_date",
    "tanggal_selesai": "end_date",
    "kode_wilayah_tempat": "venue_village_id",
    "tempat": "venue",
    "anggaran": "budget",
    "keterangan": "description",
}
PARTICIPANT_FIELDS = {
    "nama_peserta": "attendee_name",
    "jenis_kelamin_peserta": "attendee_gender",
    "hadir": "attended",
    "hasil": "outcome",
    "catatan": "note",
}
LIMITS = {"judul": 255, "topik": 255, "nama_penyelenggara": 200, "tempat": 255, "nama_peserta": 200, "catatan": 255}
PARTICIPANT_HEADERS = ("kode_ikm", "nib", "nama_peserta", "jenis_kelamin_peserta", "hadir", "hasil", "catatan")


class _Activity:
    """An activity as the file describes it, across the rows (and chunks) that name it."""

    __slots__ = ("first_row", "values", "obj", "is_new", "changes")

    def __init__(self, first_row, values, obj, is_new):
        self.first_row, self.values, self.obj, self.is_new = first_row, values, obj, is_new
        self.changes: list[str] = []


class TrainingImporter(BaseImporter):
    kind = "pembinaan"
    columns = COLUMNS

    def prepare(self):
        self.units = UnitRefs(self)
        self.villages = VillageLookup(self.user, self.scope)
        self.can_add = self.user.has_perm("ikm_registry.add_trainingactivity")
        self.can_change = self.user.has_perm("ikm_registry.change_trainingactivity")
        self.activities: dict[tuple, _Activity] = {}
        self.seen_participants: dict[tuple, int] = {}

    def parse_activity(self, row: Row) -> dict:
        values = {}
        row.check_lengths(LIMITS)
        values["title"] = row.text("judul")
        if not values["title"]:
            row.error("judul", _("Wajib diisi."))
        values["kind"] = row.parse("jenis", KINDS.parse)
        values["funding_source"] = row.parse("sumber_dana", FUNDING.parse)
        values["fiscal_year"] = row.parse("tahun_anggaran", parse_year, 2000, this_year=self.this_year)
        values["start_date"] = row.parse("tanggal_mulai", parse_date)
        values["end_date"] = row.parse("tanggal_selesai", parse_date)
        for header in ("jenis", "sumber_dana", "tahun_anggaran", "tanggal_mulai", "tanggal_selesai"):
            if row.raw(header) is None:
                row.error(header, _("Wajib diisi."))
        if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
            row.error("tanggal_selesai", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        for header in ("topik", "nama_penyelenggara", "tempat", "keterangan"):
            if row.has(header):
                values[ACTIVITY_FIELDS[header]] = row.text(header)
        if row.has("penyelenggara"):
            values["organiser_level"] = row.parse("penyelenggara", LEVELS.parse, default=OrganiserLevel.KABKOTA)
        if row.has("anggaran"):
            values["budget"] = row.parse("anggaran", parse_money)
        if row.has("kode_wilayah_tempat"):
            code = normalize_region_code(row.text("kode_wilayah_tempat"))
            values["venue_village_id"] = None
            if code:
                try:
                    values["venue_village_id"] = self.villages.village(code).code
                except CellError as exc:
                    row.error("kode_wilayah_tempat", exc)
        return values

    def process_chunk(self, rows: list[Row], write: bool) -> None:
        self.units.prefetch(rows)
        if "kode_wilayah_tempat" in self.present:
            self.villages.prefetch({normalize_region_code(r.text("kode_wilayah_tempat")) for r in rows})
        ids = set()
        for row in rows:
            if row.has("id_kegiatan") and row.text("id_kegiatan"):
                try:
                    ids.add(parse_int(row.raw("id_kegiatan"), minimum=1))
                except CellError:
                    row.error("id_kegiatan", _("id_kegiatan harus angka dari ekspor registri."))
        known_ids = {key[1] for key in self.activities if key[0] == "id"}
        by_id = {a.pk: a for a in TrainingActivity.objects.for_user(self.user).filter(pk__in=ids - known_ids)}
        parsed = [(row, self.parse_activity(row)) for row in rows]
        # Existing activities without an id in the file: same title and start date in the user's region.
        dates = {
            v["start_date"]
            for r, v in parsed
            if v.get("start_date") and not (r.has("id_kegiatan") and r.text("id_kegiatan"))
        }
        by_title: dict[tuple, list] = {}
        if dates:
            for activity in TrainingActivity.objects.for_user(self.user).filter(start_date__in=dates):
                by_title.setdefault((norm_key(activity.title), activity.start_date), []).append(activity)

        touched: list[_Activity] = []
        participants: list[tuple[Row, _Activity, tuple, dict]] = []
        for row, values in parsed:
            activity = self._activity(row, values, by_id, by_title, touched)
            unit = self.units.resolve(row, required=False)
            has_participant = any(row.raw(h) is not None for h in PARTICIPANT_HEADERS if row.has(h))
            row.label = values.get("title", "")
            if not has_participant:
                continue
            if unit is None and not row.errors_for("kode_ikm") and not row.errors_for("nib"):
                row.error("kode_ikm", _("Isi kode_ikm atau NIB unit peserta."))
            pvalues = {
                "attendee_name": row.text("nama_peserta") if row.has("nama_peserta") else "",
                "attendee_gender": row.parse("jenis_kelamin_peserta", GENDERS.parse, default=""),
                "attended": row.parse("hadir", parse_bool, default=True),
                "outcome": row.parse("hasil", OUTCOMES.parse, default=""),
                "note": row.text("catatan") if row.has("catatan") else "",
            }
            if not pvalues["attendee_name"]:
                row.error("nama_peserta", _("Wajib diisi untuk peserta."))
            if not pvalues["attendee_gender"] and not row.errors_for("jenis_kelamin_peserta"):
                row.error("jenis_kelamin_peserta", _("Wajib diisi untuk peserta: L atau P."))
            if activity is not None and unit is not None:
                row.label = f"{values.get('title', '')} — {pvalues['attendee_name']} ({unit[1]})"
                key = (id(activity), unit[0], norm_key(pvalues["attendee_name"]))
                first = self.seen_participants.setdefault(key, row.number)
                if first != row.number:
                    row.error(
                        "nama_peserta",
                        _("Peserta ini sudah ada di baris %(row)s untuk kegiatan yang sama.") % {"row": first},
                    )
                participants.append((row, activity, unit, pvalues))

        existing_participants = {}
        activity_ids = {a.obj.pk for _r, a, _u, _v in participants if not a.is_new and a.obj.pk}
        if activity_ids:
            for p in TrainingParticipant.objects.filter(activity_id__in=activity_ids):
                existing_participants[(p.activity_id, p.unit_id, norm_key(p.attendee_name))] = p

        new_participants, changed_participants = [], []
        for row, activity, unit, pvalues in participants:
            if row.errors:
                continue
            current = (
                None
                if activity.is_new
                else existing_participants.get((activity.obj.pk, unit[0], norm_key(pvalues["attendee_name"])))
            )
            if current is None:
                new_participants.append((activity, TrainingParticipant(unit_id=unit[0], **pvalues)))
                row.status = NEW
                continue
            diffs = [h for h, f in PARTICIPANT_FIELDS.items() if row.has(h) and getattr(current, f) != pvalues[f]]
            if diffs:
                for field, value in pvalues.items():
                    setattr(current, field, value)
                changed_participants.append(current)
                row.status, row.changes = CHANGED, diffs
        self._settle_activity_rows(parsed)
        for row in rows:
            if not row.errors and (
                row.status == NEW and not self.can_add or row.status == CHANGED and not self.can_change
            ):
                row.error("", _("Akun Anda tidak boleh menambah atau mengubah kegiatan pembinaan."))
        if write and not self.report.has_errors and not any(r.errors for r in rows):
            history = self.history_kwargs()
            new_activities = [a.obj for a in touched if a.is_new and a.obj.pk is None]
            if new_activities:
                create_with_history(new_activities, TrainingActivity, **history)
            changed_activities = [a.obj for a in touched if not a.is_new and a.changes]
            if changed_activities:
                present = [f for h, f in ACTIVITY_FIELDS.items() if h in self.present]
                fields = sorted(f[:-3] if f.endswith("_id") else f for f in present)
                bulk_update_with_history(changed_activities, TrainingActivity, fields, batch_size=500, **history)
            if new_participants:
                objs = []
                for activity, participant in new_participants:
                    participant.activity_id = activity.obj.pk
                    objs.append(participant)
                create_with_history(objs, TrainingParticipant, **history)
            if changed_participants:
                bulk_update_with_history(
                    changed_participants,
                    TrainingParticipant,
                    list(PARTICIPANT_FIELDS.values()),
                    batch_size=500,
                    **history,
                )

    def _activity(self, row: Row, values: dict, by_id, by_title, touched) -> "_Activity | None":
        """The activity this row belongs to: found in the file, in the registry, or new."""
        if row.has("id_kegiatan") and row.text("id_kegiatan") and not row.errors_for("id_kegiatan"):
            pk = int(float(row.text("id_kegiatan")))
            key = ("id", pk)
            if key not in self.activities:
                obj = by_id.get(pk)
                if obj is None:
                    row.error(
                        "id_kegiatan", _("Kegiatan nomor %(id)s tidak ditemukan di wilayah kerja Anda.") % {"id": pk}
                    )
                    return None
                self.activities[key] = self._start(row, values, obj, False, touched)
        elif values.get("title") and values.get("start_date"):
            key = ("title", norm_key(values["title"]), values["start_date"])
            if key not in self.activities:
                found = by_title.get((key[1], key[2]), [])
                if len(found) > 1:
                    row.error(
                        "judul",
                        _("Ada %(n)s kegiatan berjudul sama pada tanggal itu: isi id_kegiatan.") % {"n": len(found)},
                    )
                    return None
                if found:
                    self.activities[key] = self._start(row, values, found[0], False, touched)
                else:
                    owner = self._owner_region(row, values)
                    if owner is None:
                        return None
                    obj = TrainingActivity(owner_region_id=owner)
                    self.activities[key] = self._start(row, values, obj, True, touched)
        else:
            return None
        activity = self.activities[key]
        if activity.first_row != row.number and not row.errors:
            for header, field in ACTIVITY_FIELDS.items():
                if field in values and field in activity.values and values[field] != activity.values[field]:
                    row.error(
                        header,
                        _("Berbeda dengan baris %(row)s untuk kegiatan yang sama.") % {"row": activity.first_row},
                    )
                    break
        row.data = activity
        return activity

    def _start(self, row: Row, values: dict, obj: TrainingActivity, is_new: bool, touched) -> _Activity:
        activity = _Activity(row.number, values, obj, is_new)
        for header, field in ACTIVITY_FIELDS.items():
            if field in values and (is_new or getattr(obj, field) != values[field]):
                if not is_new:
                    activity.changes.append(header)
                setattr(obj, field, values[field])
        touched.append(activity)
        return activity

    def _owner_region(self, row: Row, values: dict) -> str | None:
        if self.scope:
            return self.scope
        venue = values.get("venue_village_id")
        if venue:
            return venue[:5]
        row.error(
            "kode_wilayah_tempat",
            _("Akun nasional: isi kode_wilayah_tempat agar kegiatan tercatat di kab/kota tempatnya."),
        )
        return None

    def _settle_activity_rows(self, parsed) -> None:
        """The first row of a new or changed activity carries that status even without a participant."""
        for row, _values in parsed:
            activity = row.data
            if row.errors or activity is None:
                if row.status is None and not row.errors:
                    row.status = UNCHANGED
                continue
            if activity.first_row == row.number:
                if activity.is_new:
                    row.status = NEW
                elif activity.changes:
                    row.status = CHANGED
                    row.changes = activity.changes + [c for c in row.changes if c not in activity.changes]
            if row.status is None:
                row.status = UNCHANGED
