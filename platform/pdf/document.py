"""A ReportLab document with Polish typography, page headers and "Strona X z Y" footers.

Fonts and styles are in styles.py; every text that ReportLab parses as markup is made in
text.py (the one escaping path).
"""
import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from .pagerefs import DeferredPageNumbers, define_page_references
from .styles import BRAND, FONT, FONT_DIR, MUTED, styles  # noqa: F401  (re-exported)
from .text import Heading, plain_markup


@dataclass
class PageFurniture:
    header: str
    footer_left: str
    page_label: str = "Strona {page} z {pages}"


def _numbered_canvas(furniture: PageFurniture):
    """A canvas that buffers pages so each footer can say how many pages there are."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            define_page_references(self, self.__dict__.get("_heading_pages", {}), colors.black)
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_furniture(total, state.get("_running_section"))
                super().showPage()
            super().save()

        def _draw_furniture(self, total: int, section: str | None = None) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            if self._pageNumber > 1:
                header = furniture.header
                if section:
                    header = _fit(f"{header} · {section}", width - 40 * mm)
                self.drawString(20 * mm, height - 12 * mm, header)
                self.setStrokeColor(colors.HexColor("#d0d5dd"))
                self.line(20 * mm, height - 13.5 * mm, width - 20 * mm, height - 13.5 * mm)
            self.drawString(20 * mm, 10 * mm, furniture.footer_left)
            self.drawRightString(width - 20 * mm, 10 * mm,
                                 furniture.page_label.format(page=self._pageNumber, pages=total))
            self.restoreState()

    return NumberedCanvas


def _fit(text: str, width: float, size: float = 8) -> str:
    """Shorten `text` with an ellipsis so that it fits `width` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def _not_drawn(*args, **kwargs) -> None:
    return None


class LayoutFrame(Frame):
    """A frame that, while `layout_only`, places flowables (wrap, split, page breaks) without drawing them.

    For a pass whose pages are thrown away: multiBuild only keeps the last pass, and the
    first pass of a document whose contents were announced with page 0 can never be the
    last (see build_pdf). Drawing is more than half of a pass.
    """

    layout_only = False

    def _add(self, flowable, canv, trySplit=0):
        if not self.layout_only:
            return super()._add(flowable, canv, trySplit)
        # This object only, for this placement (through __dict__: charts refuse unknown attributes).
        flowable.__dict__["drawOn"] = _not_drawn
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            flowable.__dict__.pop("drawOn", None)

    add = _add


class PdfDocument(BaseDocTemplate):
    """A4 document, Polish language tag, bookmarks and TOC entries for Heading flowables.

    `on_heading(pass_number, passes_expected, heading)` is called for every Heading drawn,
    in every pass: long reports use it to report their progress. `passes_expected` is 1 in a
    one-pass build (page references, pagerefs.py), 2 when the headings were announced to a
    multi-pass build, and a guess of 3 otherwise.
    """

    def __init__(self, buffer, *, title: str, author: str, subject: str = "", lang: str = "pl-PL",
                 keywords: str = "", on_heading: Callable | None = None):
        super().__init__(
            buffer, pagesize=A4, title=title, author=author, subject=subject, creator="Regionet",
            lang=lang, displayDocTitle=True, leftMargin=20 * mm, rightMargin=20 * mm,
            topMargin=20 * mm, bottomMargin=18 * mm, keywords=keywords,
        )
        self._frame = LayoutFrame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[self._frame])])
        self._heading_seq = 0
        self.pass_number = 0
        self._on_heading = on_heading
        self.first_pass_layout_only = False   # set by build_pdf when the first pass cannot be the last
        self.passes_expected = 3              # set by build_pdf
        self.heading_pages: dict[str, int] = {}

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self._heading_seq += 1
            key = f"h{self._heading_seq}"
            text = getattr(flowable, "plain_text", None) or flowable.getPlainText()
            self.canv.bookmarkPage(key)
            self.heading_pages[key] = self.page
            self.canv.__dict__["_heading_pages"] = self.heading_pages
            self.canv.addOutlineEntry(text, key, level=flowable.toc_level)
            # TOC entries are paragraph markup: the text goes through the one escaping path.
            self.notify("TOCEntry", (flowable.toc_level, plain_markup(text), self.page, key))
            if getattr(flowable, "index_term", None):
                self.notify("IndexEntry", (flowable.index_term, text, self.page, key))
            if getattr(flowable, "running", False):
                self.canv._running_section = text
            if self._on_heading is not None:
                self._on_heading(self.pass_number, self.passes_expected, flowable)

    def handle_documentBegin(self):
        self._heading_seq = 0
        self.pass_number += 1
        self._frame.layout_only = self.first_pass_layout_only and self.pass_number == 1
        super().handle_documentBegin()


