"""The one path by which text reaches ReportLab's markup parser.

A ReportLab `Paragraph` (and the contents, the index, `XPreformatted`...) reads its text as
markup: `<img src="/etc/passwd"/>` makes the process open that file, `<font name=…>` asks
for a font that is not there, `<a href="javascript:…">` writes a link into the PDF. Names,
titles and descriptions come from users, operators and the database, so they are plain
text: every one of them reaches ReportLab through this module, which escapes it. No other
module may build a markup-parsing flowable (tests/test_pdf_markup.py fails the suite on a
`Paragraph(` anywhere else); the contents and index classes in this package pass their
entries through `plain_markup` too.
"""
import re
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .styles import styles

# C0 controls but tab, line feed and carriage return, and DEL: nothing a reader should see.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_markup(text) -> str:
    """`text` as paragraph markup that shows exactly that text: & < > and quotes escaped."""
    return escape(_CONTROL.sub("", str(text)), {'"': "&quot;", "'": "&#39;"})


def para(text: str | None, style: str | ParagraphStyle = "body", line_breaks: bool = True) -> Paragraph:
    """A paragraph of plain text ("—" when there is none); line breaks kept unless told otherwise."""
    markup = plain_markup(text or "—")
    if line_breaks:
        markup = markup.replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(markup, styles[style] if isinstance(style, str) else style)


def paragraphs(text: str | None, style: str = "body") -> list:
    """One paragraph per non-empty line of `text`."""
    return [para(chunk.strip(), style) for chunk in (text or "").split("\n") if chunk.strip()]


class Heading(Paragraph):
    """A heading that is listed in the table of contents and as a PDF bookmark.

    `text` is plain text (escaped here). A heading with an `index_term` is also listed
    under that term in an index (see platform/pdf/catalogue.py, InstitutionIndex), and a
    `running` heading becomes the running page header from its page on.
    """

    def __init__(self, text: str, level: int = 1, index_term: str | None = None, running: bool = False):
        super().__init__(plain_markup(text), styles[f"h{level}"])
        self.toc_level = level - 1
        self.plain_text = text
        self.index_term = index_term
        self.running = running
