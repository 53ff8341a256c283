"""The participant list as a spreadsheet: its columns, its words, and how cells become values.

One format serves the export, the import template and the import, so a list exported
from one institution can be imported by another. Headers and values are Polish, as
in the SM EFS participant lists the institutions already keep; they do not change
with the interface language because files travel between people.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl.utils.datetime import from_excel

from .models import Isced, LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str            # text, pesel, date, choice, consent, commune
    required: bool       # the column must be present in an imported file
    note: str            # what the template's notes sheet says about it
    aliases: tuple[str, ...] = ()


SENSITIVE_NOTE = "tak / nie / odmowa (odmowa podania informacji nie blokuje udziału w projekcie)"
COLUMNS = (
    Column("Imię", "first_name", "text", True, "wymagane"),
    Column("Nazwisko", "last_name", "text", True, "wymagane"),
    Column("PESEL", "pesel", "pesel", True,
           "11 cyfr; data urodzenia i płeć wynikają z numeru. Puste pole oznacza osobę bez numeru PESEL "
           "(wtedy wymagane są data urodzenia i płeć). Komórki PESEL najlepiej sformatować jako tekst."),
    Column("Data urodzenia", "birth_date", "date", False, "dd.mm.rrrr; tylko dla osoby bez numeru PESEL"),
    Column("Płeć", "sex", "choice", False, "K (kobieta) albo M (mężczyzna); tylko dla osoby bez numeru PESEL"),
    Column("Ulica i numer", "street", "text", False, "nieobowiązkowe", ("Ulica", "Adres")),
    Column("Kod pocztowy", "postal_code", "text", False, "00-000; nieobowiązkowe"),
    Column("Miejscowość", "locality", "text", False, "nieobowiązkowe"),
    Column("Gmina (kod TERYT)", "commune_code", "commune", True,
           "7-cyfrowy kod TERYT gminy zamieszkania z arkusza „Gminy” (albo nazwa gminy, jeśli jest jednoznaczna)",
           ("Gmina", "Kod TERYT gminy", "TERYT")),
    Column("Telefon", "phone", "text", False, "nieobowiązkowe"),
    Column("E-mail", "email", "text", False, "nieobowiązkowe", ("Email", "Adres e-mail")),
    Column("Wykształcenie (ISCED)", "education", "choice", False,
           "ISCED 0, ISCED 1, ISCED 2, ISCED 3, ISCED 4 albo ISCED 5-8; nieobowiązkowe", ("Wykształcenie",)),
    Column("Status na rynku pracy", "labour_status", "choice", True,
           "status w chwili przystąpienia: osoba bezrobotna zarejestrowana, osoba długotrwale bezrobotna, "
           "osoba bezrobotna niezarejestrowana, osoba bierna zawodowo albo osoba pracująca", ("Status",)),
    Column("Niepełnosprawność", "disability", "choice", True, SENSITIVE_NOTE, ("Osoba z niepełnosprawnościami",)),
    Column("Migrant, obce pochodzenie lub mniejszość", "migrant_or_minority", "choice", True, SENSITIVE_NOTE,
           ("Migrant", "Mniejszość")),
    Column("Bezdomność lub wykluczenie z dostępu do mieszkań", "homeless", "choice", True, SENSITIVE_NOTE,
           ("Bezdomność",)),
    Column("Gospodarstwo domowe bez osób pracujących", "jobless_household", "choice", True, SENSITIVE_NOTE),
    Column("Podstawa prawna", "legal_basis", "choice", True,
           "zgoda, obowiązek prawny albo zadanie publiczne (podstawa przetwarzania danych, art. 6 RODO)"),
    Column("Data podstawy prawnej", "legal_basis_date", "date", True, "dd.mm.rrrr; nie może być z przyszłości"),
    Column("Zgoda", "consent_given", "consent", False,
           "tak / nie; przy podstawie prawnej „zgoda” wymagane „tak” i data zgody"),
    Column("Data zgody", "consent_date", "date", False, "dd.mm.rrrr; wymagana, gdy zgoda = tak"),
    Column("Uwagi", "notes", "text", False, "nieobowiązkowe"),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
EXPORT_EXTRA_HEADERS = ("Data rejestracji",)

# The accepted words for each value; the first one is what exports and the template write.
VOCABULARY = {
    Sex: {Sex.FEMALE: ("K", "kobieta", "F", "female"), Sex.MALE: ("M", "mężczyzna", "male")},
    SensitiveAnswer: {
        SensitiveAnswer.YES: ("tak", "t", "yes", "y"),
        SensitiveAnswer.NO: ("nie", "n", "no"),
        SensitiveAnswer.REFUSED: ("odmowa", "odmowa podania informacji", "odmowa odpowiedzi", "odmówiła",
                                  "odmówił", "refused"),
    },
    LabourStatus: {
        LabourStatus.REGISTERED_UNEMPLOYED: (
            "osoba bezrobotna zarejestrowana", "bezrobotny zarejestrowany", "bezrobotna zarejestrowana w PUP",
            "osoba bezrobotna zarejestrowana w ewidencji urzędu pracy", "registered_unemployed"),
        LabourStatus.LONG_TERM_UNEMPLOYED: ("osoba długotrwale bezrobotna", "długotrwale bezrobotny", "long_term_unemployed"),
        LabourStatus.UNREGISTERED_UNEMPLOYED: (
            "osoba bezrobotna niezarejestrowana", "bezrobotny niezarejestrowany",
            "osoba bezrobotna niezarejestrowana w ewidencji urzędu pracy", "unregistered_unemployed"),
        LabourStatus.INACTIVE: ("osoba bierna zawodowo", "bierny zawodowo", "inactive"),
        LabourStatus.EMPLOYED: ("osoba pracująca", "pracujący", "zatrudniona", "zatrudniony", "employed"),
    },
    Isced: {
        Isced.NONE: ("ISCED 0", "0", "niższe niż podstawowe", "brak", "isced0"),
        Isced.PRIMARY: ("ISCED 1", "1", "podstawowe", "isced1"),
        Isced.LOWER_SECONDARY: ("ISCED 2", "2", "gimnazjalne", "isced2"),
        Isced.UPPER_SECONDARY: ("ISCED 3", "3", "ponadgimnazjalne", "ponadpodstawowe", "średnie", "isced3"),
        Isced.POST_SECONDARY: ("ISCED 4", "4", "policealne", "isced4"),
        Isced.TERTIARY: ("ISCED 5-8", "ISCED 5", "ISCED 6", "ISCED 7", "ISCED 8", "5", "6", "7", "8", "wyższe",
                         "isced5_8"),
    },
    LegalBasis: {
        LegalBasis.CONSENT: ("zgoda", "consent"),
        LegalBasis.LEGAL_OBLIGATION: ("obowiązek prawny", "legal_obligation"),
        LegalBasis.PUBLIC_TASK: ("zadanie publiczne", "zadanie realizowane w interesie publicznym", "public_task"),
    },
}
CHOICE_ENUMS = {"sex": Sex, "education": Isced, "labour_status": LabourStatus, "legal_basis": LegalBasis,
                "disability": SensitiveAnswer, "migrant_or_minority": SensitiveAnswer, "homeless": SensitiveAnswer,
                "jobless_household": SensitiveAnswer}
CONSENT_WORDS = {True: ("tak", "t", "yes"), False: ("nie", "n", "no")}
WARSAW = ZoneInfo("Europe/Warsaw")
DATE_PATTERNS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%y")


@dataclass
class ColumnMatch:
    index: dict[str, int]            # field -> position in the file's rows
    missing: list[Column]            # required columns the file lacks
    repeated: list[str]              # headers that appear twice


def header_key(text) -> str:
    """Headers match whatever the case, spacing, diacritics or a note in brackets."""
    text = re.sub(r"\(.*?\)", " ", str(text or "")).casefold().replace("ł", "l")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_HEADER_LOOKUP = {header_key(name): column for column in COLUMNS for name in (column.header, *column.aliases)}


def match_columns(headers: list[str]) -> ColumnMatch:
    index: dict[str, int] = {}
    repeated = []
    for position, header in enumerate(headers):
        column = _HEADER_LOOKUP.get(header_key(header))
        if column is None:
            continue  # other columns (e.g. the export's registration date) are ignored
        if column.field in index:
            repeated.append(header)
        else:
            index[column.field] = position
    missing = [column for column in COLUMNS if column.required and column.field not in index]
    return ColumnMatch(index=index, missing=missing, repeated=repeated)


def word_key(text: str) -> str:
    """How two spellings of a word are compared: case, spaces, dashes and "osoba" do not matter."""
    text = str(text).casefold().replace("–", "-").strip()
    text = re.sub(r"^osoba\s+", "", text)
    return re.sub(r"[\s_-]+", "", text)


_LOOKUP = {enum_class: {word_key(word): member for member, words in table.items() for word in words}
           for enum_class, table in VOCABULARY.items()}
_CONSENT_LOOKUP = {word_key(word): value for value, words in CONSENT_WORDS.items() for word in words}


def word_for(value) -> str:
    """The word a file uses for an enum value (e.g. SensitiveAnswer.REFUSED -> "odmowa")."""
    return VOCABULARY[type(value)][value][0]


def allowed_words(enum_class) -> str:
    return ", ".join(words[0] for words in VOCABULARY[enum_class].values())


class CellError(ValueError):
    """A cell whose text is not a value of its column; the message is Polish (files are)."""


def cell_value(column: Column, raw):
    """A cell as the validator takes it: text, a date, an enum member, True/False or None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if column.kind == "date":
        return _date(raw)
    if column.kind == "pesel":
        if isinstance(raw, int | float):  # a number cell drops the leading zero of people born 2000–2009
            return str(int(raw)).zfill(11)
        return str(raw).strip().lstrip("'")
    if column.kind == "choice":
        enum_class = CHOICE_ENUMS[column.field]
        key = word_key(_number_text(raw))
        if key not in _LOOKUP[enum_class]:
            raise CellError(f"Nieznana wartość „{raw}”. Dozwolone: {allowed_words(enum_class)}.")
        return _LOOKUP[enum_class][key]
    if column.kind == "consent":
        key = word_key(raw)
        if key not in _CONSENT_LOOKUP:
            raise CellError(f"Nieznana wartość „{raw}”. Dozwolone: tak, nie.")
        return _CONSENT_LOOKUP[key]
    if column.kind == "commune":
        return raw if isinstance(raw, int | float) else str(raw).strip()
    return _number_text(raw).strip().lstrip("'") if isinstance(raw, str) else _number_text(raw)


