"""Whole-project imports (issue 17, point 5): participants, enrolments, support and outcomes in one
workbook (or one file per kind), checked and stored all or nothing by a real `rq` worker."""
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import ChangeRecord
from regionet.tenants.imports.kinds import COLUMNS_BY_KIND, SHEET_NAMES, ImportKind
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.participants.models import LabourStatus, Participant, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

from .helpers import visible_text
from .participant_helpers import add_participant
from .test_isolation import TENANT_A, _institution_id
from .test_participant_import import HEADERS, IMPORTS_URL, MARIA, person, run_import_worker, upload

pytestmark = pytest.mark.slow

OLA = make_pesel(date(1990, 4, 12), Sex.FEMALE, 44)
CODE, TITLE = "FEPS.07.05-IP.01-0042/24", "Aktywni w Skarżysku"


@pytest.fixture
def project(app):
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        found = Project(title=TITLE, code=CODE, funding_source="feps-7.5", start_date=date(2025, 1, 1),
                        end_date=date(2027, 12, 31), budget_total=Decimal("100000.00"),
                        eu_cofinancing=Decimal("85000.00"), own_contribution=Decimal("15000.00"))
        db.session.add(found)
        db.session.commit()
        return found.id


def headers(kind: ImportKind) -> list[str]:
    return [column.header for column in COLUMNS_BY_KIND[kind]]


def workbook(sheets: dict[ImportKind, list[dict]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for kind, rows in sheets.items():
        sheet = book.create_sheet(SHEET_NAMES[kind])
        names = HEADERS if kind is ImportKind.PARTICIPANTS else headers(kind)
        sheet.append(names)
        for row in rows:
            sheet.append([row.get(name) for name in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def four_sheets(registered_id, episode_start="01.03.2025") -> dict[ImportKind, list[dict]]:
    """Two new people (referred to by PESEL before they exist) and one registered without PESEL (by id)."""
    return {
        ImportKind.PARTICIPANTS: [person(), person(**{"Imię": "Ola", "Nazwisko": "Nowa", "PESEL": OLA})],
        ImportKind.ENROLMENTS: [
            {"PESEL": MARIA, "Projekt": CODE, "Data rozpoczęcia udziału": datetime(2025, 2, 1),
             "Data zakończenia udziału": "30.06.2025"},
            {"PESEL": int(OLA), "Projekt": TITLE.upper(), "Data rozpoczęcia udziału": "03.02.2025",
             "Status na rynku pracy przy przystąpieniu": "osoba bezrobotna zarejestrowana"},
            {"Identyfikator uczestnika": str(registered_id), "Projekt": CODE,
             "Data rozpoczęcia udziału": "10.02.2025"},
        ],
        ImportKind.EPISODES: [
            {"PESEL": MARIA, "Projekt": CODE, "Forma wsparcia": "staż", "Data rozpoczęcia": episode_start,
             "Data zakończenia": "31.05.2025", "Liczba godzin": "480"},
            {"PESEL": MARIA, "Projekt": CODE, "Forma wsparcia": "KIS", "Data rozpoczęcia": "05.02.2025",
             "Liczba godzin": "12,5"},
            {"PESEL": OLA, "Projekt": TITLE, "Forma wsparcia": "kurs zawodowy", "Data rozpoczęcia": "10.03.2025"},
            {"Identyfikator uczestnika": str(registered_id), "Projekt": CODE, "Forma wsparcia": "PSU",
             "Data rozpoczęcia": "11.02.2025", "Uwagi": "grupa popołudniowa"},
        ],
        ImportKind.OUTCOMES: [
            {"PESEL": MARIA, "Projekt": CODE, "Rezultat": "umowa o pracę", "Data osiągnięcia": "15.07.2025",
             "Potwierdzenie": "umowa z 15.07.2025"},
            {"PESEL": OLA, "Projekt": CODE, "Rezultat": "uzyskanie kwalifikacji", "Data osiągnięcia": "20.06.2025"},
        ],
    }


def _counts(app) -> dict[str, int]:
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Participant, Enrolment, SupportEpisode, Outcome)}


def test_a_workbook_with_all_four_sheets_is_imported_by_a_real_worker(app, client, auth, pg_database, project):
    from regionet.tenants.indicators.queries import indicators_for_project

    registered = add_participant(app, first_name="Bez", last_name="Peselu", labour_status=LabourStatus.INACTIVE)
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, workbook(four_sheets(registered.id)), "projekt.xlsx").location
    assert "Job OK" in run_import_worker(app, pg_database).stderr
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "done", status
    assert _counts(app) == {"Participant": 3, "Enrolment": 3, "SupportEpisode": 4, "Outcome": 2}
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "uczestnicy: 2; udziały w projektach: 3; formy wsparcia: 4; rezultaty: 2" in page, page

    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert (batch.total_rows, batch.imported_rows, batch.imported_counts) == (
            11, 2, {"enrolments": 3, "episodes": 4, "outcomes": 2})
        people = {p.last_name: p for p in db.session.execute(select(Participant)).scalars()}
        enrolments = {e.participant.last_name: e for e in db.session.execute(select(Enrolment)).scalars()}
        assert enrolments["Wiśniewska"].exit_date == date(2025, 6, 30)
        assert enrolments["Wiśniewska"].status_at_entry is LabourStatus.LONG_TERM_UNEMPLOYED  # the person's own
        assert enrolments["Nowa"].status_at_entry is LabourStatus.REGISTERED_UNEMPLOYED       # the sheet's
        assert enrolments["Peselu"].participant_id == registered.id
        assert {e.participant_id for e in enrolments.values()} == {p.id for p in people.values()}
        episodes = {(e.enrolment.participant.last_name, e.instrument): e
                    for e in db.session.execute(select(SupportEpisode)).scalars()}
        assert episodes[("Wiśniewska", Instrument.INTERNSHIP)].hours == Decimal("480")
        assert episodes[("Wiśniewska", Instrument.KIS)].hours == Decimal("12.5")
        assert episodes[("Peselu", Instrument.SOCIALLY_USEFUL_WORK)].notes == "grupa popołudniowa"
        # every record has its history entry, naming whose it is (erasure finds them by these keys)
        history = db.session.execute(select(ChangeRecord.entity_type, func.count())
                                     .group_by(ChangeRecord.entity_type)).all()
        assert {"Participant": 3, "Enrolment": 3, "SupportEpisode": 4, "Outcome": 2}.items() <= dict(history).items()
        entry = db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_type == "Enrolment",
                                                              ChangeRecord.entity_id == enrolments["Nowa"].id)
                                   ).scalar_one()
        assert entry.changes["participant_id"] == str(people["Nowa"].id) and entry.changes["entry_date"] == \
            "2025-02-03"
        counted = indicators_for_project(db.session.get(Project, (tenant, project)), date(2026, 1, 1))
    assert (counted.participants, counted.left, counted.episodes, counted.employed) == (3, 1, 4, 1)
    assert counted.people_with(OutcomeKind.QUALIFICATION) == 1 and counted.hours == Decimal("492.5")


