"""Shared PDF machinery (ReportLab): Polish fonts, styles, page furniture, TOC."""
from .document import FONT, Heading, PdfDocument, build_pdf, styles, table_of_contents

__all__ = ["FONT", "Heading", "PdfDocument", "build_pdf", "styles", "table_of_contents"]
