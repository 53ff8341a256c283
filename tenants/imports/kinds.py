"""What a whole-project import holds: participants, enrolments, support episodes and outcomes.

One workbook may carry all four as sheets named below, or one file (CSV, or a workbook with
one sheet) carries one of them, recognised by its headers. Rows of enrolments, episodes and
outcomes name their person by PESEL or by the platform's participant id, and their project
by its code or its title as the project list shows them. Headers and words are Polish, like
the participants' columns (tenants/participants/spreadsheet.py): files travel between people.
"""
import enum
import re
import uuid
from decimal import Decimal, InvalidOperation

from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.participants.spreadsheet import (
    COLUMNS as PARTICIPANT_COLUMNS,
)
from regionet.tenants.participants.spreadsheet import (
    VOCABULARY,
    CellError,
    Column,
    ColumnMatch,
    cell_value,
    header_key,
    word_key,
)
from regionet.tenants.support.models import Instrument, OutcomeKind


class ImportKind(enum.StrEnum):
    PARTICIPANTS = "participants"
    ENROLMENTS = "enrolments"
    EPISODES = "episodes"
    OUTCOMES = "outcomes"


SHEET_NAMES = {
    ImportKind.PARTICIPANTS: "Uczestnicy",
    ImportKind.ENROLMENTS: "Udział w projektach",
    ImportKind.EPISODES: "Wsparcie",
    ImportKind.OUTCOMES: "Rezultaty",
}
FILE_SLUGS = {ImportKind.PARTICIPANTS: "uczestnicy", ImportKind.ENROLMENTS: "udzial-w-projektach",
              ImportKind.EPISODES: "wsparcie", ImportKind.OUTCOMES: "rezultaty"}
# A person has several episodes: their sheet may be longer than a sheet of people (reader.ReadLimits).
ROW_FACTOR = {ImportKind.EPISODES: 2, ImportKind.OUTCOMES: 2}

INSTRUMENT_WORDS = {
    Instrument.INTERNSHIP: ("staż", "staz", "internship"),
    Instrument.SOCIALLY_USEFUL_WORK: ("prace społecznie użyteczne", "PSU", "socially_useful_work"),
    Instrument.KIS: ("klub integracji społecznej", "KIS"),
    Instrument.CIS: ("centrum integracji społecznej", "CIS"),
    Instrument.VOCATIONAL_COURSE: ("kurs zawodowy", "szkolenie zawodowe", "vocational_course"),
    Instrument.FAMILY_ASSISTANT: ("asystent rodziny", "family_assistant"),
    Instrument.DISABILITY_ASSISTANT: ("asystent osoby z niepełnosprawnościami", "asystent osobisty",
                                      "disability_assistant"),
    Instrument.SPECIALIST_COUNSELLING: ("poradnictwo specjalistyczne", "specialist_counselling"),
    Instrument.SOCIAL_CONTRACT: ("kontrakt socjalny", "social_contract"),
    Instrument.INDIVIDUAL_ACTION_PLAN: ("indywidualny plan działania", "IPD", "individual_action_plan"),
    Instrument.ACTIVATION_PROGRAMME: ("program aktywizacja i integracja", "PAI", "activation_programme"),
    Instrument.LOCAL_ACTIVITY_PROGRAMME: ("program aktywności lokalnej", "PAL", "local_activity_programme"),
    Instrument.TUTORING: ("korepetycje", "tutoring"),
    Instrument.ART_THERAPY: ("arteterapia", "art_therapy"),
    Instrument.OTHER: ("inne wsparcie", "inne", "other"),
}
OUTCOME_WORDS = {
    OutcomeKind.EMPLOYMENT_CONTRACT: ("podjęcie pracy – umowa o pracę", "umowa o pracę", "employment_contract"),
    OutcomeKind.CIVIL_CONTRACT: ("podjęcie pracy – umowa cywilnoprawna", "umowa cywilnoprawna", "umowa zlecenie",
                                 "civil_contract"),
    OutcomeKind.SELF_EMPLOYMENT: ("podjęcie pracy – samozatrudnienie", "samozatrudnienie",
                                  "działalność gospodarcza", "self_employment"),
    OutcomeKind.INTERNSHIP_TO_JOB: ("zatrudnienie po stażu", "internship_to_job"),
    OutcomeKind.INDEPENDENT_OF_ASSISTANCE: ("usamodzielnienie od pomocy społecznej", "independent_of_assistance"),
    OutcomeKind.QUALIFICATION: ("uzyskanie kwalifikacji", "kwalifikacje", "certyfikat", "qualification"),
    OutcomeKind.STARTED_EDUCATION: ("podjęcie nauki", "started_education"),
    OutcomeKind.CARE_LEAVER_INDEPENDENT: ("usamodzielnienie wychowanka pieczy zastępczej",
                                          "care_leaver_independent"),
    OutcomeKind.STEPS_TOWARD_WORK: ("kroki w kierunku pracy", "poszukiwanie pracy", "steps_toward_work"),
}
WORDS = {"instrument": INSTRUMENT_WORDS, "outcome": OUTCOME_WORDS, "labour": VOCABULARY[LabourStatus]}
_WORD_LOOKUP = {kind: {word_key(word): member for member, words in table.items() for word in words}
                for kind, table in WORDS.items()}

PERSON_NOTE = ("PESEL uczestnika (z arkusza „Uczestnicy” tego pliku albo już zarejestrowanego); "
               "dla osoby bez PESEL — jej identyfikator z platformy")
