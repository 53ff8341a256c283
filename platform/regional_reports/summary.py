"""The regional summary of the good-practice report.

`regional_summary_figures` produces it: the counts of the published practices (how many,
of which institutions and counties, with which instruments), and the region-wide figures
of the report's period from the coordinator's figures summary (`coordinator/tables.py`,
read through the coordinator role, every table protected by the disclosure module as on
the dashboard), and the network's referrals and working groups of the period as the
coordinator's network pages publish them (`coordinator/network_tables.report_tables`).
Its output (below) is what platform/regional_reports/pdf.py draws.
"""
from collections import Counter
from dataclasses import dataclass

from flask_babel import force_locale

from regionet.platform.coordinator.network_tables import report_tables
from regionet.platform.coordinator.periods import Period
from regionet.platform.coordinator.tables import Cell, FigureTable, Selection, employment_table, one_way_table
from regionet.platform.regions.models import Region

SUMMARY_FORMAT = 3          # 3: the network's tables ("network")
HEADLINE = ("people", "participations", "episodes", "outcomes", "exits", "employed")
# (measure, dimension) of the region-wide tables; None as the measure: the employment table.
TABLES = (("people", "sex"), ("people", "age_band"), ("people", "disability"), ("episodes", "instrument"),
          ("outcomes", "outcome"), (None, "inst_kind"), ("people", "county"))


@dataclass
class PracticeFacts:
    """What the summary needs of one published practice."""

    institution_id: int
    institution_kind: str
    county_name: str
    instruments: list[str]
    target_groups: list[str]
    project_key: tuple | None = None          # (institution_id, project_id) of the linked project


def _ranked(counter: Counter) -> list[dict]:
    return [{"key": key, "count": count} for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def cell_json(cell: Cell) -> dict:
    """A cell of a protected table as stored in the dataset (see disclosure.cell_text)."""
    if cell.na:
        return {"value": None}
    if cell.hidden:
        return {"value": None, "suppressed": True}
    if cell.percent:
        return {"value": round(cell.value * 100, 1), "percent": True}
    return {"value": cell.value}


def table_json(table: FigureTable) -> dict:
    def row(r):
        return {"key": r.key, "label": r.label, "short": r.short, "cells": [cell_json(c) for c in r.cells]}

    return {"id": table.id, "title": table.title, "row_header": table.row_header, "columns": table.columns,
            "rows": [row(r) for r in table.rows], "total": row(table.total) if table.total else None,
            "rules": table.rule_texts, "notes": table.notes, "withheld": table.withheld, "chart": table.chart,
            "chart_columns": list(table.chart_columns)}


def region_figures(region: Region, period: Period) -> dict:
    """The region-wide figures of `period` (all data), protected, in Polish."""
    with force_locale("pl"):
        sel = Selection.load(region, period, "all")
        head = sel.headline
        headline = {m: ({"value": None, "suppressed": True} if head.published.get(m) is None
                        else {"value": head.published[m]}) for m in HEADLINE}
        headline["employment_rate"] = cell_json(Cell(head.rate, percent=True, na=head.exits == 0))
        tables = [employment_table(sel, dim) if measure is None else one_way_table(sel, measure, dim)
                  for measure, dim in TABLES]
        return {"period": {"key": period.key, "label": period.label, "start": period.start.isoformat(),
                           "end": period.end.isoformat()},
                "headline": headline, "rules": [sel.rule().text(), sel.rule("disability").text()],
                "tables": [table_json(t) for t in tables],
                "network": [table_json(t) for t in report_tables(sel)]}


def regional_summary_figures(region: Region, period: Period, as_of, facts: list[PracticeFacts]) -> dict:
    """The regional summary as JSON: counts of practices, and the region's protected figures."""
    projects = {f.project_key for f in facts if f.project_key is not None}
    return {
        "format": SUMMARY_FORMAT,
        "region_code": region.teryt_code,
        "as_of": as_of.isoformat(),
        "practices": len(facts),
        "institutions": len({f.institution_id for f in facts}),
        "counties": len({f.county_name for f in facts}),
        "linked_projects": len(projects),
        "by_kind": _ranked(Counter(f.institution_kind for f in facts)),
        "by_county": _ranked(Counter(f.county_name for f in facts)),
        "by_instrument": _ranked(Counter(i for f in facts for i in set(f.instruments))),
        "by_target_group": _ranked(Counter(g for f in facts for g in set(f.target_groups))),
        "region": region_figures(region, period),
    }

