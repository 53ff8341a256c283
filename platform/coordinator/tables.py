"""The coordinator's published tables: counts from the figures summary, protected, labelled.

Every table on the dashboard, in the explorer and in the exports is built here and goes
through `disclosure.protect`; the templates, the CSV/XLSX exports and the charts only
read the result, so they always show the same numbers. Tables are linked the way
statistical offices link them: the grand total of a measure is the headline figure and
the margins of a cross-table are the one-way tables, so a linked cell is hidden or
shown the same way everywhere.

Public API (also for the PDF reports):
    sel = Selection.load(region, period, scope)            # what, for when, which data
    headline(sel) -> Headline                               # the five headline figures
    one_way_table(sel, measure, dim) -> FigureTable         # a measure by one dimension
    measures_table(sel, measures, dim) -> FigureTable       # several measures side by side
    cross_table(sel, measure, row_dim, col_dim) -> FigureTable
    employment_table(sel, dim) -> FigureTable               # ended, employed, rate
    trend_table(region, years, granularity) -> FigureTable  # headline measures per period
"""
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..regions.models import Region
from . import patterns, queries
from .dimensions import NETWORK_MEASURES, SPECS, canonical_pair, is_sensitive
from .disclosure import (
    TOTAL,
    PublishedTable,
    Rule,
    one_way,
    publish,
    two_way,
)
from .labels import DIM_LABELS, MEASURE_LABELS, LabelBook
from .periods import Period, buckets

HEADLINE_MEASURES = ("people", "participations", "episodes", "outcomes")


@dataclass
class Selection:
    """One view of the region's figures: a period, all data or accepted data only."""

    region: Region
    period: Period
    scope: str
    book: LabelBook
    one_way: dict                       # {(measure, dim): {key: value}} of the period, None where hidden
    pattern: patterns.Pattern           # the period's hidden cells (decided for its whole linked set)
    _headline: "Headline | None" = None

    @classmethod
    def load(cls, region: Region, period: Period, scope: str = "all") -> "Selection":
        scope = scope if scope == "accepted" and period.is_reporting else "all"
        figures = queries.one_way_figures(region.teryt_code, period.key, scope)
        pattern = patterns.pattern_for(region, period, scope)
        for measure, dim, key in pattern.one_way:
            figures.setdefault((measure, dim), {})[key] = None
        places = {key for (_m, dim), values in figures.items() if dim in ("county", "commune") for key in values}
        outside = {key for key in places if key and not key.startswith(region.teryt_code)}
        return cls(region, period, scope, queries.label_book(region.teryt_code, outside), figures, pattern)

    def values(self, measure: str, dim: str = "") -> dict:
        return self.one_way.get((measure, dim), {})

    def grand(self, measure: str) -> int | None:
        return self.values(measure).get("", 0)

    def rule(self, *dims: str) -> Rule:
        return Rule.for_region(self.region, sensitive=is_sensitive(*dims))

    @property
    def headline(self) -> "Headline":
        if self._headline is None:
            self._headline = headline(self)
        return self._headline


@dataclass
class Cell:
    value: int | float | None           # None: hidden (unless `na`)
    percent: bool = False
    na: bool = False                    # nothing to compute from (a rate of no one)

    @property
    def hidden(self) -> bool:
        return self.value is None and not self.na


@dataclass
class Row:
    key: str
    label: str
    short: str
    cells: list[Cell]


