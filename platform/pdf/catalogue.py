"""Building blocks of catalogue-style PDFs: cover, tables, bar charts, an index, a provenance page.

Everything uses the embedded DejaVu family (charts included: ReportLab's graphics
default to Helvetica, which cannot draw ą ę ł ń ś ź ż).
"""
import io
import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from ..ui.polish import sort_key
from .pagerefs import DeferredPageNumbers
from .styles import BRAND, FONT, MUTED, styles
from .text import para, paragraphs, plain_markup

__all__ = ["para", "paragraphs"]  # the text helpers, where the building blocks are looked for

GRID = colors.HexColor("#c4ccd8")
HEAD = colors.HexColor("#e8eef6")
STRIPE = colors.HexColor("#f7f9fc")
# The platform's one Polish order (ą after a, ł after l, ż last; case-insensitive), as in the lists.
polish_sort_key = sort_key


CELL_PADDING = 6   # ReportLab's default left and right padding of a table cell


def _cell(text: str, style_name: str, width: float):
    """A plain string when the text fits on one line, else a wrapping paragraph.

    Both look the same (the table's style gives strings the paragraph style's font, size,
    leading and alignment), but a string cell costs a fraction of a paragraph's layout,
    and a long report holds tens of thousands of cells.
    """
    style = styles[style_name]
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING:
        return text
    return para(text, style, line_breaks=False)


def data_table(rows: list[list], widths: list[float], header: bool = True, align_right: tuple = ()) -> Table:
    """A table of plain-text cells, header row repeated across pages."""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if isinstance(cell, Flowable):
                cells.append(cell)
                continue
            style = "cell_bold" if header and i == 0 else ("cell_right" if j in align_right else "cell")
            cells.append(_cell(str(cell), style, widths[j]))
        body.append(cells)
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0)
    first = 1 if header else 0
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
        ("FONTSIZE", (0, 0), (-1, -1), styles["cell"].fontSize),
        ("LEADING", (0, 0), (-1, -1), styles["cell"].leading),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, STRIPE]),
    ]
    commands += [("ALIGN", (j, first), (j, -1), "RIGHT") for j in align_right]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEAD), ("FONTNAME", (0, 0), (-1, 0), styles["cell_bold"].fontName)]
    table.setStyle(TableStyle(commands))
    return table


def _shorten(text: str, width: float, size: float) -> str:
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(title: str, items: list[tuple[str, int]], width: float = 170 * mm, note: str | None = None):
    """A horizontal bar chart of (label, value) pairs, labelled in DejaVu Sans."""
    bar_height = 7 * mm
    height = max(30 * mm, bar_height * len(items) + 22 * mm)
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=f"{FONT}-Bold", fontSize=10, fillColor=BRAND))
    if items:
        label_width = min(80 * mm, max(stringWidth(label, FONT, 8) for label, _value in items) + 2 * mm)
        items = [(_shorten(label, label_width - 2 * mm, 8), value) for label, value in items]
        top = max(value for _label, value in items)
        chart = HorizontalBarChart()
        chart.x, chart.y = label_width + 3 * mm, 8 * mm
        chart.width, chart.height = width - chart.x - 12 * mm, height - 26 * mm
        chart.data = [[value for _label, value in reversed(items)]]
        chart.categoryAxis.categoryNames = [label for label, _value in reversed(items)]
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 8
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max(1, top)
        chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
        chart.valueAxis.forceZero = True
        chart.bars[0].fillColor = BRAND
        chart.bars[0].strokeColor = None
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = FONT
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        drawing.add(chart)
    flowables = [drawing]
    if note:
        flowables.append(para(note, "small"))
    return KeepTogether(flowables + [Spacer(1, 4 * mm)])


def photo(data: bytes, caption: str, max_width: float = 110 * mm, max_height: float = 75 * mm) -> KeepTogether:
    image = Image(io.BytesIO(data))
    scale = min(max_width / image.imageWidth, max_height / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return KeepTogether([image, para(caption, "small"), Spacer(1, 3 * mm)])


class InstitutionIndex(DeferredPageNumbers, TableOfContents):
    """An index of institutions: each institution, then its practices with their pages.

    Filled by `IndexEntry` notifications (term, title, page, key) that PdfDocument sends
    for headings with an `index_term`; sorted by the Polish alphabet. Like a table of
    contents it is numbered by page references in a one-pass build (pagerefs.py).
    """

    def __init__(self):
        super().__init__(notifyKind="IndexEntry", dotsMinLevel=0,
                         levelStyles=[styles["toc1"], styles["toc2"]])

    def notify(self, kind, stuff):
        if kind == "IndexEntry":
            self._entries.append(tuple(stuff))

    def _display_entries(self, raw):
        grouped: dict[str, list] = {}
        for term, title, page, key in raw:
            grouped.setdefault(term, []).append((title, page, key))
        entries = []
        for term in sorted(grouped, key=polish_sort_key):
            practices = sorted(grouped[term], key=lambda item: item[1])
            entries.append((0, plain_markup(term), practices[0][1], practices[0][2]))
            entries += [(1, plain_markup(title), page, key) for title, page, key in practices]
        return entries

    def wrap(self, availWidth, availHeight):
        raw = self._lastEntries
        self._lastEntries = self._display_entries(raw)
        try:
            return super().wrap(availWidth, availHeight)
        finally:
            self._lastEntries = raw


def key_value_table(rows: list[tuple[str, str]], key_width: float = 55 * mm, total: float = 170 * mm) -> Table:
    table = data_table([[_cell(k, "cell_key", key_width), v] for k, v in rows], [key_width, total - key_width],
                       header=False)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), f"{FONT}-Bold"), ("TEXTCOLOR", (0, 0), (0, -1), MUTED)]))
    return table
