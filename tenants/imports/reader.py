"""Reading an uploaded spreadsheet (XLSX or CSV) into a header row and numbered rows.

Accepts what Polish offices actually send: XLSX with real Excel dates, or CSV with
semicolons (Polish Excel) or commas, in UTF-8 with or without a BOM or in Windows-1250.
Anything else is refused with a message that says what to do instead.
"""
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook

PREFERRED_SHEET = "Uczestnicy"
MAX_ROWS = 50_000


class NotASpreadsheet(ValueError):
    """The file cannot be read as a table; the message says why, for the person who sent it."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, tuple]]  # (row number as the spreadsheet shows it, cells)


def open_table(data: bytes, file_name: str) -> Table:
    kind = sniff(data, file_name)
    return _xlsx(data) if kind == "xlsx" else _csv(data)


def sniff(data: bytes, file_name: str) -> str:
    """"xlsx" or "csv", judged by the content (a renamed file does not fool it), else NotASpreadsheet."""
    if not data:
        raise NotASpreadsheet(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotASpreadsheet(_("This is an old Excel 97–2003 file (.xls). Save it as XLSX or CSV and send it again."))
    if zipfile.is_zipfile(io.BytesIO(data)):
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            raise NotASpreadsheet(_("This is an OpenDocument file (.ods). Save it as XLSX or CSV and send it again."))
        raise NotASpreadsheet(_("This file is not a spreadsheet. Send an XLSX or CSV file made from the template."))
    if b"\x00" in data[:65536] or data.startswith(b"%PDF"):
        raise NotASpreadsheet(_("This file is not a spreadsheet. Send an XLSX or CSV file made from the template."))
    return "csv"


def _xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise NotASpreadsheet(_("The XLSX file is damaged and cannot be read. Save it again and send it.")) from error
    sheet = workbook[PREFERRED_SHEET] if PREFERRED_SHEET in workbook.sheetnames else workbook.worksheets[0]
    sheet.reset_dimensions()  # some programs write wrong dimensions; read what is really there
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    return _table(rows)


def _csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise NotASpreadsheet(_("The first row has no columns separated by semicolons or commas. "
                                "Send an XLSX or CSV file made from the template."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Row numbers count records, as a spreadsheet shows them (a quoted cell may span lines).
    return _table((number, tuple(row)) for number, row in enumerate(reader, start=1))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1250")  # Polish Windows and older Excel save CSV in this encoding
    except UnicodeDecodeError as error:
        raise NotASpreadsheet(_("The file's text encoding is not recognised. Save it as CSV UTF-8 and send it again.")) \
            from error


def _table(numbered_rows) -> Table:
    for _number, cells in numbered_rows:
        if any(_filled(cell) for cell in cells):
            headers = [str(cell).strip() if cell is not None else "" for cell in cells]
            return Table(headers=headers, rows=_limited(numbered_rows))
    raise NotASpreadsheet(_("The file has no rows."))


def _limited(numbered_rows) -> Iterator[tuple[int, tuple]]:
    for count, (number, cells) in enumerate(numbered_rows, start=1):
        if count > MAX_ROWS:
            raise NotASpreadsheet(_("The file has more than %(n)s rows. Split it into smaller files.", n=MAX_ROWS))
        if any(_filled(cell) for cell in cells):
            yield number, cells


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
