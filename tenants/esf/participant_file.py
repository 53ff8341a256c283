"""The ESF participant file of a project: one row per participation, in the monitoring system's
column order, with its Polish headers and value codes.

Everything the system asks (order, headers, codes, constants) is in
`data/sm_efs_participants.json`, which names its source: a correction is a one-line change
there. The DEGURBA class of a commune is data too (`data/degurba.csv`).
"""
import csv
import json
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from flask_babel import force_locale
from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.regions.models import TerytUnit
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.spreadsheet import SPECIAL_HIDDEN
from regionet.tenants.support.labels import INSTRUMENT_LABELS
from regionet.tenants.support.models import Enrolment, SupportEpisode

DATA = Path(__file__).resolve().parent / "data"
SENSITIVE = ("foreign_origin", "third_country_national", "minority", "homeless", "disability", "jobless_household")


@dataclass(frozen=True)
class FileMapping:
    source: str
    date_format: str
    columns: tuple[tuple[str, str], ...]
    constants: dict
    codes: dict

    @property
    def headers(self) -> list[str]:
        return [header for header, _field in self.columns]


@cache
def mapping() -> FileMapping:
    raw = json.loads((DATA / "sm_efs_participants.json").read_text(encoding="utf-8"))
    return FileMapping(raw["source"], raw["date_format"], tuple(tuple(c) for c in raw["columns"]),
                       raw["constants"], raw["codes"])


@cache
def degurba_classes() -> dict[str, str]:
    with (DATA / "degurba.csv").open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter=";")
        next(rows, None)
        return {code: degurba for code, degurba in rows}


def _code(kind: str, value) -> str:
    if value is None:
        return ""
    key = getattr(value, "value", value)
    return mapping().codes[kind].get(str(key).lower() if isinstance(key, bool) else str(key), str(key))


def participant_file_rows(project_id: uuid.UUID, institution_name: str, hide_special: bool = False) -> list[list[str]]:
    """The rows of the project's participant file, in Polish name order (always in Polish); for a
    reader not granted special-category data, those answers say only that one was given."""
    with force_locale("pl"):
        return _rows(project_id, institution_name, hide_special)


def _rows(project_id: uuid.UUID, institution_name: str, hide_special: bool) -> list[list[str]]:
    spec = mapping()
    enrolments = db.session.execute(
        select(Enrolment).join(Participant, Participant.id == Enrolment.participant_id)
        .where(Enrolment.project_id == project_id).order_by(Participant.name_key, Enrolment.id)).scalars().all()
    support = _support_of([e.id for e in enrolments])
    units = _units({e.participant.commune_code for e in enrolments if e.participant.commune_code})
    rows = [_row(spec, enrolment, support.get(enrolment.id, ([], None)), units, institution_name)
            for enrolment in enrolments]
    if hide_special:
        hidden = [i for i, (_header, name) in enumerate(spec.columns) if name in SENSITIVE]
        for row in rows:
            for i in hidden:
                row[i] = SPECIAL_HIDDEN if row[i] else ""
    return rows


def _support_of(enrolment_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[list, date | None]]:
    """{enrolment: (its instruments in Polish order of their labels, the first day of support)}."""
    if not enrolment_ids:
        return {}
    rows = db.session.execute(
        select(SupportEpisode.enrolment_id, SupportEpisode.instrument, func.min(SupportEpisode.start_date))
        .where(SupportEpisode.enrolment_id.in_(enrolment_ids))
        .group_by(SupportEpisode.enrolment_id, SupportEpisode.instrument)).all()
    found: dict[uuid.UUID, tuple[list, date | None]] = {}
    for enrolment_id, instrument, first in rows:
        instruments, start = found.get(enrolment_id, ([], None))
        found[enrolment_id] = (instruments + [instrument], min(d for d in (start, first) if d is not None))
    return found


def _units(commune_codes: set[str]) -> dict[str, str]:
    codes = set(commune_codes) | {c[:4] for c in commune_codes} | {c[:2] for c in commune_codes}
    if not codes:
        return {}
    return dict(db.session.execute(select(TerytUnit.code, TerytUnit.name).where(TerytUnit.code.in_(codes))).all())


def _row(spec: FileMapping, enrolment: Enrolment, support: tuple[list, date | None], units: dict[str, str],
         institution_name: str) -> list[str]:
    person = enrolment.participant
    commune = person.commune_code or ""
    instruments, support_start = support

    def day(value: date | None) -> str:
        return value.strftime(spec.date_format) if value else ""

    values = {
        **spec.constants,
        "institution": institution_name,
        "first_name": person.first_name, "last_name": person.last_name, "pesel": person.pesel or "",
        "no_pesel": _code("no_pesel", person.pesel is None), "sex": _code("sex", person.sex),
        "age_at_entry": str(person.age_on(enrolment.entry_date)), "education": _code("education", person.education),
        "citizenship": _code("citizenship", person.citizenship),
        "voivodeship": units.get(commune[:2], "").lower(), "county": units.get(commune[:4], ""),
        "commune": units.get(commune, ""), "commune_code": commune, "locality": person.locality or "",
        "postal_code": person.postal_code or "", "degurba": _code("degurba", degurba_classes().get(commune)),
        "phone": person.phone or "", "email": person.email or "",
        "entry_date": day(enrolment.entry_date), "exit_date": day(enrolment.exit_date),
        "labour_status": _code("labour_status", enrolment.status_at_entry),
        **{name: _code("sensitive", getattr(person, name)) for name in SENSITIVE},
        "exit_situation": _code("exit_situation", enrolment.exit_situation),
        "exit_reason": _code("exit_reason", enrolment.exit_reason),
        "support_kinds": "; ".join(sorted(str(INSTRUMENT_LABELS[i]) for i in instruments)),
        "support_start": day(support_start),
    }
    return [values[name] for _header, name in spec.columns]
