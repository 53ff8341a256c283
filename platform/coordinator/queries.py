"""Aggregate reads for the regional coordinator. Counts only, never a person."""
from dataclasses import dataclass

from sqlalchemy import func, select

from regionet.tenants.periods.models import PeriodSubmission, SubmissionEvent

from ..institutions.models import Institution, InstitutionKind
from ..regions.models import TerytUnit
from ..ui.polish import polish_order, sort_key
from .db import region_reader
from .labels import LabelBook
from .models import RegionFigure, RegionFigureRun, RegionFigureStatus, ReportingPeriod


@dataclass(frozen=True)
class InstitutionRow:
    name: str
    kind: InstitutionKind
    area: str
    teryt_code: str


def institution_counts_by_kind(region_code: str) -> dict[InstitutionKind, int]:
    inst = Institution.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(inst.c.kind, func.count()).where(
            inst.c.region_code == region_code, inst.c.is_active.is_(True)).group_by(inst.c.kind)).all()
    return {InstitutionKind(kind): count for kind, count in rows}


def institutions_of_region(region_code: str) -> list[InstitutionRow]:
    inst, unit = Institution.__table__, TerytUnit.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(
            select(inst.c.name, inst.c.kind, unit.c.name, inst.c.teryt_code)
            .join(unit, unit.c.code == inst.c.teryt_code)
            .where(inst.c.region_code == region_code, inst.c.is_active.is_(True))
            .order_by(polish_order(inst.c.name))).all()
    return [InstitutionRow(name, InstitutionKind(kind), area, code) for name, kind, area, code in rows]


def counties_covered(institutions: list[InstitutionRow]) -> int:
    """Counties with at least one of `institutions` (from institutions_of_region: no second query)."""
    return len({row.teryt_code[:4] for row in institutions})


# --- the figures summary ------------------------------------------------------------------
# Everything below reads region_figures and the status tables through the coordinator role:
# published-ready counts (small ones are NULL), never a person's row.

def one_way_figures(region_code: str, period_key: str, scope: str) -> dict:
    """{(measure, dim): {key: value}} for every one-way breakdown of a period; dim "" is the grand total."""
    figures = RegionFigure.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(figures.c.measure, figures.c.dim_a, figures.c.key_a, figures.c.value).where(
            figures.c.region_code == region_code, figures.c.period_key == period_key, figures.c.scope == scope,
            figures.c.dim_b == "")).all()
    result: dict = {}
    for measure, dim, key, value in rows:
        result.setdefault((measure, dim), {})[key] = value
    return result


def cross_figures(region_code: str, period_key: str, scope: str, measure: str, dim_a: str, dim_b: str) -> dict:
    """{(key_a, key_b): value} of one stored cross-table (dims in stored order)."""
    figures = RegionFigure.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(figures.c.key_a, figures.c.key_b, figures.c.value).where(
            figures.c.region_code == region_code, figures.c.period_key == period_key, figures.c.scope == scope,
            figures.c.measure == measure, figures.c.dim_a == dim_a, figures.c.dim_b == dim_b)).all()
    return {(a, b): value for a, b, value in rows}


def grand_totals(region_code: str, period_keys: list[str], scope: str = "all") -> dict:
    """{(period_key, measure): value} of the grand totals of several periods (trends)."""
    figures = RegionFigure.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(figures.c.period_key, figures.c.measure, figures.c.value).where(
            figures.c.region_code == region_code, figures.c.period_key.in_(period_keys), figures.c.scope == scope,
            figures.c.dim_a == "", figures.c.dim_b == "")).all()
    return {(p, m): v for p, m, v in rows}


def figure_statuses(region_code: str) -> dict:
    """{period_key: RegionFigureStatus row} of the periods the region's figures exist for."""
    status = RegionFigureStatus.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(select(status).where(status.c.region_code == region_code)).all()
    return {row.period_key: row for row in rows}


def figure_run(region_code: str):
    run = RegionFigureRun.__table__
    shown = [c for c in run.c if c.name != "failure_detail"]  # the coordinator's role may not read it
    with region_reader(region_code) as conn:
        row = conn.execute(select(*shown).where(run.c.region_code == region_code)).first()
    return None if row is None else RegionFigureRun(**row._mapping)


def label_book(region_code: str, other_units: set[str] = frozenset()) -> LabelBook:
    """Names for the region's institutions and TERYT units (and `other_units`: participants
    may live outside the region)."""
    inst, unit = Institution.__table__, TerytUnit.__table__
    with region_reader(region_code) as conn:
        institutions = conn.execute(select(inst.c.id, inst.c.short_name, inst.c.kind).where(
            inst.c.region_code == region_code)).all()
        units = conn.execute(select(unit.c.code, unit.c.name, unit.c.kind_label).where(
            (unit.c.voivodeship == region_code) | unit.c.code.in_(sorted(other_units)))).all()
    book = LabelBook(institutions={str(i): (name, kind) for i, name, kind in institutions},
                     units={code: (name, kind) for code, name, kind in units})
    book.counties = sorted((c for c in book.units if len(c) == 4), key=lambda c: sort_key(book.label("county", c)))
    return book


# --- reporting periods and submissions -----------------------------------------------------

@dataclass(frozen=True)
class SubmissionState:
    institution_id: int
    institution_name: str
    kind: InstitutionKind
    status: str | None             # None: the institution has not opened the period yet
    submitted_at: object
    decided_at: object
    comment: str | None


def reporting_periods_of_region(region_code: str) -> list:
    periods = ReportingPeriod.__table__
    with region_reader(region_code) as conn:
        return conn.execute(select(periods).where(periods.c.region_code == region_code)
                            .order_by(periods.c.start_date.desc(), periods.c.name)).all()


def reporting_period(region_code: str, period_id) -> object | None:
    periods = ReportingPeriod.__table__
    with region_reader(region_code) as conn:
        return conn.execute(select(periods).where(periods.c.region_code == region_code,
                                                  periods.c.id == period_id)).first()


def submission_states(region_code: str, period_id) -> list[SubmissionState]:
    """Every active institution of the region with the state of its submission for the period."""
    inst, sub = Institution.__table__, PeriodSubmission.__table__
    with region_reader(region_code) as conn:
        rows = conn.execute(
            select(inst.c.id, inst.c.name, inst.c.kind, sub.c.status, sub.c.submitted_at, sub.c.decided_at,
                   sub.c.comment)
            .select_from(inst.outerjoin(sub, (sub.c.tenant_id == inst.c.id) & (sub.c.period_id == period_id)))
            .where(inst.c.region_code == region_code, inst.c.is_active.is_(True))
            .order_by(polish_order(inst.c.name))).all()
    return [SubmissionState(i, name, InstitutionKind(kind), status, submitted, decided, comment)
            for i, name, kind, status, submitted, decided, comment in rows]


def status_counts(region_code: str, period_id) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in submission_states(region_code, period_id):
        key = state.status or "open"
        counts[key] = counts.get(key, 0) + 1
    return counts


def submission_history(region_code: str, period_id, institution_id: int) -> list:
    sub, events = PeriodSubmission.__table__, SubmissionEvent.__table__
    with region_reader(region_code) as conn:
        return conn.execute(
            select(events.c.action, events.c.actor_name, events.c.actor_role, events.c.comment, events.c.at)
            .select_from(events.join(sub, (sub.c.tenant_id == events.c.tenant_id) & (sub.c.id == events.c.submission_id)))
            .where(sub.c.period_id == period_id, sub.c.tenant_id == institution_id)
            .order_by(events.c.at)).all()
