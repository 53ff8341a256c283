"""Server-rendered SVG charts of the coordinator's tables (no script, no CDN; CSP-safe).

A chart is drawn from a FigureTable, never from anything else, so it shows exactly the
numbers of the table beside it, hidden cells included (no bar, the sign "x" instead).
Series differ by colour and by pattern (bars) or dash and marker shape (lines), so
colour is never the only cue.
"""
from dataclasses import dataclass, field

from flask_babel import format_percent
from flask_babel import gettext as _

from ..ui.formatting import format_number
from .disclosure import SUPPRESSED_MARK
from .tables import FigureTable

WIDTH = 520
LABEL_WIDTH = 170
BAR_AREA = 250
MAX_LABEL = 24
LEGEND_LINE = 20


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    text: str
    text_x: float
    hidden: bool


@dataclass
class BarGroup:
    label: str
    full_label: str
    label_y: float
    bars: list[Bar]


@dataclass
class Chart:
    kind: str
    width: int
    height: int
    title: str
    description: str
    legend: list[tuple[int, str]]
    groups: list[BarGroup] = field(default_factory=list)
    lines: list = field(default_factory=list)        # per series: list of point runs [(x, y, text)]
    x_labels: list = field(default_factory=list)     # (x, text)
    y_ticks: list = field(default_factory=list)      # (y, text)
    plot: tuple = (0, 0, 0, 0)                        # left, top, right, bottom
    label_x: int = LABEL_WIDTH
    legend_y: list = field(default_factory=list)      # y of each legend line
    axis_end: float = 4                               # where the bar chart's axis line stops


def _text(cell) -> str:
    if cell.na:
        return "—"
    if cell.hidden:
        return SUPPRESSED_MARK
    return format_percent(cell.value, "#,##0.0%") if cell.percent else format_number(cell.value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _description(table: FigureTable) -> str:
    return _("The same numbers are in the table “%(title)s”. A hidden count is marked “%(mark)s”.",
             title=table.title, mark=SUPPRESSED_MARK)


def bar_chart(table: FigureTable) -> Chart:
    columns = list(table.chart_columns)
    percent = table.chart == "percent"
    values = [row.cells[c].value for row in table.rows for c in columns if row.cells[c].value is not None]
    top = 1.0 if percent else max(values or [0]) or 1
    bar_h, gap = 18, 14
    group_h = len(columns) * (bar_h + 2) + gap
    groups, y = [], 8
    for row in table.rows:
        bars = []
        for i, c in enumerate(columns):
            cell = row.cells[c]
            length = 0 if cell.value is None else BAR_AREA * min(cell.value / top, 1)
            by = y + i * (bar_h + 2)
            bars.append(Bar(LABEL_WIDTH + 8, by, round(length, 1), bar_h, i, _text(cell),
                            LABEL_WIDTH + 8 + length + 6, cell.value is None))
        groups.append(BarGroup(_short(row.short), row.label, y + (len(columns) * (bar_h + 2)) / 2, bars))
        y += group_h
    legend = [(i, table.columns[c]) for i, c in enumerate(columns)] if len(columns) > 1 else []
    legend_y = [y + 14 + i * LEGEND_LINE for i in range(len(legend))]
    height = int(y + 8 + len(legend) * LEGEND_LINE)
    # The axis ends just below the last group's bars; a table whose chart has no columns still draws.
    axis_end = y - gap + 2 if groups else 4
    return Chart("bars", WIDTH, height, table.title, _description(table), legend, groups=groups,
                 legend_y=legend_y, axis_end=axis_end)


def line_chart(table: FigureTable) -> Chart:
    columns = list(table.chart_columns)
    left, top, right, bottom = 64, 16, WIDTH - 16, 236
    values = [row.cells[c].value for row in table.rows for c in columns if row.cells[c].value is not None]
    peak = _nice(max(values or [1]))
    count = max(len(table.rows) - 1, 1)
    xs = [left + (right - left) * i / count for i in range(len(table.rows))]
    lines = []
    for c in columns:
        runs, run = [], []
        for x, row in zip(xs, table.rows, strict=True):
            cell = row.cells[c]
            if cell.value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append((round(x, 1), round(bottom - (bottom - top) * cell.value / peak, 1), _text(cell)))
        if run:
            runs.append(run)
        lines.append(runs)
    step = max(1, -(-len(table.rows) // 6))
    x_labels = [(round(x, 1), row.short) for i, (x, row) in enumerate(zip(xs, table.rows, strict=True)) if i % step == 0]
    y_ticks = [(round(bottom - (bottom - top) * f, 1), format_number(peak * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    legend = [(i, table.columns[c]) for i, c in enumerate(columns)]
    legend_y = [bottom + 44 + i * LEGEND_LINE for i in range(len(legend))]
    return Chart("line", WIDTH, bottom + 36 + len(legend) * LEGEND_LINE, table.title, _description(table), legend,
                 lines=lines, x_labels=x_labels, y_ticks=y_ticks, plot=(left, top, right, bottom), legend_y=legend_y)


def chart_for(table: FigureTable) -> Chart:
    return line_chart(table) if table.chart == "line" else bar_chart(table)


def _nice(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude
