"""The change history of a partner or an agreement, in words a user reads.

The stored history keeps raw values (enum values, ISO dates, ids); here they become
labels and Polish dates for the page. Records are copied, never modified, so nothing
of the stored history changes. An edit that changed both fields and parties is stored
as two records of one transaction (same time and user) and shown as one.
"""
from datetime import date
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from regionet.platform.ui.formatting import format_day
from regionet.tenants.audit.models import ChangeAction
from regionet.tenants.audit.queries import history_for

from .labels import AGREEMENT_KIND_LABELS, PARTNER_KIND_LABELS
from .models import AgreementKind, PartnerKind


def _day(value):
    try:
        return format_day(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def _label(labels, enum_class):
    def render(value):
        try:
            return str(labels[enum_class(value)])
        except ValueError:
            return value
    return render


def _attached(value):
    # A replaced document changes one id for another: say "a file", not the id.
    return None if value is None else str(_l("a file"))


PARTNER_FORMATTERS = {"kind": _label(PARTNER_KIND_LABELS, PartnerKind)}
AGREEMENT_FORMATTERS = {"kind": _label(AGREEMENT_KIND_LABELS, AgreementKind), "signed_on": _day,
                        "valid_from": _day, "valid_to": _day, "document_id": _attached}


def _display(changes: dict, formatters: dict) -> dict:
    shown = {}
    for field, values in changes.items():
        render = formatters.get(field, lambda v: v)
        if isinstance(values, list) and len(values) == 2:
            shown[field] = [render(values[0]), render(values[1])]
        else:
            shown[field] = render(values)
    return shown


def readable_history(obj, formatters: dict, hidden: tuple[str, ...] = ()) -> list[SimpleNamespace]:
    shown: list[SimpleNamespace] = []
    for record in history_for(obj):
        changes = {k: v for k, v in _display(record.changes or {}, formatters).items() if k not in hidden}
        previous = shown[-1] if shown else None
        if (previous is not None and record.action is ChangeAction.UPDATE and previous.action is ChangeAction.UPDATE
                and previous.at == record.at and previous.user_id == record.user_id):
            previous.changes.update(changes)
            continue
        if record.action is ChangeAction.UPDATE and not changes:
            continue
        shown.append(SimpleNamespace(action=record.action, at=record.at, user=record.user, user_id=record.user_id,
                                     changes=changes))
    return shown
