"""Reading an uploaded spreadsheet (XLSX or CSV) into a header row and numbered rows.

Accepts what Polish offices actually send: XLSX with real Excel dates, or CSV with
semicolons (Polish Excel) or commas, in UTF-8 with or without a BOM or in Windows-1250.
Anything else is refused with a message that says what to do instead.

Reading runs in the import worker only, within `ReadLimits`: a small file can stand for
millions of rows (3 million empty `<row/>` elements pack into 31 KB) or for gigabytes of
XML (a zip bomb), so every dimension is capped and so is the time. The web request looks
only at the first bytes (`first_look`), which takes the same time whatever the file holds.
"""
import csv
import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import filetype
from flask_babel import gettext as _

from regionet.platform.ui.formatting import format_number

from .kinds import ROW_FACTOR, ImportKind, kind_of_headers, kind_of_sheet
from .xlsx import BEYOND, open_workbook

PREFERRED_SHEET = "Uczestnicy"
MAX_ROWS = 50_000
SIGNATURE_BYTES = 65536
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may take; a file over any of them is refused with its own message."""

    data_rows: int = MAX_ROWS             # rows with something in them, after the header
    rows: int = 2 * MAX_ROWS              # every row read, empty ones too
    header_search_rows: int = 20          # the header must be among the first rows
    columns: int = 100
    cells: int = 2_000_000                # filled cells of the data rows
    unpacked_bytes: int = 150 * 1024 * 1024   # all parts of an XLSX, as its directory declares them
    # Every part but the sheets is read whole on opening (shared strings, styles): tens of MB of
    # tiny elements would take minutes, and a real list of participants needs a few.
    part_bytes: int = 40 * 1024 * 1024
    zip_entries: int = 1000
    seconds: float = 120.0


class NotASpreadsheet(ValueError):
    """The file cannot be read as a table; the message says why, for the person who sent it."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, tuple]]  # (row number as the spreadsheet shows it, cells)


@dataclass
class Sheet:
    """One table of an import: what it holds, and the sheet's name as the workbook shows it (None in a CSV)."""

    kind: ImportKind
    name: str | None
    table: Table


def open_sheets(data: bytes, file_name: str, limits: ReadLimits | None = None) -> list[Sheet]:
    """The tables of a whole-project import, participants first (the others refer to them).

    A workbook's sheets named as in kinds.SHEET_NAMES are read, the others (notes, lists) left
    alone; a workbook without such names, or a CSV, is one table whose headers say its kind.
    Each sheet has the limits of a file (an episodes or outcomes sheet ROW_FACTOR times the rows);
    the time limit is the whole file's.
    """
    limits = limits or ReadLimits()
    deadline = time.monotonic() + limits.seconds
    if sniff(data, file_name, limits) == "csv":
        table = _table(_bounded(_csv_rows(data, limits), limits, deadline), limits, by_headers=True)
        return [Sheet(kind_of_headers(table.headers), None, table)]
    workbook = _opened(data)
    chosen = [(kind_of_sheet(sheet.title), sheet) for sheet in workbook.worksheets]
    chosen = sorted(((kind, sheet) for kind, sheet in chosen if kind), key=lambda pair: list(ImportKind).index(pair[0]))
    if not chosen:
        chosen = [(None, workbook.worksheets[0])]
    sheets = []
    for kind, worksheet in chosen:
        factor = ROW_FACTOR.get(kind, 1)
        sheet_limits = replace(limits, data_rows=limits.data_rows * factor, rows=limits.rows * factor)
        table = _table(_bounded(_sheet_rows(worksheet, limits), sheet_limits, deadline), sheet_limits,
                       by_headers=kind is None)
        sheets.append(Sheet(kind or kind_of_headers(table.headers), worksheet.title, table))
    return sheets


