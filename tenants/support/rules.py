"""The date rules of enrolments, support episodes and outcomes, in one place.

Each function returns {form field: [messages]}; an empty dict means the data are valid.
"Today" is the date in Poland: a record dated tomorrow is a typing mistake, not a plan.
"""
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from regionet.platform.ui.formatting import format_day

POLAND = ZoneInfo("Europe/Warsaw")


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def enrolment_errors(project, entry: date | None, exit_: date | None, today: date,
                     episodes_span: tuple[date | None, date | None] = (None, None)) -> dict[str, list[str]]:
    """`episodes_span`: the earliest and latest date of the enrolment's support and outcomes (edits)."""
    errors: dict[str, list[str]] = {}
    if entry is None:
        _add(errors, "entry_date", _("Enter the date the participant entered the project."))
        return errors
    if entry > today:
        _add(errors, "entry_date", _("The entry date cannot be in the future."))
    if not project.start_date <= entry <= project.end_date:
        _add(errors, "entry_date", _("The entry date must fall within the project period (%(start)s – %(end)s).",
                                     start=format_day(project.start_date), end=format_day(project.end_date)))
    if exit_ is not None:
        if exit_ < entry:
            _add(errors, "exit_date", _("The exit date cannot be earlier than the entry date."))
        elif exit_ > today:
            _add(errors, "exit_date", _("The exit date cannot be in the future."))
        elif exit_ > project.end_date:
            _add(errors, "exit_date", _("The exit date must fall within the project period (%(start)s – %(end)s).",
                                        start=format_day(project.start_date), end=format_day(project.end_date)))
    first, last = episodes_span
    if first is not None and first < entry:
        _add(errors, "entry_date", _("Support or an outcome of this enrolment is dated %(day)s, before this entry "
                                     "date.", day=format_day(first)))
    if last is not None and exit_ is not None and exit_ >= entry and last > exit_:
        _add(errors, "exit_date", _("Support of this enrolment runs until %(day)s, after this exit date.",
                                    day=format_day(last)))
    return errors


def episode_errors(enrolment, start: date | None, end: date | None, hours: Decimal | None,
                   today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if start is None:
        _add(errors, "start_date", _("Enter the date the support started."))
        return errors
    period = {"start": format_day(enrolment.entry_date),
              "end": format_day(enrolment.exit_date) if enrolment.exit_date else _("now")}
    if start > today:
        _add(errors, "start_date", _("The start date cannot be in the future."))
    elif start < enrolment.entry_date or (enrolment.exit_date and start > enrolment.exit_date):
        _add(errors, "start_date", _("Support must fall within the participant's enrolment (%(start)s – %(end)s).",
                                     **period))
    if end is not None:
        if end < start:
            _add(errors, "end_date", _("The end date cannot be earlier than the start date."))
        elif end > today:
            _add(errors, "end_date", _("The end date cannot be in the future."))
        elif enrolment.exit_date and end > enrolment.exit_date:
            _add(errors, "end_date", _("Support must fall within the participant's enrolment (%(start)s – %(end)s).",
                                       **period))
    if hours is not None and hours > Decimal(9999):
        _add(errors, "hours", _("Enter the number of hours (at most 9 999)."))
    return errors


def outcome_errors(enrolment, achieved_on: date | None, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if achieved_on is None:
        _add(errors, "achieved_on", _("Enter the date of the outcome."))
    elif achieved_on > today:
        _add(errors, "achieved_on", _("The date of the outcome cannot be in the future."))
    elif achieved_on < enrolment.entry_date:
        _add(errors, "achieved_on", _("An outcome cannot come before the participant entered the project "
                                      "(%(day)s).", day=format_day(enrolment.entry_date)))
    return errors
