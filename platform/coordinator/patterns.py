"""Which of the region's figures are published: one suppression pattern per linked set, kept.

The linked sets (figure_links.py): the seven calendar periods of a year (year, half-years,
quarters) with every measure, breakdown and cross-table; a reporting period on its own (a
reporting period with a calendar period's dates shares that period's pattern, as its
figures are the same). Each set is protected once (`linked.protect_linked`) after the
region's figures are recounted, by the worker that recounted them, and the pattern is
stored per period in `region_figure_patterns` with a stamp of what it was computed from.
Every page, export, chart and PDF reads the pattern through `patterns_for`; a pattern whose
stamp no longer matches (figures recounted since, thresholds changed, another algorithm) is
recomputed there and then, so nothing is ever shown from a stale one.

Recomputing is skipped where it would give the same answer: a pattern is stored with a
digest of everything it is a function of (the set's cells, the places of the institutions,
the thresholds, ALGORITHM and the coordinator package's source), and a set whose digest has
not moved keeps its pattern under the new stamp. A region's recount thus protects again only
the years whose figures changed (issue 11, "incremental recount").

Reads and writes go through the coordinator role (the runtime role has no access to the
patterns, nor to the figures).
"""
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from ..institutions.models import Institution
from .db import region_reader, region_writer
from .figure_links import linked_set
from .linked import Inconsistent, protect_linked
from .models import RegionFigure, RegionFigurePattern, RegionFigureStatus
from .periods import Period, calendar_period, periods_of_year

log = logging.getLogger(__name__)

ALGORITHM = "linked-2"       # change it when the rules change: every stored pattern is then recomputed


def _code_fingerprint() -> str:
    """The coordinator package's source, hashed: a pattern reused by its digest (do_protect_set) is
    never one computed by other rules, even when a change forgot to move ALGORITHM."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


CODE = _code_fingerprint()


@dataclass(frozen=True)
class Pattern:
    """The hidden cells of one period: one-way (measure, dim, key) and cross (measure, dim_a, key_a, dim_b, key_b)."""

    one_way: frozenset
    cross: frozenset

    def hides(self, measure: str, dim: str, key: str) -> bool:
        return (measure, dim, key) in self.one_way

    def hides_cross(self, measure: str, dim_a: str, key_a: str, dim_b: str, key_b: str) -> bool:
        return (measure, dim_a, key_a, dim_b, key_b) in self.cross


EMPTY = Pattern(frozenset(), frozenset())


def linked_members(period: Period, scope: str) -> tuple[str, list[Period], Period]:
    """(set key, the periods protected together, the period whose pattern `period` uses)."""
    if period.is_reporting:
        same = _calendar_twin(period)
        if same is None or scope != "all":
            return period.key, [period], period
        period = same
    year = period.year
    return str(year), periods_of_year(year), period


def _calendar_twin(period: Period) -> Period | None:
    for candidate in periods_of_year(period.start.year):
        if (candidate.start, candidate.end) == (period.start, period.end):
            return calendar_period(candidate.key)
    return None


def _stamp(members: list[Period], statuses: dict) -> str:
    inputs = [ALGORITHM]
    for p in members:
        s = statuses.get(p.key)
        inputs.append([p.key] + ([] if s is None else [s.refreshed_at.isoformat(), s.facts_stamp,
                                                        s.suppression_threshold, s.sensitive_threshold]))
    return hashlib.sha256(json.dumps(inputs, separators=(",", ":")).encode()).hexdigest()


def _statuses(region_code: str) -> dict:
    status = RegionFigureStatus.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(status).where(status.c.region_code == region_code)).all()
    return {row.period_key: row for row in rows}


def patterns_for(region, periods: list[Period], scope: str = "all", statuses: dict | None = None) -> dict:
    """{period key: Pattern} for `periods` (computing and storing the patterns of stale sets)."""
    code = region.teryt_code
    statuses = _statuses(code) if statuses is None else statuses
    wanted = {p.key: linked_members(p, scope) for p in periods}
    table = RegionFigurePattern.__table__
    keys = sorted({source.key for _set, _members, source in wanted.values()})
    with region_reader(code) as conn:
        rows = conn.execute(select(table.c.period_key, table.c.stamp, table.c.one_way, table.c.cross).where(
            table.c.region_code == code, table.c.scope == scope, table.c.period_key.in_(keys))).all()
    stored = {row.period_key: row for row in rows}
    result: dict = {}
    fresh: dict = {}
    for key, (set_key, members, source) in wanted.items():
        stamp = _stamp(members, statuses)
        row = stored.get(source.key)
        if row is not None and row.stamp == stamp:
            result[key] = Pattern(frozenset(map(tuple, row.one_way)), frozenset(map(tuple, row.cross)))
            continue
        if set_key not in fresh:
            fresh[set_key] = do_protect_set(region, members, scope, statuses)
        result[key] = fresh[set_key].get(source.key, EMPTY)
    return result


def pattern_for(region, period: Period, scope: str = "all", statuses: dict | None = None) -> Pattern:
    return patterns_for(region, [period], scope, statuses)[period.key]


def _cells(region_code: str, members: list[Period], scope: str) -> dict:
    figures = RegionFigure.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(figures.c.period_key, figures.c.measure, figures.c.dim_a, figures.c.key_a,
                                   figures.c.dim_b, figures.c.key_b, figures.c.value).where(
            figures.c.region_code == region_code, figures.c.scope == scope,
            figures.c.period_key.in_([p.key for p in members]))).all()
    return {tuple(row[:6]): row[6] for row in rows}


def _places(region_code: str) -> dict:
    inst = Institution.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(inst.c.id, inst.c.kind, inst.c.teryt_code).where(
            inst.c.region_code == region_code)).all()
    return {str(i): (str(kind.value if hasattr(kind, "value") else kind), teryt) for i, kind, teryt in rows}


def _thresholds(region, members: list[Period], statuses: dict) -> tuple[int, int]:
    counted = [statuses[p.key] for p in members if p.key in statuses]
    if not counted:
        return int(region.suppression_threshold), int(region.sensitive_threshold)
    return (max(int(s.suppression_threshold) for s in counted), max(int(s.sensitive_threshold) for s in counted))


def _digest(cells: dict, members: list[Period], places: dict, normal: int, sensitive: int) -> str:
    """What a set's pattern is a function of, hashed (the pattern of an unchanged set is reused)."""
    inputs = [ALGORITHM, CODE, [p.key for p in members], normal, sensitive, sorted(places.items()),
              sorted([list(key), value] for key, value in cells.items())]
    return hashlib.sha256(json.dumps(inputs, separators=(",", ":")).encode()).hexdigest()


