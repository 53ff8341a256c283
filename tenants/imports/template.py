"""The import template: the exact headers, one example row, and (in XLSX) what each column takes."""
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from regionet.platform.exports import csv_bytes
from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.models import Isced, LabourStatus, LegalBasis, SensitiveAnswer, Sex
from regionet.tenants.participants.spreadsheet import COLUMNS, VOCABULARY

from .checking import EXAMPLE_ROW
from .reader import PREFERRED_SHEET

GENERAL_NOTES = (
    "Jak wypełnić plik importu uczestników",
    ("Jeden wiersz = jedna osoba. Nie zmieniaj nagłówków w pierwszym wierszu arkusza „Uczestnicy”; kolejność "
     "kolumn nie ma znaczenia, a kolumny nieobowiązkowe można usunąć."),
    "Wiersz przykładowy (Jan Przykładowy) jest przy imporcie pomijany — możesz go usunąć albo nadpisać.",
    ("Daty wpisuj jako dd.mm.rrrr albo jako daty programu Excel. Plik CSV może używać średnika lub przecinka "
     "i kodowania UTF-8 albo Windows-1250."),
    ("Przed zapisaniem czegokolwiek sprawdzany jest każdy wiersz. Jeśli któryś zawiera błędy, nic nie zostanie "
     "zaimportowane, dopóki nie zdecydujesz, czy zaimportować tylko poprawne wiersze."),
)


def example_row(communes: CommuneCatalogue, institution_code: str) -> list:
    commune = communes.get(institution_code) or (communes.communes[0] if communes.communes else None)
    values = {
        **EXAMPLE_ROW, "street": "ul. Słoneczna 1", "postal_code": "26-110",
        "locality": commune.name if commune else "", "commune_code": commune.code if commune else "",
        "phone": "600 100 200", "email": "jan.przykladowy@example.pl", "education": "ISCED 3",
        "labour_status": VOCABULARY[LabourStatus][LabourStatus.LONG_TERM_UNEMPLOYED][0], "disability": "nie",
        "migrant_or_minority": "nie", "homeless": "odmowa", "jobless_household": "tak",
        "legal_basis": VOCABULARY[LegalBasis][LegalBasis.PUBLIC_TASK][0], "legal_basis_date": date(2024, 1, 2),
        "consent_given": "nie", "notes": "przykład",
    }
    return [values.get(column.field) for column in COLUMNS]


def template_csv(communes: CommuneCatalogue, institution_code: str) -> bytes:
    return csv_bytes([c.header for c in COLUMNS], [example_row(communes, institution_code)])


def template_xlsx(communes: CommuneCatalogue, institution_code: str) -> bytes:
    workbook = Workbook()
    add_participants_sheet(workbook, workbook.active, communes, institution_code)
    add_notes(workbook)
    add_communes(workbook, communes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_participants_sheet(workbook: Workbook, sheet, communes: CommuneCatalogue, institution_code: str) -> None:
    """The participants' sheet with its example row, formats and drop-down lists."""
    sheet.title = PREFERRED_SHEET
    sheet.append([c.header for c in COLUMNS])
    sheet.append(example_row(communes, institution_code))
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.cell(1, position).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(len(column.header) + 2, 40))
        if column.kind == "date":
            for row in range(2, 1001):
                sheet.cell(row, position).number_format = "DD.MM.YYYY"
        elif column.kind in ("pesel", "commune") or column.field in ("postal_code", "phone"):
            for row in range(2, 1001):  # text, so that Excel keeps leading zeros
                sheet.cell(row, position).number_format = "@"
    sheet.freeze_panes = "A2"
    _add_choice_lists(workbook, sheet)


def _add_choice_lists(workbook: Workbook, sheet) -> None:
    """Drop-down lists of the usual words (a warning, not a block: other accepted spellings still pass)."""
    lists = workbook.create_sheet("Listy")
    lists.sheet_state = "hidden"
    vocabularies = {"sex": Sex, "education": Isced, "labour_status": LabourStatus, "legal_basis": LegalBasis,
                    "disability": SensitiveAnswer, "migrant_or_minority": SensitiveAnswer,
                    "homeless": SensitiveAnswer, "jobless_household": SensitiveAnswer}
    list_column = {}
    for enum_class in dict.fromkeys(vocabularies.values()):
        list_column[enum_class] = position = len(list_column) + 1
        for row, words in enumerate(VOCABULARY[enum_class].values(), start=1):
            lists.cell(row, position, words[0])
    for position, column in enumerate(COLUMNS, start=1):
        enum_class = vocabularies.get(column.field)
        if column.field == "consent_given":
            formula = '"tak,nie"'
        elif enum_class is not None:
            letter = get_column_letter(list_column[enum_class])
            formula = f"Listy!${letter}$1:${letter}${len(VOCABULARY[enum_class])}"
        else:
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning",
                                    error="Ta wartość nie jest na liście. Sprawdź arkusz „Objaśnienia”.")
        target = get_column_letter(position)
        validation.add(f"{target}2:{target}1000")
        sheet.add_data_validation(validation)


def add_notes(workbook: Workbook, general=GENERAL_NOTES, tables=((None, COLUMNS),)) -> None:
    """The notes sheet: how to fill in the file, then each sheet's columns (`tables`: (sheet name, columns))."""
    notes = workbook.create_sheet("Objaśnienia")
    notes.append([general[0]])
    notes.cell(1, 1).font = Font(bold=True, size=13)
    for line in general[1:]:
        notes.append([line])
    for name, columns in tables:
        notes.append([])
        if name:
            notes.append([f"Arkusz „{name}”"])
            notes.cell(notes.max_row, 1).font = Font(bold=True, size=12)
        notes.append(["Kolumna", "Obowiązkowa kolumna", "Co wpisać"])
        for cell in notes[notes.max_row]:
            cell.font = Font(bold=True)
        for column in columns:
            notes.append([column.header, "tak" if column.required else "nie", column.note])
    notes.column_dimensions["A"].width = 45
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 100
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def add_communes(workbook: Workbook, communes: CommuneCatalogue) -> None:
    sheet = workbook.create_sheet("Gminy")
    sheet.append(["Kod TERYT", "Gmina", "Rodzaj", "Powiat"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for commune in communes.communes:
        sheet.append([commune.code, commune.name, commune.kind_label, commune.county_name])
    for letter, width in zip("ABCD", (12, 28, 24, 36), strict=True):
        sheet.column_dimensions[letter].width = width
