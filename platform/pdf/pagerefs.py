"""Page numbers printed before their page is known: contents and indexes in one layout pass.

ReportLab's TableOfContents prints the page numbers of the previous pass, so a document
with contents is laid out at least twice. When every heading is known before the build
(build_pdf announces them), the entries, and so the size of the contents, are known too;
only the numbers are not. Each number is then drawn as a reference to a named PDF form
(an XObject) that is filled in when the document is saved and every page is known: the
same bytes on the page as drawn text, one layout pass instead of two.
"""
from ast import literal_eval

from reportlab.pdfbase.pdfmetrics import stringWidth

NUMBER_BOX = 40   # points either side of the number's right end: room for any page number
WIDEST_NUMBER = "0000"
DOT = " . "


def form_name(key: str, font: str, size: float) -> str:
    return f"pageref-{key}-{font}-{size:g}"


def draw_page_reference(canvas, key: str, font: str, size: float, right: float, y: float) -> None:
    """Draw the page number of heading `key`, right-aligned at `right`, once the document knows it."""
    canvas.__dict__.setdefault("_page_references", set()).add((key, font, size))
    canvas.saveState()
    canvas.translate(right, y)
    canvas.doForm(form_name(key, font, size))
    canvas.restoreState()


def define_page_references(canvas, pages: dict[str, int], color) -> None:
    """Fill in every page number drawn by reference (call before the canvas is saved)."""
    for key, font, size in sorted(canvas.__dict__.get("_page_references", ())):
        canvas.beginForm(form_name(key, font, size), lowerx=-NUMBER_BOX, lowery=-NUMBER_BOX / 2,
                         upperx=NUMBER_BOX / 4, uppery=NUMBER_BOX)
        canvas.setFont(font, size)
        canvas.setFillColor(color)
        canvas.drawRightString(0, 0, str(pages[key]))
        canvas.endForm()


class DeferredPageNumbers:
    """For TableOfContents subclasses: with `deferred` set, entries end in dot leaders and a
    page reference instead of the page number of the previous pass."""

    deferred = False

    def wrap(self, availWidth, availHeight):
        size = super().wrap(availWidth, availHeight)
        if self.deferred:
            self.canv.setNamedCB("drawTOCEntryEnd", self._entry_end(availWidth))
        return size

    def _entry_end(self, available: float):
        def draw(canvas, kind, label):
            parts = label.split(",")
            level, key = int(parts[1]), literal_eval(parts[2])
            if key is None:   # ReportLab's placeholder of an empty list: no page to name
                return
            style = self.getLevelStyle(level)
            font, size = style.fontName, style.fontSize
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            number = stringWidth(WIDEST_NUMBER, font, size)
            if 0 <= self.dotsMinLevel <= level:
                dot_width = stringWidth(DOT, font, size)
                dots = int((available - x - number) / dot_width)
                if dots > 0:
                    text = canvas.beginText(available - number - dots * dot_width, y)
                    text.setFont(font, size)
                    text.textOut(dots * DOT)
                    canvas.drawText(text)
            draw_page_reference(canvas, key, font, size, available, y)
        return draw
