"""Fonts and paragraph styles of every PDF the platform makes.

ReportLab's built-in Helvetica covers Latin-1 only and cannot draw ą ę ł ń ś ź ż, so
every style uses DejaVu Sans, shipped with the project and embedded (subset) in
each PDF with a ToUnicode map, which keeps the text searchable and extractable.
"""
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_DIR = Path(__file__).parent / "fonts"
BRAND = colors.HexColor("#1d4e89")
MUTED = colors.HexColor("#4a5563")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    faces = {
        FONT: "DejaVuSans.ttf",
        f"{FONT}-Bold": "DejaVuSans-Bold.ttf",
        f"{FONT}-Oblique": "DejaVuSans-Oblique.ttf",
        f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Oblique", boldItalic=f"{FONT}-BoldOblique")


_register_fonts()


def _style(name, size=10, leading=None, **kw) -> ParagraphStyle:
    kw.setdefault("fontName", FONT)
    kw.setdefault("alignment", TA_LEFT)
    return ParagraphStyle(name, fontSize=size, leading=leading or size * 1.35, **kw)


styles = {
    "title": _style("title", 24, fontName=f"{FONT}-Bold", textColor=BRAND, spaceAfter=8 * mm),
    "subtitle": _style("subtitle", 13, textColor=MUTED, spaceAfter=4 * mm),
    "h1": _style("h1", 16, fontName=f"{FONT}-Bold", textColor=BRAND, spaceBefore=4 * mm, spaceAfter=3 * mm),
    "h2": _style("h2", 12.5, fontName=f"{FONT}-Bold", spaceBefore=3 * mm, spaceAfter=2 * mm),
    "h3": _style("h3", 10.5, fontName=f"{FONT}-Bold", textColor=BRAND, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
    "body": _style("body", 10, spaceAfter=2 * mm),
    "small": _style("small", 8, textColor=MUTED),
    "cell": _style("cell", 9),
    "cell_bold": _style("cell_bold", 9, fontName=f"{FONT}-Bold"),
    "cell_right": _style("cell_right", 9, alignment=TA_RIGHT),
    "cell_key": _style("cell_key", 9, fontName=f"{FONT}-Bold", textColor=MUTED),
    "cover_title": _style("cover_title", 30, leading=36, fontName=f"{FONT}-Bold", textColor=BRAND, spaceAfter=6 * mm),
    "cover_line": _style("cover_line", 13, textColor=MUTED, spaceAfter=2 * mm),
    "italic": _style("italic", 9.5, fontName=f"{FONT}-Oblique", textColor=MUTED, spaceAfter=2 * mm),
    # The right indent keeps long entries clear of the page-number column.
    "toc1": _style("toc1", 11, leftIndent=0, firstLineIndent=0, rightIndent=14 * mm),
    "toc2": _style("toc2", 10, leftIndent=8 * mm, firstLineIndent=0, rightIndent=14 * mm),
}