def test_an_error_in_the_episodes_sheet_stores_nothing_and_names_sheet_row_and_column(app, client, auth,
                                                                                      pg_database, project):
    registered = add_participant(app, first_name="Bez", last_name="Peselu")
    sheets = four_sheets(registered.id, episode_start="15.01.2025")    # before Maria's entry (01.02.2025)
    sheets[ImportKind.EPISODES][2]["Forma wsparcia"] = "joga"
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, workbook(sheets), "projekt.xlsx").location
    run_import_worker(app, pg_database)
    assert client.get(detail + "/status").get_json()["status"] == "needs_decision"
    assert _counts(app) == {"Participant": 1, "Enrolment": 0, "SupportEpisode": 0, "Outcome": 0}
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        errors = [(e["sheet"], e["row"], e["column"], e["message"]) for e in batch.errors]
    assert errors[0] == ("Wsparcie", 2, "Data rozpoczęcia",
                         "Wsparcie musi mieścić się w okresie udziału w projekcie (01.02.2025 – 30.06.2025).")
    assert errors[1][:3] == ("Wsparcie", 4, "Forma wsparcia") and errors[1][3].startswith("Nieznana wartość „joga”")
    assert len(errors) == 2
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Arkusz" in page and "Wsparcie 2 Data rozpoczęcia" in page
    report = load_workbook(io.BytesIO(client.get(detail + "/errors.xlsx").data)).active
    assert [c.value for c in report[1]][:3] == ["Arkusz", "Wiersz", "Kolumna"]

    # the user's choice: the rows without errors; the bad episodes are left out, nothing else
    client.post(detail + "/import-valid", data={})
    run_import_worker(app, pg_database)
    assert client.get(detail + "/status").get_json()["status"] == "done"
    assert _counts(app) == {"Participant": 3, "Enrolment": 3, "SupportEpisode": 2, "Outcome": 2}


def test_references_the_checks_cannot_resolve_are_named_in_polish(app, client, auth, pg_database, project):
    sheets = {
        ImportKind.PARTICIPANTS: [person(**{"Data podstawy prawnej": "01.01.2999"})],   # Maria has an error
        ImportKind.ENROLMENTS: [
            {"PESEL": MARIA, "Projekt": CODE, "Data rozpoczęcia udziału": "01.02.2025"},
            {"PESEL": OLA, "Projekt": CODE, "Data rozpoczęcia udziału": "01.02.2025"},
            {"PESEL": MARIA, "Projekt": "NIE-MA", "Data rozpoczęcia udziału": "01.02.2025"},
        ],
        ImportKind.OUTCOMES: [{"PESEL": MARIA, "Projekt": CODE, "Rezultat": "umowa o pracę",
                               "Data osiągnięcia": "01.03.2025"}],
    }
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, workbook(sheets), "projekt.xlsx").location
    run_import_worker(app, pg_database)
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        errors = [(e["sheet"], e["row"], e["column"], e["message"])
                  for e in db.session.execute(select(ImportBatch)).scalar_one().errors]
    assert ("Udział w projektach", 2, "PESEL",
            "Osoba z tym numerem PESEL ma błędy w arkuszu „Uczestnicy” (wiersz 2).") in errors
    assert ("Udział w projektach", 3, "PESEL", "Nie ma uczestnika z tym numerem PESEL ani w arkuszu „Uczestnicy”, "
            "ani wśród uczestników instytucji.") in errors
    assert ("Udział w projektach", 4, "Projekt", "Nie ma projektu o tym kodzie ani tytule. Wpisz kod albo tytuł, "
            "jak na liście projektów.") in errors
    assert ("Rezultaty", 2, "PESEL", "Osoba z tym numerem PESEL ma błędy w arkuszu „Uczestnicy” (wiersz 2).") \
        in errors
    assert client.get(detail + "/status").get_json()["status"] == "needs_decision"


