"""Checking the enrolments, support episodes and outcomes of a whole-project import.

Each row is read cell by cell, its person and project found (people of the same file by
their PESEL, before they exist in the database), then checked by the date rules of the forms
(tenants/support/rules.py). Everything the checks look up is loaded once (`Lookups`): a
60,000-row sheet must not cost 60,000 queries. Valid rows get their ids here, so an episode
can name an enrolment of the same file and the insert is a set of plain INSERTs.
"""
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from uuid6 import uuid7

from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.participants.spreadsheet import CellError, ColumnMatch, header_key
from regionet.tenants.support.rules import enrolment_errors, episode_errors, outcome_errors

from .checking import EXAMPLE_ROW
from .kinds import COLUMNS_BY_KIND, SHEET_NAMES, ImportKind, project_cell


@dataclass(frozen=True)
class ProjectRef:
    id: uuid.UUID
    start_date: date
    end_date: date


@dataclass
class EnrolmentRef:
    id: uuid.UUID
    entry_date: date
    exit_date: date | None


@dataclass
class Lookups:
    """What the rows may refer to: loaded once per import (queries.import_lookups)."""

    projects: dict[str, ProjectRef | None]              # header_key(code or title) -> project; None: ambiguous
    people_by_pesel: dict[str, tuple[uuid.UUID, LabourStatus]]
    people_by_id: dict[uuid.UUID, LabourStatus]
    enrolments: dict[tuple[uuid.UUID, uuid.UUID], EnrolmentRef]   # (project, participant) -> enrolment
    # Set by the check itself: rows of the file's own sheets with errors, to say why a reference fails.
    refused_people: dict[str, int] = field(default_factory=dict)       # PESEL -> row in "Uczestnicy"
    refused_enrolments: dict[tuple, int] = field(default_factory=dict)  # (project, participant) -> row
    enrolment_rows: dict[tuple, int] = field(default_factory=dict)      # the valid ones of the file

    def add_people(self, rows: Iterable[tuple[uuid.UUID, dict]]) -> None:
        """The valid participants of the file, under the ids they will be inserted with."""
        for participant_id, values in rows:
            self.people_by_id[participant_id] = values["labour_status"]
            if values.get("pesel"):
                self.people_by_pesel[values["pesel"]] = (participant_id, values["labour_status"])


@dataclass
class CheckedSheet:
    kind: ImportKind
    sheet: str
    total_rows: int = 0
    valid: list[dict] = field(default_factory=list)   # table values, ready to insert
    errors: list[dict] = field(default_factory=list)


REQUIRED_VALUES = {
    ImportKind.ENROLMENTS: {},
    ImportKind.EPISODES: {"instrument": "Wpisz formę wsparcia."},
    ImportKind.OUTCOMES: {"kind": "Wpisz rezultat."},
}
PARTICIPANTS_SHEET = SHEET_NAMES[ImportKind.PARTICIPANTS]
ENROLMENTS_SHEET = SHEET_NAMES[ImportKind.ENROLMENTS]


def check_project_rows(kind: ImportKind, sheet: str, rows: Iterable[tuple[int, tuple]], columns: ColumnMatch,
                       lookups: Lookups, today: date, progress: Callable[[int], None] = lambda done: None
                       ) -> CheckedSheet:
    """Check one sheet; `progress` hears how many rows were read (every 1,000)."""
    checked = CheckedSheet(kind, sheet)
    headers = {column.field: column.header for column in COLUMNS_BY_KIND[kind]}
    by_column = {column.field: column for column in COLUMNS_BY_KIND[kind]}
    row_check = {ImportKind.ENROLMENTS: _enrolment, ImportKind.EPISODES: _episode,
                 ImportKind.OUTCOMES: _outcome}[kind]
    for count, (number, cells) in enumerate(rows, start=1):
        if count % 1000 == 0:
            progress(count)
        raw = {name: (cells[position] if position < len(cells) else None)
               for name, position in columns.index.items()}
        if str(raw.get("pesel") or "").strip() == EXAMPLE_ROW["pesel"]:
            continue   # the template's example person: skipped with the example row of "Uczestnicy"
        checked.total_rows += 1
        errors: dict[str, list[str]] = {}
        values = {}
        for name, value in raw.items():
            try:
                values[name] = project_cell(by_column[name], value)
            except CellError as error:
                errors.setdefault(name, []).append(str(error))
        person = project = None
        if not errors.keys() & {"pesel", "participant_id"}:
            person = _person(values, lookups, errors)
        if "project" not in errors:
            project = _project(values, lookups, errors)
        for name, message in REQUIRED_VALUES[kind].items():
            if name not in errors and values.get(name) is None:
                errors.setdefault(name, []).append(message)
        if person and project:
            key = (project.id, person[0])
            record = None if errors else row_check(values, person, project, lookups, today, errors)
            if record is not None and not errors:
                checked.valid.append(record)
                if kind is ImportKind.ENROLMENTS:
                    lookups.enrolments[key] = EnrolmentRef(record["id"], record["entry_date"], record["exit_date"])
                    lookups.enrolment_rows[key] = number
            elif kind is ImportKind.ENROLMENTS:
                lookups.refused_enrolments.setdefault(key, number)
        for name, messages in errors.items():
            checked.errors.extend({"sheet": sheet, "row": number, "column": headers[name],
                                   "value": _shown(raw.get(name)), "message": message} for message in messages)
    return checked