def open_table(data: bytes, file_name: str, limits: ReadLimits | None = None) -> Table:
    limits = limits or ReadLimits()
    deadline = time.monotonic() + limits.seconds
    kind = sniff(data, file_name, limits)
    numbered_rows = _xlsx_rows(data, limits) if kind == "xlsx" else _csv_rows(data, limits)
    return _table(_bounded(numbered_rows, limits, deadline), limits)


def first_look(data: bytes) -> str | None:
    """What makes the file unusable judged by its first bytes alone (constant time); None when it may be one."""
    if not data:
        return _("The file is empty.")
    if data.startswith(OLE_SIGNATURE):
        return _("This is an old Excel 97–2003 file (.xls). Save it as XLSX or CSV and send it again.")
    if data.startswith(ZIP_SIGNATURES):
        return None  # what the archive holds is judged by the worker
    head = data[:SIGNATURE_BYTES]
    if b"\x00" in head or data.startswith(b"%PDF") or filetype.guess(head[:8192]) is not None:
        return _("This file is not a spreadsheet. Send an XLSX or CSV file made from the template.")
    return None


def sniff(data: bytes, file_name: str, limits: ReadLimits | None = None) -> str:
    """"xlsx" or "csv", judged by the content (a renamed file does not fool it), else NotASpreadsheet."""
    problem = first_look(data)
    if problem:
        raise NotASpreadsheet(problem)
    if not data.startswith(ZIP_SIGNATURES):
        return "csv"
    entries = _zip_directory(data, limits or ReadLimits())
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        raise NotASpreadsheet(_("This is an OpenDocument file (.ods). Save it as XLSX or CSV and send it again."))
    raise NotASpreadsheet(_("This file is not a spreadsheet. Send an XLSX or CSV file made from the template."))


def _zip_directory(data: bytes, limits: ReadLimits) -> list[zipfile.ZipInfo]:
    """The archive's entries, refused when unpacking them would exceed the limits (a zip bomb).

    The sizes are those the directory declares; Python's zipfile never unpacks more than
    that (a member that would grow further fails its check), so they bound the work.
    """
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise NotASpreadsheet(_("The XLSX file is damaged and cannot be read. Save it again and send it.")) from error
    parts = [entry for entry in entries if not entry.filename.startswith("xl/worksheets/")]
    if len(entries) > limits.zip_entries or sum(entry.file_size for entry in entries) > limits.unpacked_bytes:
        _too_large_unpacked(limits.unpacked_bytes)
    if any(entry.file_size > limits.part_bytes for entry in parts):
        _too_large_unpacked(limits.part_bytes)
    return entries


