"""Shared PDF machinery (ReportLab): Polish fonts, styles, page furniture, TOC.

Text reaches ReportLab's markup parser only through `text.py` (`para`, `paragraphs`, `Heading`).
"""
from .document import PdfDocument, build_pdf, table_of_contents
from .styles import FONT, styles
from .text import Heading, para, paragraphs, plain_markup

__all__ = ["FONT", "Heading", "PdfDocument", "build_pdf", "para", "paragraphs", "plain_markup", "styles",
           "table_of_contents"]