@dataclass
class FigureTable:
    id: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    total: Row | None
    rules: list[Rule]
    notes: list[str] = field(default_factory=list)
    withheld: bool = False
    chart: str = "bars"                  # "bars", "percent" or "line"
    chart_columns: tuple = (0,)          # which columns the chart draws
    # What each column counts, for reading a download back (tests/disclosure_attack.py): the rows
    # are categories of `row_dim` ("period" in a trend); a column is (measure, "", "") for the row's
    # one-way figure, (measure, dim, key) for a cross-table's column, None for a derived figure.
    row_dim: str = ""
    column_keys: list = field(default_factory=list)

    @property
    def wide(self) -> bool:
        """Three columns or more: the chart goes above the table rather than beside it."""
        return len(self.columns) >= 3

    @property
    def rule_texts(self) -> list[str]:
        return list(dict.fromkeys(rule.text() for rule in self.rules))

    @property
    def hidden_count(self) -> int:
        rows = self.rows + ([self.total] if self.total else [])
        return sum(1 for row in rows for cell in row.cells if cell.hidden)

    def only_columns(self, indices: tuple) -> "FigureTable":
        """The same table with only the columns at `indices` (their cells as published, nothing recounted)."""
        def pick(row: Row) -> Row:
            return Row(row.key, row.label, row.short, [row.cells[i] for i in indices])

        keys = [self.column_keys[i] for i in indices] if self.column_keys else []
        return replace(self, columns=[self.columns[i] for i in indices], rows=[pick(r) for r in self.rows],
                       total=pick(self.total) if self.total else None, column_keys=keys,
                       chart_columns=tuple(indices.index(i) for i in self.chart_columns if i in indices) or (0,))

    def transposed(self) -> "FigureTable":
        """Columns as rows and rows (by their short labels, the total last) as columns: a table of many
        measures over few categories on a narrow page. Cells as published; not for download."""
        lines = self.rows + ([self.total] if self.total else [])
        rows = [Row(str(i), label, label, [line.cells[i] for line in lines]) for i, label in enumerate(self.columns)]
        return replace(self, row_header="", columns=[line.short for line in lines], rows=rows, total=None,
                       chart="none", chart_columns=(0,), row_dim="", column_keys=[])

    def export(self) -> tuple[list[str], list[list]]:
        """Headers and rows for CSV/XLSX: hidden cells are "x", then the rules under the table."""
        from .disclosure import SUPPRESSED_MARK

        def out(cell: Cell):
            if cell.na:
                return ""
            if cell.hidden:
                return SUPPRESSED_MARK
            return round(cell.value * 100, 1) if cell.percent else cell.value

        headers = [self.row_header] + [str(c) for c in self.columns]
        body = [[row.label] + [out(c) for c in row.cells] for row in self.rows]
        if self.total is not None:
            body.append([self.total.label] + [out(c) for c in self.total.cells])
        body.append([])
        body += [[text] for text in self.notes + self.rule_texts]
        return headers, body


@dataclass
class Headline:
    people: int | None
    participations: int | None
    episodes: int | None
    outcomes: int | None
    exits: int | None
    employed: int | None
    rate: float | None
    published: dict = field(default_factory=dict)   # measure -> value, None when hidden


def headline(sel: Selection) -> Headline:
    """The grand totals as the linked set's protection published them, and the employment rate."""
    published = {m: sel.grand(m) for m in HEADLINE_MEASURES}
    exits, employed = sel.grand("exits"), sel.grand("employed")
    rate = employed / exits if employed is not None and exits else None
    published.update(exits=exits, employed=employed, not_employed=_minus(exits, employed))
    return Headline(published["people"], published["participations"], published["episodes"], published["outcomes"],
                    exits, employed, rate, published)


def _minus(a, b):
    return None if a is None or b is None else a - b


def protected_one_way(sel: Selection, measure: str, dim: str) -> tuple[list[str], PublishedTable]:
    values = sel.values(measure, dim)
    categories = sel.book.categories(dim, set(values))
    additive = dim in SPECS[measure].additive_dims
    table = one_way(values, total=sel.grand(measure), rows=categories, additive=additive)
    return categories, publish(table, sel.rule(dim))


def _row(sel: Selection, dim: str, key: str, cells: list[Cell]) -> Row:
    return Row(key, sel.book.label(dim, key), sel.book.short_label(dim, key), cells)


def _overlap_note(measure: str, dim: str) -> list[str]:
    if dim in SPECS[measure].additive_dims:
        return []
    if measure in NETWORK_MEASURES:
        return [_("A group with institutions of several types or counties is counted in each of their rows, and "
                  "once in the total.")]
    return [_("A person supported by several institutions is counted in each of their rows, and once in the "
              "total.")]