def _person(values: dict, lookups: Lookups, errors: dict) -> tuple[uuid.UUID, LabourStatus] | None:
    pesel, participant_id = values.get("pesel"), values.get("participant_id")
    if pesel:
        found = lookups.people_by_pesel.get(pesel)
        if found is None:
            row = lookups.refused_people.get(pesel)
            errors.setdefault("pesel", []).append(
                f"Osoba z tym numerem PESEL ma błędy w arkuszu „{PARTICIPANTS_SHEET}” (wiersz {row})." if row else
                f"Nie ma uczestnika z tym numerem PESEL ani w arkuszu „{PARTICIPANTS_SHEET}”, ani wśród "
                "uczestników instytucji.")
            return None
        if participant_id and participant_id != found[0]:
            errors.setdefault("participant_id", []).append("Ten identyfikator należy do innej osoby niż PESEL "
                                                           "w tym wierszu.")
            return None
        return found
    if participant_id:
        status = lookups.people_by_id.get(participant_id)
        if status is None:
            errors.setdefault("participant_id", []).append("Nie ma uczestnika o tym identyfikatorze.")
            return None
        return participant_id, status
    errors.setdefault("pesel", []).append("Wpisz PESEL uczestnika (albo jego identyfikator z platformy).")
    return None


def _project(values: dict, lookups: Lookups, errors: dict) -> ProjectRef | None:
    name = values.get("project")
    if not name:
        errors.setdefault("project", []).append("Wpisz kod albo tytuł projektu.")
        return None
    key = header_key(name)
    if key not in lookups.projects:
        errors.setdefault("project", []).append("Nie ma projektu o tym kodzie ani tytule. Wpisz kod albo tytuł, "
                                                "jak na liście projektów.")
        return None
    project = lookups.projects[key]
    if project is None:
        errors.setdefault("project", []).append("Kilka projektów ma ten tytuł: wpisz kod projektu.")
    return project


def _merge(errors: dict, found: dict[str, list[str]], fields: dict[str, str]) -> None:
    for name, messages in found.items():
        errors.setdefault(fields.get(name, name), []).extend(messages)


def _enrolment(values, person, project, lookups, today, errors) -> dict | None:
    participant_id, labour_status = person
    _merge(errors, enrolment_errors(project, values.get("entry_date"), values.get("exit_date"), today), {})
    key = (project.id, participant_id)
    if key in lookups.enrolments:
        row = lookups.enrolment_rows.get(key)
        errors.setdefault("project", []).append(
            f"Ta osoba jest już zapisana do tego projektu w wierszu {row} tego arkusza." if row else
            "Ta osoba jest już zapisana do tego projektu.")
    if errors:
        return None
    return {"id": uuid7(), "project_id": project.id, "participant_id": participant_id,
            "entry_date": values["entry_date"], "exit_date": values.get("exit_date"),
            "status_at_entry": values.get("status_at_entry") or labour_status,
            "exit_situation": None, "exit_reason": None}


def _enrolment_of(person, project, lookups, errors) -> EnrolmentRef | None:
    key = (project.id, person[0])
    enrolment = lookups.enrolments.get(key)
    if enrolment is None:
        row = lookups.refused_enrolments.get(key)
        errors.setdefault("project", []).append(
            f"Udział tej osoby w projekcie ma błędy w arkuszu „{ENROLMENTS_SHEET}” (wiersz {row})." if row else
            f"Ta osoba nie uczestniczy w tym projekcie: dopisz ją w arkuszu „{ENROLMENTS_SHEET}”.")
    return enrolment


def _episode(values, person, project, lookups, today, errors) -> dict | None:
    enrolment = _enrolment_of(person, project, lookups, errors)
    if enrolment is None:
        return None
    _merge(errors, episode_errors(enrolment, values.get("start_date"), values.get("end_date"), values.get("hours"),
                                  today), {})
    if errors:
        return None
    return {"id": uuid7(), "enrolment_id": enrolment.id, "instrument": values["instrument"],
            "start_date": values["start_date"], "end_date": values.get("end_date"), "hours": values.get("hours"),
            "notes": values.get("notes") or None}


def _outcome(values, person, project, lookups, today, errors) -> dict | None:
    enrolment = _enrolment_of(person, project, lookups, errors)
    if enrolment is None:
        return None
    _merge(errors, outcome_errors(enrolment, values.get("achieved_on"), today), {})
    if errors:
        return None
    return {"id": uuid7(), "enrolment_id": enrolment.id, "kind": values["kind"],
            "achieved_on": values["achieved_on"], "evidence": values.get("evidence") or None}


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:100]
