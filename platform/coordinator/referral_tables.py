"""The coordinator's referral figures: referrals between the region's institutions by sending and
receiving institution type, by service type and by the sending institution's county, for a period.

Counts come from `referral_api.region_referral_figures` (migration 0018c: counts and medians, never
a referral or a person) through the coordinator role, and every count column goes through
`disclosure.protect` with the region's rule, its total linked across the tables. A rate is shown
only when both its counts are published; a median only when the count it is taken over is published
and reaches the threshold (a median of one or two referrals would be their own time).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from regionet.tenants.service_catalogue.labels import SERVICE_TYPE_LABELS
from regionet.tenants.service_catalogue.models import ServiceType

from ..ui.formatting import format_number
from .db import region_reader
from .disclosure import SUPPRESSED_MARK, TOTAL, Rule, one_way, protect
from .labels import LabelBook
from .periods import Period

COUNTS = ("sent", "accepted", "declined", "started", "completed")
COUNT_LABELS = {"sent": _l("Sent"), "accepted": _l("Accepted"), "declined": _l("Declined"),
                "started": _l("Started"), "completed": _l("Completed with a result")}
DIMENSIONS = {"sender_kind": _l("By type of the sending institution"),
              "receiver_kind": _l("By type of the receiving institution"),
              "service_type": _l("By type of service"), "county": _l("By county of the sending institution")}


@dataclass
class Line:
    label: str
    cells: list[str]          # the counts, then acceptance and completion rates, then the two medians


@dataclass
class ReferralTable:
    dim: str
    title: str
    lines: list[Line]
    total: Line


def figures(region_code: str, period: Period) -> dict[str, dict[str, dict]]:
    """dim -> key -> the row of the region's figures (the total under dim "total", key "")."""
    found: dict[str, dict[str, dict]] = {}
    with region_reader(region_code) as conn:
        for row in conn.execute(text("SELECT * FROM referral_api.region_referral_figures(:start, :end)"),
                                {"start": period.start, "end": period.end}).mappings():
            found.setdefault(row["dim"], {})[row["key"]] = dict(row)
    return found


def _rate(part, whole) -> str:
    if part is None or whole is None:
        return SUPPRESSED_MARK
    return "—" if whole == 0 else format_number(100 * part / whole, 1) + "%"


def _median(days, n, published_n, rule: Rule) -> str:
    if n == 0 or days is None:
        return "—"
    if published_n is None or n < rule.threshold:
        return SUPPRESSED_MARK
    return format_number(days, 1)


def _label(book: LabelBook, dim: str, key: str) -> str:
    if dim == "service_type":
        return str(SERVICE_TYPE_LABELS.get(ServiceType(key), key)) if key in ServiceType._value2member_map_ else key
    return book.label("inst_kind" if dim.endswith("_kind") else "inst_county", key)


def referral_tables(region_code: str, period: Period, rule: Rule, book: LabelBook) -> list[ReferralTable]:
    data = figures(region_code, period)
    total = data.get("total", {}).get("", {name: 0 for name in COUNTS} | {"accept_n": 0, "start_n": 0,
                                                                           "accept_days": None, "start_days": None})
    tables = []
    for dim, title in DIMENSIONS.items():
        rows = data.get(dim, {})
        keys = sorted(rows, key=lambda k: _label(book, dim, k))
        published = {}
        for measure in COUNTS:
            keep = {(TOTAL, "__value__")} if total[measure] >= rule.threshold else set()
            published[measure] = protect(one_way({k: rows[k][measure] for k in keys}, total=total[measure],
                                                 rows=keys), rule, keep=keep)

        def line(label, key, row, source):
            counts = [source[m].value(key) for m in COUNTS]
            shown = [SUPPRESSED_MARK if value is None else format_number(value) for value in counts]
            sent, accepted, declined, started, completed = counts
            decided = None if accepted is None or declined is None else accepted + declined
            return Line(label, shown + [
                _rate(accepted, decided), _rate(completed, started),
                _median(row["accept_days"], row["accept_n"], accepted, rule),
                _median(row["start_days"], row["start_n"], started, rule)])

        lines = [line(_label(book, dim, key), key, rows[key], published) for key in keys]
        tables.append(ReferralTable(dim, str(title), lines, line(str(_l("Total")), TOTAL, total, published)))
    return tables
