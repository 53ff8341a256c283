"""Stored values as people read them: labels instead of keys, Polish dates, commune names."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from regionet.platform.ui.formatting import day_formatter, format_day
from regionet.platform.ui.labels import LabelMap
from regionet.platform.ui.urls import row_url
from regionet.tenants.audit.models import REDACTED

from .communes import CommuneCatalogue
from .labels import VALUE_LABELS

DATE_FIELDS = {"birth_date", "legal_basis_date", "consent_date"}
# A special-category answer for a member not granted to see it: that an answer exists, not what.
ANSWER_HIDDEN = _l("answer recorded (visible to those granted access)")


@dataclass(frozen=True, slots=True)
class ListLine:
    """One line of the participant list as it is printed (the template only places the texts)."""

    url: str
    name: str
    pesel: str
    birth_date: str
    sex: str
    commune: str
    status: str
    registered: str
    participant_id: str = ""
    tick_label: str = ""


def list_lines(rows, sex_labels: LabelMap, status_labels: LabelMap) -> list[ListLine]:
    """The list's lines, with the language, labels and link resolved once for the page, not per cell."""
    day, sexes, statuses, no_pesel = day_formatter(), sex_labels.translated(), status_labels.translated(), \
        _("no PESEL")
    tick = _("Tick %(name)s")   # translated once; each line fills in its name (the template escapes it)
    lines = []
    for row in rows:
        name = f"{row.last_name} {row.first_name}"
        lines.append(ListLine(row_url("tenant_participants.detail", participant_id=row.id), name,
                              row.pesel or no_pesel, day(row.birth_date), sexes[row.sex], row.commune_name or "—",
                              statuses[row.labour_status], day(row.created_at), str(row.id),
                              tick % {"name": name}))
    return lines


def display_value(name: str, value, communes: CommuneCatalogue) -> str | None:
    """One field's value for a page; None stays None (the page shows a dash)."""
    if value is None or value == "":
        return None
    if value == REDACTED:
        return REDACTED   # the history macro shows it as "removed (erasure)"
    if name in VALUE_LABELS:
        key = getattr(value, "value", value)
        return str(next((label for member, label in VALUE_LABELS[name].items() if member.value == key), key))
    if name in DATE_FIELDS:
        return format_day(date.fromisoformat(value) if isinstance(value, str) else value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "commune_code":
        commune = communes.get(value)
        return f"{commune.name} ({commune.code})" if commune else value
    return str(value)


@dataclass(frozen=True)
class ReadableChange:
    """A ChangeRecord with readable values, for the `change_history` macro."""

    action: object
    at: datetime
    user: object
    changes: dict


def readable_history(records, communes: CommuneCatalogue, hidden: frozenset = frozenset()) -> list[ReadableChange]:
    """`hidden` fields (special categories the reader may not see) show that a value exists only."""
    def shown(name, value):
        value = display_value(name, value, communes)
        return ANSWER_HIDDEN if name in hidden and value not in (None, REDACTED) else value

    readable = []
    for record in records:
        if record.action.value == "update":
            changes = {name: [shown(name, old), shown(name, new)] for name, (old, new) in record.changes.items()}
        else:
            changes = {name: shown(name, value) for name, value in record.changes.items()}
        readable.append(ReadableChange(record.action, record.at, record.user, changes))
    return readable


def pick_label(person) -> str:
    """One person in a picker: "Kowalska Anna · PESEL 85010112345" (or the birth date)."""
    if person.pesel:
        return f"{person.last_name} {person.first_name} · PESEL {person.pesel}"
    return _("%(name)s · born %(day)s", name=f"{person.last_name} {person.first_name}",
             day=person.birth_date.strftime("%d.%m.%Y"))
