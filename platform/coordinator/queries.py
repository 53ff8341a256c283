"""Aggregate reads for the regional coordinator. Counts only, never a person."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..institutions.models import Institution, InstitutionKind
from ..regions.models import TerytUnit
from .db import region_reader


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
            .order_by(inst.c.name)).all()
    return [InstitutionRow(name, InstitutionKind(kind), area, code) for name, kind, area, code in rows]


def counties_covered(region_code: str) -> int:
    inst = Institution.__table__
    with region_reader(region_code) as conn:
        return conn.execute(select(func.count(func.distinct(func.substr(inst.c.teryt_code, 1, 4)))).where(
            inst.c.region_code == region_code, inst.c.is_active.is_(True))).scalar_one()