def _number_text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and 1 <= raw < 2958466:  # an Excel serial date in a number cell
        return from_excel(raw).date()
    text = str(raw).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", text):  # a date-time written out as text
        text = text[:10]
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"Nieprawidłowa data „{raw}”. Wpisz datę jako dd.mm.rrrr, np. 21.07.2026.")


CONTACT_FIELDS = ("phone", "email")


SPECIAL_FIELDS = ("disability", "migrant_or_minority", "homeless", "jobless_household")
SPECIAL_HIDDEN = "udzielono odpowiedzi"   # the export's words are Polish, like its values


def export_row(participant: Participant, commune_label: str | None, no_contact: bool = False,
               hide_special: bool = False) -> list:
    """One participant in the column order of COLUMNS, then the export's extra columns; without
    phone and e-mail when the person withdrew their consent to be contacted (`no_contact`), and
    without special-category answers for a reader not granted them (`hide_special`)."""
    values = []
    for column in COLUMNS:
        value = None if no_contact and column.field in CONTACT_FIELDS else getattr(participant, column.field)
        if hide_special and column.field in SPECIAL_FIELDS and value is not None:
            values.append(SPECIAL_HIDDEN)
            continue
        if column.kind == "choice" and value is not None:
            value = word_for(value)
        elif column.kind == "consent":
            value = "tak" if value else "nie"
        elif column.kind == "commune" and value is not None:
            value = f"{commune_label} ({value})" if commune_label else value
        values.append(value)
    registered = participant.created_at.astimezone(WARSAW).date() if participant.created_at else None
    return values + [registered]
