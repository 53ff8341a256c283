"""Templates of a whole-project import: one per kind of row, and one workbook with every sheet.

Each has the exact headers, an example row for the template's example person (Jan
Przykładowy, whose rows the import skips), drop-down lists of the usual words and a sheet
listing the institution's projects as the "Projekt" column may name them.
"""
import io
from datetime import date, timedelta

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from regionet.platform.exports import csv_bytes
from regionet.tenants.participants.communes import CommuneCatalogue

from .checking import EXAMPLE_ROW
from .kinds import COLUMNS_BY_KIND, SHEET_NAMES, WORDS, ImportKind
from .template import add_communes, add_notes, add_participants_sheet

PROJECTS_SHEET = "Projekty"
WORKBOOK_NOTES = (
    "Jak wypełnić plik importu projektu",
    ("Arkusze: „Uczestnicy” (jedna osoba w wierszu), „Udział w projektach” (osoba w projekcie: daty "
     "rozpoczęcia i zakończenia udziału), „Wsparcie” (formy wsparcia w ramach udziału) i „Rezultaty”. "
     "Arkusze, których nie potrzebujesz, możesz usunąć; nazw arkuszy i nagłówków nie zmieniaj."),
    ("Osobę wskazuje jej PESEL — także osobę dopisaną w arkuszu „Uczestnicy” tego samego pliku — albo, dla "
     "osoby bez PESEL już zarejestrowanej, jej identyfikator z platformy. Projekt wskazuje jego kod albo tytuł "
     "z arkusza „Projekty”."),
    "Wiersze przykładowe (Jan Przykładowy, PESEL 44051401359) są przy imporcie pomijane.",
    "Daty wpisuj jako dd.mm.rrrr albo jako daty programu Excel.",
    ("Przed zapisaniem czegokolwiek sprawdzany jest każdy wiersz każdego arkusza. Jeśli któryś zawiera błędy, "
     "nic nie zostanie zaimportowane, dopóki nie zdecydujesz, czy zaimportować tylko poprawne wiersze."),
)


def example_values(kind: ImportKind, project) -> dict:
    """The example row of a kind, inside the first project's period (or a made-up code without projects)."""
    start = project.start_date if project else date(2024, 1, 2)
    end = project.end_date if project else date(2024, 12, 31)
    entry = min(start + timedelta(days=30), end)
    common = {"pesel": EXAMPLE_ROW["pesel"], "project": project.code if project else "KOD-PROJEKTU"}
    words = {name: next(iter(table.values()))[0] for name, table in WORDS.items()}
    return {
        ImportKind.ENROLMENTS: {**common, "entry_date": entry, "status_at_entry": words["labour"]},
        ImportKind.EPISODES: {**common, "instrument": words["instrument"], "start_date": entry,
                              "end_date": min(entry + timedelta(days=60), end), "hours": 120, "notes": "przykład"},
        ImportKind.OUTCOMES: {**common, "kind": words["outcome"], "achieved_on": min(entry + timedelta(days=90), end),
                              "evidence": "umowa o pracę"},
    }[kind]


def project_template_csv(kind: ImportKind, projects: list) -> bytes:
    columns = COLUMNS_BY_KIND[kind]
    values = example_values(kind, projects[0] if projects else None)
    return csv_bytes([c.header for c in columns], [[values.get(c.field) for c in columns]])


def project_template_xlsx(kind: ImportKind, projects: list) -> bytes:
    workbook = Workbook()
    _add_kind_sheet(workbook, workbook.active, kind, projects)
    add_notes(workbook, WORKBOOK_NOTES, ((SHEET_NAMES[kind], COLUMNS_BY_KIND[kind]),))
    _add_projects(workbook, projects)
    return _saved(workbook)


def workbook_template_xlsx(communes: CommuneCatalogue, institution_code: str, projects: list) -> bytes:
    workbook = Workbook()
    add_participants_sheet(workbook, workbook.active, communes, institution_code)
    for kind in (ImportKind.ENROLMENTS, ImportKind.EPISODES, ImportKind.OUTCOMES):
        _add_kind_sheet(workbook, workbook.create_sheet(), kind, projects)
    add_notes(workbook, WORKBOOK_NOTES, [(SHEET_NAMES[kind], COLUMNS_BY_KIND[kind]) for kind in ImportKind])
    _add_projects(workbook, projects)
    add_communes(workbook, communes)
    return _saved(workbook)


def _add_kind_sheet(workbook: Workbook, sheet, kind: ImportKind, projects: list) -> None:
    columns = COLUMNS_BY_KIND[kind]
    sheet.title = SHEET_NAMES[kind]
    sheet.append([c.header for c in columns])
    values = example_values(kind, projects[0] if projects else None)
    sheet.append([values.get(c.field) for c in columns])
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.cell(1, position).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(len(column.header) + 2, 40))
        if column.kind == "date":
            for row in range(2, 1001):
                sheet.cell(row, position).number_format = "DD.MM.YYYY"
        elif column.kind in ("pesel", "id", "project"):
            for row in range(2, 1001):   # text, so that Excel keeps leading zeros
                sheet.cell(row, position).number_format = "@"
        if column.kind in WORDS:
            _add_word_list(workbook, sheet, letter, column.kind)
    sheet.freeze_panes = "A2"


def _add_word_list(workbook: Workbook, sheet, target: str, kind: str) -> None:
    """A drop-down of the usual words (a warning only: other accepted spellings still pass)."""
    name = "Słowniki"
    if name not in workbook.sheetnames:
        workbook.create_sheet(name).sheet_state = "hidden"
    lists = workbook[name]
    position = list(WORDS).index(kind) + 1
    words = [table[0] for table in WORDS[kind].values()]
    for row, word in enumerate(words, start=1):
        lists.cell(row, position, word)
    letter = get_column_letter(position)
    validation = DataValidation(type="list", formula1=f"'{name}'!${letter}$1:${letter}${len(words)}",
                                allow_blank=True, errorStyle="warning",
                                error="Ta wartość nie jest na liście. Sprawdź arkusz „Objaśnienia”.")
    validation.add(f"{target}2:{target}1000")
    sheet.add_data_validation(validation)


def _add_projects(workbook: Workbook, projects: list) -> None:
    sheet = workbook.create_sheet(PROJECTS_SHEET)
    sheet.append(["Kod", "Tytuł", "Początek", "Koniec"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for project in projects:
        sheet.append([project.code, project.title, project.start_date, project.end_date])
        for cell in sheet[sheet.max_row][2:]:
            cell.number_format = "DD.MM.YYYY"
    for letter, width in zip("ABCD", (18, 60, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