def measures_title(measures: tuple, dim: str) -> str:
    return _("%(measure)s by %(dimension)s", measure=" / ".join(str(MEASURE_LABELS[m]) for m in measures),
             dimension=str(DIM_LABELS[dim]).lower())


def cross_title(measure: str, row_dim: str, col_dim: str) -> str:
    return _("%(measure)s by %(rows)s and %(columns)s", measure=MEASURE_LABELS[measure],
             rows=str(DIM_LABELS[row_dim]).lower(), columns=str(DIM_LABELS[col_dim]).lower())


def one_way_table(sel: Selection, measure: str, dim: str, table_id: str | None = None) -> FigureTable:
    return measures_table(sel, (measure,), dim, table_id)


def measures_table(sel: Selection, measures: tuple, dim: str, table_id: str | None = None) -> FigureTable:
    """One row per category, one column per measure (each protected as its own one-way table)."""
    protected = [protected_one_way(sel, m, dim) for m in measures]
    categories = list(dict.fromkeys(k for cats, _p in protected for k in cats))
    rows = [_row(sel, dim, key, [Cell(p.value(key) if key in p.rows else 0) for _c, p in protected])
            for key in categories]
    total = Row(TOTAL, _("Total"), _("Total"), [Cell(p.total) for _c, p in protected])
    notes = list(dict.fromkeys(n for m in measures for n in _overlap_note(m, dim)))
    return FigureTable(table_id or f"{'-'.join(measures)}--{dim}", measures_title(measures, dim),
                       str(DIM_LABELS[dim]), [str(MEASURE_LABELS[m]) for m in measures], rows, total,
                       [sel.rule(dim)], notes, withheld=any(p.withheld for _c, p in protected),
                       chart_columns=tuple(range(len(measures))), row_dim=dim,
                       column_keys=[(m, "", "") for m in measures])


def cross_table(sel: Selection, measure: str, row_dim: str, col_dim: str) -> FigureTable:
    """A two-way table with its margins linked to the one-way tables of both dimensions."""
    stored = canonical_pair(measure, row_dim, col_dim)
    if stored is None:
        raise ValueError(f"{measure} has no breakdown by {row_dim} and {col_dim}")
    raw = queries.cross_figures(sel.region.teryt_code, sel.period.key, sel.scope, measure, *stored)
    for m, dim_a, key_a, dim_b, key_b in sel.pattern.cross:
        if (m, dim_a, dim_b) == (measure, *stored):
            raw[(key_a, key_b)] = None
    if stored != (row_dim, col_dim):
        raw = {(b, a): v for (a, b), v in raw.items()}
    row_keys, by_row = protected_one_way(sel, measure, row_dim)
    col_keys, by_col = protected_one_way(sel, measure, col_dim)
    row_keys = list(dict.fromkeys(row_keys + sel.book.categories(row_dim, {a for a, _b in raw})))
    col_keys = list(dict.fromkeys(col_keys + sel.book.categories(col_dim, {b for _a, b in raw})))
    row_totals = {r: sel.values(measure, row_dim).get(r, 0) for r in row_keys}
    col_totals = {c: sel.values(measure, col_dim).get(c, 0) for c in col_keys}
    table = two_way(raw, row_keys, col_keys, row_totals=row_totals, col_totals=col_totals,
                    total=sel.grand(measure))
    published = publish(table, sel.rule(row_dim, col_dim))
    columns = [sel.book.short_label(col_dim, c) for c in col_keys] + [_("Total")]
    rows = [_row(sel, row_dim, r, [Cell(published.value(r, c)) for c in col_keys + [TOTAL]]) for r in row_keys]
    total = Row(TOTAL, _("Total"), _("Total"), [Cell(published.value(TOTAL, c)) for c in col_keys + [TOTAL]])
    return FigureTable(f"{measure}--{row_dim}--{col_dim}", cross_title(measure, row_dim, col_dim),
                       str(DIM_LABELS[row_dim]), columns, rows, total,
                       [sel.rule(row_dim, col_dim)], _overlap_note(measure, row_dim) + _overlap_note(measure, col_dim),
                       withheld=published.withheld,
                       # grouped bars stay readable up to four series; beyond that the chart shows the row totals
                       chart_columns=tuple(range(len(col_keys))) if len(col_keys) <= 4 else (len(col_keys),),
                       row_dim=row_dim, column_keys=[(measure, col_dim, c) for c in col_keys] + [(measure, "", "")])