PERSON_COLUMNS = (
    Column("PESEL", "pesel", "pesel", False, PERSON_NOTE),
    Column("Identyfikator uczestnika", "participant_id", "id", False,
           "identyfikator osoby w platformie (z eksportu); zamiast PESEL", ("ID uczestnika", "Identyfikator")),
    Column("Projekt", "project", "project", True,
           "kod projektu albo jego tytuł, jak na liście projektów", ("Kod projektu", "Tytuł projektu")),
)
ENROLMENT_COLUMNS = PERSON_COLUMNS + (
    Column("Data rozpoczęcia udziału", "entry_date", "date", True,
           "dd.mm.rrrr; w okresie realizacji projektu, nie z przyszłości", ("Data przystąpienia", "Data wejścia")),
    Column("Data zakończenia udziału", "exit_date", "date", False,
           "dd.mm.rrrr; nieobowiązkowe (puste: osoba nadal uczestniczy)", ("Data wyjścia",)),
    Column("Status na rynku pracy przy przystąpieniu", "status_at_entry", "labour", False,
           "jak w arkuszu „Uczestnicy”; puste: status z danych uczestnika", ("Status przy przystąpieniu",)),
)
EPISODE_COLUMNS = PERSON_COLUMNS + (
    Column("Forma wsparcia", "instrument", "instrument", True,
           "jedna z: " + ", ".join(words[0] for words in INSTRUMENT_WORDS.values()), ("Instrument",)),
    Column("Data rozpoczęcia", "start_date", "date", True, "dd.mm.rrrr; w okresie udziału osoby w projekcie"),
    Column("Data zakończenia", "end_date", "date", False, "dd.mm.rrrr; nieobowiązkowe"),
    Column("Liczba godzin", "hours", "hours", False, "liczba, np. 12 albo 7,5; nieobowiązkowe", ("Godziny",)),
    Column("Uwagi", "notes", "text", False, "nieobowiązkowe"),
)
OUTCOME_COLUMNS = PERSON_COLUMNS + (
    Column("Rezultat", "kind", "outcome", True,
           "jeden z: " + ", ".join(words[0] for words in OUTCOME_WORDS.values()), ("Rodzaj rezultatu",)),
    Column("Data osiągnięcia", "achieved_on", "date", True, "dd.mm.rrrr; nie wcześniej niż przystąpienie"),
    Column("Potwierdzenie", "evidence", "text", False, "np. umowa o pracę z 3.03.2025; nieobowiązkowe",
           ("Dowód",)),
)
COLUMNS_BY_KIND = {ImportKind.PARTICIPANTS: PARTICIPANT_COLUMNS, ImportKind.ENROLMENTS: ENROLMENT_COLUMNS,
                   ImportKind.EPISODES: EPISODE_COLUMNS, ImportKind.OUTCOMES: OUTCOME_COLUMNS}
# The column a kind alone has: how a lone file's kind is recognised.
SIGNATURE = {ImportKind.ENROLMENTS: "entry_date", ImportKind.EPISODES: "instrument", ImportKind.OUTCOMES: "kind"}


def _lookup(columns) -> dict[str, Column]:
    return {header_key(name): column for column in columns for name in (column.header, *column.aliases)}


_HEADERS = {kind: _lookup(columns) for kind, columns in COLUMNS_BY_KIND.items()}


def kind_of_sheet(name: str | None) -> ImportKind | None:
    key = header_key(name or "")
    return next((kind for kind, sheet in SHEET_NAMES.items() if header_key(sheet) == key), None)


def kind_of_headers(headers: list[str]) -> ImportKind:
    """A lone table is participants unless its headers carry another kind's own column."""
    keys = {header_key(header) for header in headers}
    for kind, field in SIGNATURE.items():
        if any(header_key(name) in keys for column in COLUMNS_BY_KIND[kind] if column.field == field
               for name in (column.header, *column.aliases)):
            return kind
    return ImportKind.PARTICIPANTS


def match_kind_columns(kind: ImportKind, headers: list[str]) -> ColumnMatch:
    lookup, index, repeated = _HEADERS[kind], {}, []
    for position, header in enumerate(headers):
        column = lookup.get(header_key(header))
        if column is None:
            continue
        if column.field in index:
            repeated.append(header)
        else:
            index[column.field] = position
    missing = [column for column in COLUMNS_BY_KIND[kind] if column.required and column.field not in index]
    if "pesel" not in index and "participant_id" not in index:
        missing.insert(0, PERSON_COLUMNS[0])
    return ColumnMatch(index=index, missing=missing, repeated=repeated)


def project_cell(column: Column, raw):
    """A cell of an enrolment, episode or outcome sheet as the checks take it (Polish CellError)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if column.kind in ("pesel", "date"):
        return cell_value(column, raw)
    if column.kind == "id":
        try:
            return uuid.UUID(str(raw).strip())
        except ValueError as error:
            raise CellError(f"Nieprawidłowy identyfikator „{raw}”. Skopiuj go z eksportu uczestników.") from error
    if column.kind in WORDS:
        member = _WORD_LOOKUP[column.kind].get(word_key(str(raw)))
        if member is None:
            allowed = ", ".join(words[0] for words in WORDS[column.kind].values())
            raise CellError(f"Nieznana wartość „{raw}”. Dozwolone: {allowed}.")
        return member
    if column.kind == "hours":
        return _hours(raw)
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    return text.strip()


def _hours(raw) -> Decimal:
    text = re.sub(r"\s", "", str(raw)).replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise CellError(f"Nieprawidłowa liczba godzin „{raw}”. Wpisz liczbę, np. 12 albo 7,5.") from error
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.1")):
        raise CellError(f"Nieprawidłowa liczba godzin „{raw}”. Wpisz liczbę nieujemną z co najwyżej jednym "
                        "miejscem po przecinku.")
    return value