def _too_large_unpacked(limit: int):
    raise NotASpreadsheet(_("Unpacked, the XLSX file would take more than %(mb)s MB, more than a list of "
                            "participants ever needs. Save only the participants' sheet (or a CSV file) and "
                            "send it again.", mb=format_number(limit // (1024 * 1024))))


def _opened(data: bytes):
    try:
        workbook = open_workbook(data)
        if not workbook.worksheets:
            raise ValueError("no sheets")
        return workbook
    except Exception as error:  # openpyxl, zipfile and the XML parser raise many kinds for a damaged file
        raise NotASpreadsheet(_("The XLSX file is damaged and cannot be read. Save it again and send it.")) from error


def _sheet_rows(sheet, limits: ReadLimits) -> Iterator[tuple[int, tuple]]:
    try:
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is really there
        yield from enumerate(sheet.iter_rows(max_col=limits.columns, values_only=True), start=1)
    except NotASpreadsheet:
        raise
    except Exception as error:  # openpyxl, zipfile and the XML parser raise many kinds for a damaged file
        raise NotASpreadsheet(_("The XLSX file is damaged and cannot be read. Save it again and send it.")) from error


def _xlsx_rows(data: bytes, limits: ReadLimits) -> Iterator[tuple[int, tuple]]:
    try:
        workbook = open_workbook(data)
        sheet = workbook[PREFERRED_SHEET] if PREFERRED_SHEET in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is really there
        # Never wider than the limit; a filled cell further right ends the row with BEYOND.
        rows = sheet.iter_rows(max_col=limits.columns, values_only=True)
        yield from enumerate(rows, start=1)
    except NotASpreadsheet:
        raise
    except Exception as error:  # openpyxl, zipfile and the XML parser raise many kinds for a damaged file
        raise NotASpreadsheet(_("The XLSX file is damaged and cannot be read. Save it again and send it.")) from error


def _csv_rows(data: bytes, limits: ReadLimits) -> Iterator[tuple[int, tuple]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise NotASpreadsheet(_("The first row has no columns separated by semicolons or commas. "
                                "Send an XLSX or CSV file made from the template."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Row numbers count records, as a spreadsheet shows them (a quoted cell may span lines).
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            wider = len(row) > limits.columns and any(_filled(cell) for cell in row[limits.columns:])
            yield number, tuple(row[:limits.columns]) + ((BEYOND,) if wider else ())
    except csv.Error as error:
        raise NotASpreadsheet(_("Row %(row)s of the CSV file cannot be read (a cell is too long or a quotation "
                                "mark is not closed). Correct it and send the file again.", row=number + 1)) from error


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


def _bounded(numbered_rows: Iterable[tuple[int, tuple]], limits: ReadLimits,
             deadline: float) -> Iterator[tuple[int, tuple]]:
    """The rows with trailing empty cells cut off, refused as soon as a limit is passed."""
    cells = 0
    for count, (number, row) in enumerate(numbered_rows, start=1):
        if count % 1000 == 1 and time.monotonic() > deadline:
            raise NotASpreadsheet(_("Reading the file took longer than %(s)s seconds. Split it into smaller files "
                                    "and send them one by one.", s=format_number(int(limits.seconds))))
        if count > limits.rows:
            raise NotASpreadsheet(_("The file has more than %(n)s rows, counting empty ones. Delete the empty rows "
                                    "below the data (or split the file) and send it again.",
                                    n=format_number(limits.rows)))
        end = 0 if row.count(None) == len(row) else len(row)  # the common empty row, at C speed
        while end and not _filled(row[end - 1]):
            end -= 1
        if end > limits.columns:
            raise NotASpreadsheet(_("Row %(row)s has more than %(n)s columns. Use the columns of the template.",
                                    row=number, n=format_number(limits.columns)))
        cells += end
        if cells > limits.cells:
            raise NotASpreadsheet(_("The file has more than %(n)s filled cells. Split it into smaller files.",
                                    n=format_number(limits.cells)))
        yield number, tuple(row[:end])


def _table(numbered_rows: Iterator[tuple[int, tuple]], limits: ReadLimits, by_headers: bool = False) -> Table:
    """`by_headers`: the table's kind is known by its headers only, and so is its row limit."""
    for number, cells in numbered_rows:
        if cells:
            headers = [str(cell).strip() if cell is not None else "" for cell in cells]
            if by_headers:
                limits = replace(limits, data_rows=limits.data_rows * ROW_FACTOR.get(kind_of_headers(headers), 1))
            return Table(headers=headers, rows=_data_rows(numbered_rows, limits))
        if number >= limits.header_search_rows:
            raise NotASpreadsheet(_("The first %(n)s rows of the file are empty. The header row (the column names "
                                    "of the template) must be at the top.", n=limits.header_search_rows))
    raise NotASpreadsheet(_("The file has no rows."))


def _data_rows(numbered_rows: Iterator[tuple[int, tuple]], limits: ReadLimits) -> Iterator[tuple[int, tuple]]:
    count = 0
    for number, cells in numbered_rows:
        if cells:
            count += 1
            if count > limits.data_rows:
                raise NotASpreadsheet(_("The file has more than %(n)s rows. Split it into smaller files.",
                                        n=format_number(limits.data_rows)))
            yield number, cells


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