def test_one_file_per_kind_refers_to_people_and_enrolments_already_stored(app, client, auth, pg_database, project):
    maria = add_participant(app, first_name="Maria", last_name="Wiśniewska", pesel=MARIA, sex=Sex.FEMALE,
                            birth_date=date(1978, 11, 23))
    auth.login_as(TENANT_A, "staff")
    enrolments = ";".join(headers(ImportKind.ENROLMENTS)) + f"\n{MARIA};;{CODE};01.02.2025;;\n"
    upload(client, enrolments.encode(), "udzial.csv")
    run_import_worker(app, pg_database)
    episodes = ";".join(headers(ImportKind.EPISODES)) + f"\n{MARIA};;{TITLE};CIS;01.03.2025;;;\n"
    detail = upload(client, episodes.encode("cp1250"), "wsparcie.csv").location
    run_import_worker(app, pg_database)
    assert client.get(detail + "/status").get_json()["status"] == "done"
    assert _counts(app) == {"Participant": 1, "Enrolment": 1, "SupportEpisode": 1, "Outcome": 0}
    # the same enrolment again is refused: a person is enrolled in a project once
    detail = upload(client, enrolments.encode(), "udzial-znowu.csv").location
    run_import_worker(app, pg_database)
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        batch = db.session.get(ImportBatch, (_institution_id(app, TENANT_A), detail.rsplit("/", 1)[1]))
        assert batch.status is ImportStatus.NEEDS_DECISION
        assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in batch.errors] == [
            ("Udział w projektach", 2, "Projekt", "Ta osoba jest już zapisana do tego projektu.")]
    assert maria.pesel == MARIA


def test_the_templates_of_each_kind_and_of_the_whole_workbook(app, client, auth, project):
    auth.login_as(TENANT_A, "readonly")
    for kind, slug in ((ImportKind.ENROLMENTS, "enrolments"), (ImportKind.EPISODES, "episodes"),
                       (ImportKind.OUTCOMES, "outcomes")):
        response = client.get(f"{IMPORTS_URL}/template/{slug}.xlsx")
        assert response.status_code == 200 and "szablon-importu-" in response.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.data))
        rows = list(book[SHEET_NAMES[kind]].iter_rows(values_only=True))
        assert list(rows[0]) == headers(kind) and rows[1][0] == "44051401359" and rows[1][2] == CODE
        assert (CODE, TITLE) in [row[:2] for row in book["Projekty"].iter_rows(values_only=True)]
        text = client.get(f"{IMPORTS_URL}/template/{slug}.csv").data.decode("utf-8-sig")
        assert text.splitlines()[0] == ";".join(headers(kind))
    book = load_workbook(io.BytesIO(client.get(f"{IMPORTS_URL}/template-workbook.xlsx").data))
    assert [name for name in book.sheetnames if book[name].sheet_state == "visible"][:4] == [
        "Uczestnicy", "Udział w projektach", "Wsparcie", "Rezultaty"]
    assert {"Objaśnienia", "Projekty", "Gminy"} <= set(book.sheetnames)
    notes = " ".join(str(c) for row in book["Objaśnienia"].iter_rows(values_only=True) for c in row if c)
    assert "Arkusz „Wsparcie”" in notes and "Forma wsparcia" in notes
    assert client.get(f"{IMPORTS_URL}/template/other.xlsx").status_code == 404
    html = client.get(f"{IMPORTS_URL}/").get_data(as_text=True)
    page = visible_text(html)
    assert "Udział w projektach" in page and "Forma wsparcia" in page
    # The page imports whole projects, not participants only: its title and heading say so.
    assert re.search(r"<title>\s*Import danych ·", html) and re.search(r"<h1>\s*Import danych z pliku\s*</h1>", html)
    assert "Import uczestników" not in page


def test_the_workbook_template_sent_back_imports_nothing(app, client, auth, project):
    """Every example row names the example person, and all of them are skipped."""
    from regionet.workers.jobs.participant_import import run_participant_import

    auth.login_as(TENANT_A, "staff")
    data = client.get(f"{IMPORTS_URL}/template-workbook.xlsx").data
    page = upload(client, data, "szablon.xlsx").location
    assert run_participant_import(_institution_id(app, TENANT_A), page.rsplit("/", 1)[1], None) == "no rows"
    assert _counts(app) == {"Participant": 0, "Enrolment": 0, "SupportEpisode": 0, "Outcome": 0}