def employment_table(sel: Selection, dim: str) -> FigureTable:
    """Participations ended, those with a job within 4 weeks, and the rate, by a dimension."""
    exits, employed = sel.values("exits", dim), sel.values("employed", dim)
    keys = sel.book.categories(dim, set(exits) | set(employed))
    cells = {}
    for k in keys:
        cells[(k, "employed")] = employed.get(k, 0)
        cells[(k, "not_employed")] = _minus(exits.get(k, 0), employed.get(k, 0))
    col_totals = {"employed": sel.grand("employed"),
                  "not_employed": _minus(sel.grand("exits"), sel.grand("employed"))}
    table = two_way(cells, keys, ["employed", "not_employed"], row_totals={k: exits.get(k, 0) for k in keys},
                    col_totals=col_totals, total=sel.grand("exits"))
    published = publish(table, sel.rule(dim))

    def line(r):
        ended, got_job = published.value(r, TOTAL), published.value(r, "employed")
        if ended == 0:
            return [Cell(ended), Cell(got_job), Cell(None, percent=True, na=True)]
        rate = got_job / ended if ended is not None and got_job is not None else None
        return [Cell(ended), Cell(got_job), Cell(rate, percent=True)]

    rows = [_row(sel, dim, k, line(k)) for k in keys]
    total = Row(TOTAL, _("Total"), _("Total"), line(TOTAL))
    title = _("Employment rate after support by %(dimension)s", dimension=str(DIM_LABELS[dim]).lower())
    notes = [_("Employment rate: participations that ended in the period with a job (employment or civil-law "
               "contract, self-employment, a job after an internship) within 4 weeks of leaving.")]
    return FigureTable(f"employment--{dim}", title, str(DIM_LABELS[dim]),
                       [str(MEASURE_LABELS["exits"]), str(MEASURE_LABELS["employed"]), _("Employment rate")],
                       rows, total, [sel.rule(dim)], notes, withheld=published.withheld, chart="percent",
                       chart_columns=(2,), row_dim=dim, column_keys=[("exits", "", ""), ("employed", "", ""), None])


GRANULARITIES = {"quarter": _l("Quarters"), "half": _l("Half-years"), "year": _l("Years")}


def trend_table(region: Region, years: list[int], granularity: str = "quarter") -> FigureTable:
    """The headline measures per quarter, half-year or year (all data).

    Each period's figure is its grand total as its year's linked set published it: quarters,
    half-years and the year were protected together (figure_links.py), so no hidden one can
    be worked out from the others. People and participations are counted per period
    (someone supported in two quarters is in both), so they do not add up.
    """
    periods = buckets(granularity, years)
    totals = queries.grand_totals(region.teryt_code, [p.key for p in periods])
    hidden = patterns.patterns_for(region, periods)
    rule = Rule.for_region(region)
    columns: dict[str, dict] = {}
    for measure in ("people", "participations", "episodes", "outcomes"):
        columns[measure] = {p.key: None if hidden[p.key].hides(measure, "", "") else totals.get((p.key, measure), 0)
                            for p in periods}
    measures = ("people", "participations", "episodes", "outcomes")
    rows = [Row(p.key, p.label, p.short_label, [Cell(columns[m][p.key]) for m in measures]) for p in periods]
    return FigureTable(f"trend--{granularity}", _("Figures over time"), _("Period"),
                       [str(MEASURE_LABELS[m]) for m in measures], rows, None, [rule],
                       [_("People and participations are counted in every period in which the person was "
                          "supported, so they do not add up over periods.")], chart="line", row_dim="period",
                       column_keys=[(m, "", "") for m in measures],
                       chart_columns=(0, 1, 2, 3))
