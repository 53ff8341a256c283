"""The report's periods (quarters) and how they map onto the coordinator's periods and sign-off."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _

from regionet.platform.coordinator.periods import Period, quarter_period
from regionet.platform.coordinator.queries import reporting_periods_of_region, status_counts
from regionet.platform.ui.formatting import format_day

WARSAW = ZoneInfo("Europe/Warsaw")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SCHEDULED_HOUR = 6   # scheduled reports are built at 06:00 Warsaw time on the first day of a quarter


@dataclass(frozen=True)
class ReportPeriod:
    key: str          # "2026Q3" for a whole quarter, "2026Q4-current" for the current one so far
    start: date
    end: date
    label: str        # in Polish: reports are Polish documents

    def to_json(self) -> dict:
        return {"key": self.key, "start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return start, end


def _label(year: int, quarter: int, until: date | None = None) -> str:
    with force_locale("pl"):
        text = _("Q%(n)s %(year)s", n=quarter, year=year)
        if until is not None:
            text += " " + _("(until %(day)s)", day=format_day(until))
    return text


def whole_quarter(year: int, quarter: int) -> ReportPeriod:
    start, end = quarter_bounds(year, quarter)
    return ReportPeriod(f"{year}Q{quarter}", start, end, _label(year, quarter))


def current_quarter(today: date) -> ReportPeriod:
    year, quarter = quarter_of(today)
    start, _end = quarter_bounds(year, quarter)
    return ReportPeriod(f"{year}Q{quarter}-current", start, today, _label(year, quarter, until=today))


def previous_quarter(today: date) -> ReportPeriod:
    year, quarter = quarter_of(today)
    return whole_quarter(year - (quarter == 1), 4 if quarter == 1 else quarter - 1)


def period_choices(today: date, count: int = 4) -> list[ReportPeriod]:
    """The current quarter so far and the previous `count` whole quarters."""
    periods = [current_quarter(today)]
    day = today
    for _i in range(count):
        period = previous_quarter(day)
        periods.append(period)
        day = period.start
    return periods


def period_from_key(key: str, today: date) -> ReportPeriod | None:
    return next((p for p in period_choices(today, 8) if p.key == key), None)


def next_quarter_start(after: datetime) -> datetime:
    """06:00 Warsaw time on the first day of the quarter after `after` (returned in UTC)."""
    local = after.astimezone(WARSAW).date()
    year, quarter = quarter_of(local)
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    start, _end = quarter_bounds(year, quarter)
    return datetime.combine(start, time(SCHEDULED_HOUR), WARSAW).astimezone(UTC)


def coordinator_period(region_code: str, period: ReportPeriod) -> tuple[Period, object | None]:
    """The coordinator's period the report's figures are read for, and its reporting period.

    A quarter the coordinator opened as a reporting period (same first and last day) is
    read as that reporting period, whose submissions say how far it is signed off;
    any other quarter is the calendar quarter of the figures summary.
    """
    year, quarter = quarter_of(period.start)
    calendar = quarter_period(year, quarter)
    for row in reporting_periods_of_region(region_code):
        if row.start_date == calendar.start and row.end_date == calendar.end:
            return Period(row.period_key, row.start_date, row.end_date, "reporting", row.name), row
    return calendar, None


def period_sign_off(region_code: str, reporting) -> dict:
    """The sign-off of the report's period by the institutions (from their submissions), in Polish.

    `state` is short (kept in the report row): "signed_off" when every institution's
    submission was accepted, "in_progress" otherwise, "none" without a reporting period.
    """
    with force_locale("pl"):
        if reporting is None:
            return {"state": "none", "label": _("no reporting period"), "text": _(
                "The coordinator has not opened this quarter as a reporting period: the figures are the "
                "institutions' current records, not signed off.")}
        counts = status_counts(region_code, reporting.id)
        total = sum(counts.values())
        accepted = counts.get("accepted", 0)
        signed_off = total > 0 and accepted == total
        text = _("Reporting period “%(name)s”: accepted for %(accepted)s of %(total)s institutions (submitted, "
                 "awaiting the coordinator: %(submitted)s; returned: %(returned)s; not submitted: %(open)s).",
                 name=reporting.name, accepted=accepted, total=total, submitted=counts.get("submitted", 0),
                 returned=counts.get("returned", 0), open=counts.get("open", 0))
        label = _("signed off") if signed_off else _("signed off by %(n)s of %(total)s", n=accepted, total=total)
    return {"state": "signed_off" if signed_off else "in_progress", "label": label, "text": text,
            "reporting_period": {"id": str(reporting.id), "key": reporting.period_key, "name": reporting.name}}