def _stored_pattern(region_code: str, members: list[Period], scope: str, digest: str) -> dict | None:
    """{period key: (one_way, cross)} stored for the set from the same inputs, or None."""
    table = RegionFigurePattern.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(table.c.period_key, table.c.content_digest, table.c.one_way, table.c.cross).where(
            table.c.region_code == region_code, table.c.scope == scope,
            table.c.period_key.in_([p.key for p in members]))).all()
    if len(rows) != len(members) or any(row.content_digest != digest for row in rows):
        return None
    return {row.period_key: (set(map(tuple, row.one_way)), set(map(tuple, row.cross))) for row in rows}


def _protect(code: str, cells: dict, members: list[Period], places: dict, normal: int, sensitive: int) -> dict:
    """{period key: (one_way, cross)}: the hidden cells of the set, decided now."""
    try:
        hidden = protect_linked(linked_set(cells, members, places, normal, sensitive))
    except Inconsistent:
        # One period was recounted alone (a report of it, coordinator/refresh.do_refresh_period_now)
        # and its year not yet: until the workers' recount of the region, the periods are
        # protected each on its own (they do not add up exactly, so no exact difference exists).
        log.warning("region %s, set of %s: periods counted at different moments; protected one by one",
                    code, members[0].key)
        hidden = protect_linked(linked_set(cells, members, places, normal, sensitive, over_time=False))
    by_period: dict = {p.key: (set(), set()) for p in members}
    for period_key, measure, dim_a, key_a, dim_b, key_b in hidden:
        one_way, cross = by_period[period_key]
        if dim_b:
            cross.add((measure, dim_a, key_a, dim_b, key_b))
        else:
            one_way.add((measure, dim_a, key_a))
    return by_period


def do_protect_set(region, members: list[Period], scope: str, statuses: dict | None = None) -> dict:
    """Protect one linked set, store its pattern per period; returns {period key: Pattern}.

    A set whose inputs (cells, places, thresholds, algorithm) hash to the digest stored with
    its pattern keeps that pattern: the protection is a function of those inputs alone, so a
    recount that changed nothing in a year (every past year, mostly) costs one read.
    """
    code = region.teryt_code
    statuses = _statuses(code) if statuses is None else statuses
    started = time.perf_counter()
    normal, sensitive = _thresholds(region, members, statuses)
    cells, places = _cells(code, members, scope), _places(code)
    digest = _digest(cells, members, places, normal, sensitive)
    by_period = _stored_pattern(code, members, scope, digest)
    if by_period is None:
        by_period = _protect(code, cells, members, places, normal, sensitive)
    seconds = time.perf_counter() - started
    stamp = _stamp(members, statuses)
    now = datetime.now(UTC)
    table = RegionFigurePattern.__table__
    with region_writer(code) as conn:
        for period_key, (one_way, cross) in by_period.items():
            values = {"region_code": code, "period_key": period_key, "scope": scope,
                      "set_key": members[0].key if len(members) == 1 else str(members[0].year),
                      "stamp": stamp, "computed_at": now, "seconds": seconds, "content_digest": digest,
                      "one_way": sorted(map(list, one_way)), "cross": sorted(map(list, cross))}
            statement = postgresql.insert(table).values(**values)
            conn.execute(statement.on_conflict_do_update(
                index_elements=["region_code", "period_key", "scope"],
                set_={k: v for k, v in values.items() if k not in ("region_code", "period_key", "scope")}))
    return {key: Pattern(frozenset(one_way), frozenset(cross)) for key, (one_way, cross) in by_period.items()}


def do_protect_region(region, periods: list[Period]) -> float:
    """Protect every linked set `periods` belong to (after a recount); returns the seconds it took."""
    started = time.perf_counter()
    statuses = _statuses(region.teryt_code)
    done = set()
    for period in periods:
        for scope in (("all", "accepted") if period.is_reporting else ("all",)):
            set_key, members, _source = linked_members(period, scope)
            if (set_key, scope) in done:
                continue
            done.add((set_key, scope))
            do_protect_set(region, members, scope, statuses)
    return time.perf_counter() - started
