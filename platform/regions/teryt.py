"""The official TERC register (GUS TERYT), shipped with the project as CSV."""
import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from .models import TerytUnit

TERC_FILE = Path(__file__).parent / "data" / "teryt_terc_2024-01-01.csv"


def unit_code(row: dict) -> str:
    """2 digits for a voivodeship, 4 for a county, 7 (WOJ+POW+GMI+RODZ) for a commune."""
    return row["WOJ"] + row["POW"] + row["GMI"] + row["RODZ"]


def read_terc(voivodeship: str | None = None) -> list[dict]:
    with TERC_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [r for r in rows if voivodeship is None or r["WOJ"] == voivodeship]


def do_load_teryt(voivodeship: str | None = None) -> int:
    """Insert the register's units (all, or one voivodeship's) that are not stored yet."""
    rows = read_terc(voivodeship)
    known = set(db.session.execute(select(TerytUnit.code).where(
        TerytUnit.code.in_([unit_code(r) for r in rows]))).scalars()) if rows else set()
    added = 0
    for row in rows:
        code = unit_code(row)
        if code in known:
            continue
        db.session.add(TerytUnit(
            code=code, voivodeship=row["WOJ"], county=row["POW"] or None, commune=row["GMI"] or None,
            commune_kind=row["RODZ"] or None, name=row["NAZWA"], kind_label=row["NAZWA_DOD"],
            valid_on=date.fromisoformat(row["STAN_NA"])))
        known.add(code)
        added += 1
    db.session.flush()
    return added


def voivodeship_name(code: str) -> str | None:
    for row in read_terc(code):
        if row["POW"] == "":
            return row["NAZWA"].lower()
    return None