class ContentsTable(DeferredPageNumbers, TableOfContents):
    """The table of contents; in a one-pass build its page numbers are page references."""


def table_of_contents() -> TableOfContents:
    toc = ContentsTable()
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    toc.dotsMinLevel = 0
    return toc


def _announce_headings(story: list) -> int:
    """Tell the contents and indexes of `story` its headings before the first pass (pages unknown: 0).

    A table of contents shows the entries of the previous pass, so an empty one grows
    between the first and second passes, moves every later page, and a third pass is
    needed to confirm the numbers: three layouts of a long report. Told in advance, the
    first pass already has contents of the final size and the second one is the last.
    The keys are those PdfDocument.afterFlowable gives (h1, h2, … in the order drawn);
    a guess that turns out wrong (a heading nested in another flowable) only costs the
    pass multiBuild would have made anyway: it stops when two passes agree.
    """
    headings = [f for f in story if isinstance(f, Heading)]
    indexes = [f for f in story if isinstance(f, TableOfContents)]
    for number, heading in enumerate(headings, start=1):
        key = f"h{number}"
        for index in indexes:
            index.notify("TOCEntry", (heading.toc_level, plain_markup(heading.plain_text), 0, key))
            if heading.index_term:
                index.notify("IndexEntry", (heading.index_term, heading.plain_text, 0, key))
    return len(headings) if indexes else 0


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def _without_pages(entries: list[tuple]) -> list[tuple]:
    """Entries of a contents (level, text, page, key) or an index (term, title, page, key), pages left out."""
    return [entry[:2] + entry[3:] for entry in entries]


def _build_once(story: list, indexes: list, make_document, canvasmaker) -> tuple | None:
    """One layout pass, contents and indexes numbered by page references; None when a heading
    was not where it was announced (then the caller lays the document out as often as needed)."""
    for index in indexes:
        index._lastEntries, index._entries, index.deferred = index._entries[:], [], True
    announced = [list(index._lastEntries) for index in indexes]
    buffer, document = make_document()
    document.passes_expected = 1
    document._indexingFlowables = list(indexes)   # multiBuild registers them; build() does not
    try:
        document.build(story[:], canvasmaker=canvasmaker)   # build() consumes the list it is given
    finally:
        for index in indexes:
            index.deferred = False
    drawn = [_without_pages(index._entries) for index in indexes]
    expected = [_without_pages(entries) for entries in announced]
    for index, entries in zip(indexes, announced, strict=True):
        index._entries = entries   # as announced again, for the passes of a fallback build
    return (buffer, document) if drawn == expected else None


def build_pdf(story: list, *, title: str, author: str, header: str, footer: str,
              subject: str = "", page_label: str = "Strona {page} z {pages}", keywords: str = "",
              on_heading: Callable | None = None) -> RenderedPdf:
    """Render `story` to PDF bytes: in one layout pass when its contents and indexes can use
    page references (pagerefs.py), else in as many passes as they need."""
    def make_document():
        buffer = io.BytesIO()
        return buffer, PdfDocument(buffer, title=title, author=author, subject=subject, keywords=keywords,
                                   on_heading=on_heading)

    canvasmaker = _numbered_canvas(PageFurniture(header=header, footer_left=footer, page_label=page_label))
    indexes = [f for f in story if isinstance(f, TableOfContents)]
    if not indexes:
        buffer, document = make_document()
        document.build(story, canvasmaker=canvasmaker)
        return RenderedPdf(buffer.getvalue(), document.page)
    announced = _announce_headings(story) > 0
    if announced and all(isinstance(index, DeferredPageNumbers) for index in indexes):
        built = _build_once(story, indexes, make_document, canvasmaker)
        if built is not None:
            buffer, document = built
            return RenderedPdf(buffer.getvalue(), document.page)
    # Announced entries carry page 0 and every real page is at least 1, so the first
    # pass is never the last one: it only needs to lay the pages out.
    buffer, document = make_document()
    document.first_pass_layout_only = announced
    document.passes_expected = 2 if announced else 3
    document.multiBuild(story, canvasmaker=canvasmaker, maxPasses=12)
    return RenderedPdf(buffer.getvalue(), document.page)
