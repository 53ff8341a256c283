"""The periods figures are summarised for: calendar years, half-years and quarters, and
the reporting periods a coordinator opens.

A period has a key used everywhere (facts, summary rows, URLs): "2026", "2026-H1",
"2026-Q3", or "rp-<hex id>" for a reporting period. The calendar window is the current
year and the YEARS_BACK years before it; older records are not summarised.
"""
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import has_app_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..ui.formatting import current_language, today_in_poland

YEARS_BACK = 4
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER_SHORT = {1: _l("Q1"), 2: _l("Q2"), 3: _l("Q3"), 4: _l("Q4")}
HALF_SHORT = {1: _l("H1"), 2: _l("H2")}
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>[HQ])(?P<n>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date
    kind: str                   # "year", "half", "quarter" or "reporting"
    name: str | None = None     # a reporting period's own name

    @property
    def label(self) -> str:
        if self.kind == "reporting":
            return self.name or self.key
        if not has_app_context():   # no catalogue to translate with: nothing worth caching
            return _calendar_label.__wrapped__(self.key, self.kind, "")
        return _calendar_label(self.key, self.kind, current_language())

    @property
    def short_label(self) -> str:
        """A compact label for chart axes."""
        match = _KEY.match(self.key) if self.kind != "reporting" else None
        if match is None or self.kind == "year":
            return self.label if self.kind == "reporting" else self.key
        names = HALF_SHORT if self.kind == "half" else QUARTER_SHORT
        return f"{names[int(match['n'])]} {match['year']}"

    @property
    def is_reporting(self) -> bool:
        return self.kind == "reporting"

    @property
    def year(self) -> int:
        return self.start.year


@lru_cache(maxsize=512)
def _calendar_label(key: str, kind: str, language: str) -> str:
    """Translated once per language (the period selector lists every summarised period)."""
    match = _KEY.match(key)
    year, n = match["year"], match["n"]
    if kind == "half":
        return gettext("Half-year %(roman)s %(year)s", roman=ROMAN[int(n)], year=year)
    if kind == "quarter":
        return gettext("Quarter %(roman)s %(year)s", roman=ROMAN[int(n)], year=year)
    return gettext("Year %(year)s", year=year)


def year_period(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), "year")


def half_period(year: int, half: int) -> Period:
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period(f"{year}-H{half}", start, end, "half")


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 3 * quarter + 1, 1) if quarter < 4 else date(year + 1, 1, 1)
    return Period(f"{year}-Q{quarter}", start, date.fromordinal(end.toordinal() - 1), "quarter")


def periods_of_year(year: int) -> list[Period]:
    return [year_period(year), half_period(year, 1), half_period(year, 2)] + [
        quarter_period(year, q) for q in range(1, 5)]


def calendar_window(today: date | None = None) -> list[int]:
    today = today or today_in_poland()
    return list(range(today.year - YEARS_BACK, today.year + 1))


def calendar_periods(today: date | None = None) -> list[Period]:
    return [p for year in calendar_window(today) for p in periods_of_year(year)]


def calendar_period(key: str) -> Period | None:
    """The calendar period a key names, or None."""
    match = _KEY.match(key or "")
    if not match:
        return None
    year = int(match["year"])
    if match["part"] is None:
        return year_period(year)
    if match["part"] == "H" and match["n"] in ("1", "2"):
        return half_period(year, int(match["n"]))
    if match["part"] == "Q":
        return quarter_period(year, int(match["n"]))
    return None


def reporting_key(period_id) -> str:
    return f"rp-{period_id.hex}"


def buckets(granularity: str, years: list[int]) -> list[Period]:
    """The periods of a trend: every quarter, half-year or year of `years`."""
    result = []
    for year in years:
        if granularity == "quarter":
            result += [quarter_period(year, q) for q in range(1, 5)]
        elif granularity == "half":
            result += [half_period(year, h) for h in (1, 2)]
        else:
            result.append(year_period(year))
    return result


def years_back(birth_cut: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return birth_cut.replace(year=birth_cut.year - years)
    except ValueError:
        return birth_cut.replace(year=birth_cut.year - years, day=28)
