"""Checking every row of an import with the participant rules the form uses.

A row is read cell by cell (dates, tak/nie/odmowa, the status words), then checked by
`participants.validation.check_participant`, the same function behind the form. On top
of that come the checks only a whole file has: a PESEL twice in the file, or a PESEL
the institution has already registered.
"""
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.spreadsheet import COLUMN_BY_FIELD, COLUMNS, CellError, ColumnMatch, cell_value
from regionet.tenants.participants.validation import check_participant, duplicate_pesel_message

from .reader import Table

# The example row of the template: left in by mistake, it is skipped rather than imported.
EXAMPLE_ROW = {"first_name": "Jan", "last_name": "Przykładowy", "pesel": "44051401359"}


@dataclass
class CheckedFile:
    total_rows: int = 0
    valid: list[tuple[int, dict]] = field(default_factory=list)   # (row number, checked values)
    errors: list[dict] = field(default_factory=list)
    example_rows: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # PESEL -> row, of rows with errors (other sheets say so)

    @property
    def rows_with_errors(self) -> int:
        return len({error["row"] for error in self.errors})


def check_rows(table: Table, columns: ColumnMatch, communes: CommuneCatalogue, today: date,
               registered: dict[str, uuid.UUID], progress: Callable[[int], None] = lambda p: None) -> CheckedFile:
    """Check every row; `progress` hears 0–50 (checking is the first half of an import)."""
    checked = CheckedFile()
    by_pesel: dict[str, list[int]] = {}
    candidates: dict[int, dict] = {}
    rows = list(table.rows)
    step = max(1, len(rows) // 25)
    for position, (number, cells) in enumerate(rows, start=1):
        if position % step == 0:
            progress(50 * position // len(rows))
        raw = {name: (cells[position] if position < len(cells) else None) for name, position in columns.index.items()}
        if _is_example(raw):
            checked.example_rows += 1
            continue
        checked.total_rows += 1
        row_errors, values = _check_row(number, raw, communes, today)
        checked.errors.extend(row_errors)
        if not row_errors:
            candidates[number] = values
        elif values.get("pesel"):
            checked.refused.setdefault(values["pesel"], number)
        if values["pesel"] and not any(error["column"] == "PESEL" for error in row_errors):
            by_pesel.setdefault(values["pesel"], []).append(number)
    for pesel, numbers in by_pesel.items():
        if len(numbers) > 1:
            for number in numbers:
                checked.errors.append(_error(number, "pesel", pesel, _repeated_message(number, numbers)))
                candidates.pop(number, None)
            checked.refused.setdefault(pesel, numbers[0])
        elif pesel in registered:
            checked.errors.append(_error(numbers[0], "pesel", pesel, duplicate_pesel_message(),
                                         participant_id=str(registered[pesel])))
            candidates.pop(numbers[0], None)
    checked.valid = sorted(candidates.items())
    checked.errors.sort(key=lambda error: (error["row"], _column_order(error["column"])))
    return checked


def _check_row(number: int, raw: dict, communes: CommuneCatalogue, today: date) -> tuple[list[dict], dict]:
    errors, data, unreadable = [], {}, set()
    for name, value in raw.items():
        try:
            data[name] = cell_value(COLUMN_BY_FIELD[name], value)
        except CellError as error:
            errors.append(_error(number, name, value, str(error)))
            unreadable.add(name)
    data["no_pesel"] = not data.get("pesel") and "pesel" not in unreadable
    result = check_participant(data, communes, today, frozenset(unreadable))
    for name, messages in result.errors.items():
        errors.extend(_error(number, name, raw.get(name), message) for message in messages)
    return errors, result.values


def missing_columns_message(headers: list[str]) -> str:
    return _("The file lacks required columns: %(columns)s. Use the headers of the template.",
             columns=", ".join(headers))


def _repeated_message(number: int, numbers: list[int]) -> str:
    others = ", ".join(str(n) for n in numbers if n != number)
    return f"Ten PESEL występuje w pliku więcej niż raz (także w wierszu {others})."


def _error(row: int, name: str, value, message: str, participant_id: str | None = None) -> dict:
    error = {"row": row, "column": COLUMN_BY_FIELD[name].header, "value": _shown(value), "message": message}
    if participant_id:
        error["participant_id"] = participant_id
    return error


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:100]


def _is_example(raw: dict) -> bool:
    return all(str(raw.get(name) or "").strip() == value for name, value in EXAMPLE_ROW.items())


_ORDER = {column.header: position for position, column in enumerate(COLUMNS)}


def _column_order(header: str) -> int:
    return _ORDER.get(header, len(_ORDER))
