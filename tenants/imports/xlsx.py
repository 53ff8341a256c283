"""Opening an XLSX workbook for reading one sheet in a stream, without openpyxl's size scan.

openpyxl's read-only mode looks for each sheet's `<dimension>` element when the workbook
opens, and when a sheet has none it parses that whole sheet to find out: 3 million empty
`<row/>` elements (31 KB packed) take 16–30 s before a single row is read, for every sheet
of the workbook. The import resets the sizes before reading anyway (some programs write
wrong ones), so the sheets here are listed without that scan; rows are then read one by
one, never wider than the columns asked for, and the reader stops at its limits. Pinned to openpyxl 3.1 (requirements.lock): the
override below uses its reader's internals, and tests/test_import_limits.py fails if a
newer version scans again.
"""
import io

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# Stands after the last column read when a row has a filled cell further right.
BEYOND = "\u2026"


class _UnsizedSheet(ReadOnlyWorksheet):
    def _get_size(self):
        """Not scanned for its size: the caller calls reset_dimensions() and reads what is there."""

    def _get_row(self, row, min_col=1, max_col=None, values_only=False):
        """At most `max_col` cells are built (a row may name column XFD), then BEYOND if more were filled."""
        cells = super()._get_row(row, min_col, max_col, values_only)
        if max_col and any(cell["column"] > max_col and _filled(cell["value"]) for cell in row):
            cells += (BEYOND,)
        return cells


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


class _StreamingReader(ExcelReader):
    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(data: bytes):
    """A read-only workbook (values, not formulas) whose sheets are read row by row."""
    reader = _StreamingReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb
