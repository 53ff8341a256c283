"""Importing participants from spreadsheets, end to end through a real `rq` worker process."""
import csv
import io
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from rq import Queue
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import AccessAction, AccessRecord, ChangeAction, ChangeRecord
from regionet.tenants.imports.models import ImportBatch
from regionet.tenants.participants.models import LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.participants.spreadsheet import COLUMNS
from regionet.workers.queues import IMPORTS, queue_name, redis_connection

from .helpers import visible_text
from .participant_helpers import add_participant, participant_count, pseudonym, stored
from .test_isolation import TENANT_A, _institution_id
from .test_worker import worker_env

pytestmark = pytest.mark.slow

IMPORTS_URL = f"/i/{TENANT_A}/participants/imports"
HEADERS = [column.header for column in COLUMNS]
MARIA = make_pesel(date(1978, 11, 23), Sex.FEMALE, 301)
KACPER = make_pesel(date(2005, 3, 1), Sex.MALE, 5)  # starts with 0: a number cell loses it


def person(**cells) -> dict:
    row = {"Imię": "Maria", "Nazwisko": "Wiśniewska", "PESEL": MARIA, "Gmina (kod TERYT)": "2610011",
           "Status na rynku pracy": "Osoba długotrwale bezrobotna", "Wykształcenie (ISCED)": "ISCED 3",
           "Niepełnosprawność": "tak", "Migrant, obce pochodzenie lub mniejszość": "nie",
           "Bezdomność lub wykluczenie z dostępu do mieszkań": "odmowa",
           "Gospodarstwo domowe bez osób pracujących": "NIE", "Podstawa prawna": "zgoda",
           "Data podstawy prawnej": datetime(2024, 2, 1), "Zgoda": "tak", "Data zgody": "01.02.2024"}
    row.update(cells)
    return row


def xlsx_file(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[dict], delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv(row.get(header)) for header in HEADERS])
    return buffer.getvalue().encode(encoding)


def _csv(value):
    return value.strftime("%d.%m.%Y") if isinstance(value, datetime | date) else ("" if value is None else value)


GOOD_ROWS = [
    {"Imię": "Jan", "Nazwisko": "Przykładowy", "PESEL": "44051401359"},  # the template's example, left in
    person(),
    person(**{"Imię": "Kacper", "Nazwisko": "Nowak", "PESEL": int(KACPER), "Gmina (kod TERYT)": "Bliżyn",
              "Status na rynku pracy": "bierna zawodowo", "Wykształcenie (ISCED)": 2, "Niepełnosprawność": "nie",
              "Bezdomność lub wykluczenie z dostępu do mieszkań": "nie", "Podstawa prawna": "zadanie publiczne",
              "Data podstawy prawnej": "15.01.2024", "Zgoda": None, "Data zgody": None}),
    person(**{"Imię": "Halina", "Nazwisko": "Bezpeselowa", "PESEL": None, "Data urodzenia": datetime(1955, 6, 30),
              "Płeć": "K", "Gmina (kod TERYT)": 2610053, "Status na rynku pracy": "pracująca",
              "Podstawa prawna": "obowiązek prawny", "Zgoda": "nie", "Data zgody": None}),
]


def upload(client, data: bytes, name: str):
    return client.post(f"{IMPORTS_URL}/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def run_import_worker(app, pg_database, timeout=120) -> subprocess.CompletedProcess:
    # The worker must derive the same pseudonyms as the web process: same secret.
    env = {**worker_env(app, pg_database), "PSEUDONYM_SECRET": app.config["PSEUDONYM_SECRET"]}
    result = subprocess.run([sys.executable, "-m", "regionet.workers", IMPORTS, "--burst"],
                            env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_a_good_file_is_imported_by_a_real_worker(app, client, auth, pg_database):
    auth.login_as(TENANT_A, "staff")
    response = upload(client, xlsx_file(GOOD_ROWS), "uczestnicy.xlsx")
    assert response.status_code == 302
    detail = response.location
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        [job] = Queue(queue_name(IMPORTS), connection=redis_connection()).jobs
        assert job.args[0] == tenant, "the job carries its tenant explicitly"
    assert client.get(detail + "/status").get_json()["status"] == "queued"
    assert participant_count(app) == 0

    assert "Job OK" in run_import_worker(app, pg_database).stderr
    status = client.get(detail + "/status").get_json()
    assert status == {"status": "done", "label": "Zaimportowano", "progress": 100, "finished": True, "error": None}
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Zaimportowano 3 uczestników." in page and "Wiersze w pliku 3" in page

    maria, kacper, halina = (stored(app, last_name=n)[0] for n in ("Wiśniewska", "Nowak", "Bezpeselowa"))
    assert maria.birth_date == date(1978, 11, 23) and maria.sex is Sex.FEMALE
    assert maria.labour_status is LabourStatus.LONG_TERM_UNEMPLOYED and maria.disability is SensitiveAnswer.YES
    assert maria.homeless is SensitiveAnswer.REFUSED and maria.consent_date == date(2024, 2, 1)
    assert maria.pseudonym == pseudonym(app, MARIA)
    assert kacper.pesel == KACPER and kacper.birth_date == date(2005, 3, 1) and kacper.commune_code == "2610022"
    assert kacper.legal_basis is LegalBasis.PUBLIC_TASK and kacper.legal_basis_date == date(2024, 1, 15)
    assert halina.pesel is None and halina.birth_date == date(1955, 6, 30) and halina.commune_code == "2610053"
    assert not stored(app, last_name="Przykładowy")

    with app.app_context(), tenant_scope(tenant):
        [trail] = db.session.execute(select(AccessRecord)).scalars().all()
        assert trail.action is AccessAction.IMPORT and "uczestnicy.xlsx" in trail.detail
        assert trail.user.full_name == "Katarzyna Zając"
        created = db.session.execute(select(ChangeRecord).where(ChangeRecord.action == ChangeAction.CREATE)).scalars()
        assert {record.user.full_name for record in created} == {"Katarzyna Zając"}
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert batch.file_data == b"", "the uploaded file is not kept after the import"

    # The same job delivered again (at-least-once delivery) changes nothing.
    from regionet.workers.jobs.participant_import import run_participant_import

    assert run_participant_import(tenant, str(batch.id), None) == "nothing to do (done)"
    assert participant_count(app) == 3


def test_a_file_with_bad_rows_imports_nothing_until_the_user_chooses_the_valid_rows(app, client, auth, pg_database):
    registered = add_participant(app, first_name="Ewa", last_name="Zapisana", sex=Sex.FEMALE,
                                 pesel=make_pesel(date(1980, 1, 1), Sex.FEMALE, 1), birth_date=date(1980, 1, 1))
    twin = make_pesel(date(1991, 9, 9), Sex.MALE, 77)
    rows = [
        person(),                                                                        # row 2: good
        person(**{"Imię": "Adam", "PESEL": MARIA[:-1] + str((int(MARIA[-1]) + 3) % 10)}),  # 3: checksum
        person(**{"Imię": "Beata", "PESEL": make_pesel(date(1970, 1, 1), Sex.FEMALE, 2),
                  "Data podstawy prawnej": "01.01.2999"}),                               # 4: future date
        person(**{"Imię": "Cezary", "PESEL": make_pesel(date(1971, 1, 1), Sex.MALE, 3),
                  "Niepełnosprawność": "może"}),                                         # 5: unknown value
        person(**{"Imię": "Daniel", "PESEL": twin}),                                     # 6: twice in file
        person(**{"Imię": "Daniel", "PESEL": twin}),                                     # 7
        person(**{"Imię": "Ewa", "PESEL": registered.pesel}),                            # 8: registered
        person(**{"Imię": "Filip", "Nazwisko": "Dobry", "PESEL": make_pesel(date(1999, 4, 4), Sex.MALE, 9),
                  "Gmina (kod TERYT)": "2610022"}),                                      # 9: good
    ]
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, xlsx_file(rows), "z-bledami.xlsx").location
    run_import_worker(app, pg_database)
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "needs_decision" and status["finished"] is True
    assert participant_count(app) == 1, "a file with errors imports nothing"

    html = client.get(detail).get_data(as_text=True)
    page = visible_text(html)
    assert "Nic nie zostało zaimportowane." in page and "Znaleziono 6 błędów" in page
    assert "Importuj tylko 2 wiersze bez błędów" in page
    with app.app_context():
        report = client.get(detail + "/errors.xlsx")
    errors = [row for row in load_workbook(io.BytesIO(report.data)).active.iter_rows(values_only=True)]
    assert errors[0] == ("Wiersz", "Kolumna", "Wartość w pliku", "Błąd")
    found = {(row, column): message for row, column, _value, message in errors[1:]}
    assert set(found) == {(3, "PESEL"), (4, "Data podstawy prawnej"), (5, "Niepełnosprawność"), (6, "PESEL"),
                          (7, "PESEL"), (8, "PESEL")}
    assert "cyfra kontrolna" in found[3, "PESEL"]
    assert found[4, "Data podstawy prawnej"] == "Data nie może być z przyszłości."
    assert found[5, "Niepełnosprawność"] == "Nieznana wartość „może”. Dozwolone: tak, nie, odmowa."
    assert "także w wierszu 7" in found[6, "PESEL"] and "także w wierszu 6" in found[7, "PESEL"]
    assert "jest już zarejestrowana" in found[8, "PESEL"]
    assert f'href="/i/{TENANT_A}/participants/{registered.id}"' in html, "the error links the registered person"
    csv_report = client.get(detail + "/errors.csv").data.decode("utf-8-sig")
    assert "5;Niepełnosprawność;może;Nieznana wartość „może”. Dozwolone: tak, nie, odmowa." in csv_report

    assert client.post(detail + "/import-valid").status_code == 302
    assert client.get(detail + "/status").get_json()["status"] == "queued"
    run_import_worker(app, pg_database)
    assert client.get(detail + "/status").get_json()["status"] == "done"
    assert sorted(p.first_name for p in stored(app)) == ["Ewa", "Filip", "Maria"]
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Zaimportowano 2 uczestników." in page


def test_an_interrupted_import_leaves_nothing_and_its_retry_imports_once(app, client, auth, monkeypatch):
    """The insert is one transaction: a crash half-way leaves no participant; the retry inserts each once."""
    from regionet.tenants.imports import services
    from regionet.workers.jobs import participant_import

    rows = [person(**{"Imię": f"Osoba{chr(65 + n)}", "PESEL": make_pesel(date(1980, 1, 1 + n), Sex.FEMALE, n)})
            for n in range(5)]
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, csv_file(rows), "przerwany.csv").location
    batch_id = detail.rsplit("/", 1)[1]
    tenant = _institution_id(app, TENANT_A)
    monkeypatch.setattr(services, "INSERT_CHUNK", 2)
    calls = []

    def crash_after_first_chunk(batch, percent):
        calls.append(percent)
        if len(calls) == 2:
            raise ConnectionError("worker lost its database connection")

    monkeypatch.setattr(participant_import, "publish_progress", crash_after_first_chunk)
    with pytest.raises(ConnectionError):
        participant_import.run_participant_import(tenant, batch_id, None)
    assert participant_count(app) == 0, "nothing half-imported"
    monkeypatch.setattr(participant_import, "publish_progress", lambda batch, percent: None)
    assert participant_import.run_participant_import(tenant, batch_id, None) == "5 participants imported"
    assert participant_import.run_participant_import(tenant, batch_id, None) == "nothing to do (done)"
    assert participant_count(app) == 5


def test_a_failing_import_is_retried_then_shown_as_failed(app, client, auth, pg_database):
    from regionet.tenants.imports import services

    auth.login_as(TENANT_A, "staff")
    detail = upload(client, csv_file([person()]), "awaria.csv").location
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        queue = Queue(queue_name(IMPORTS), connection=redis_connection())
        queue.empty()
        with tenant_scope(tenant):
            batch = db.session.execute(select(ImportBatch)).scalar_one()
            services._enqueue(batch, tenant, None, suffix="-fails", job="tests.jobs_for_tests.import_always_fails")
        [job] = queue.jobs
        assert job.retries_left == 3
        job.retry_intervals = [0]
        job.save()
    run_import_worker(app, pg_database)
    first = client.get(detail + "/status").get_json()
    assert first["status"] in ("queued", "failed") and "simulated" not in first["error"]
    assert ("za chwilę kolejna zacznie się sama" if first["status"] == "queued" else "operatorowi") in first["error"]
    if first["status"] == "queued":
        assert first["label"] == "Nie powiodło się, nastąpi ponowna próba"
    for _ in range(6):
        status = client.get(detail + "/status").get_json()
        if status["finished"]:
            break
        run_import_worker(app, pg_database)
    assert status["status"] == "failed" and "nic z pliku nie zostało zapisane" in status["error"]
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Spróbuj ponownie" in page and "zgłoś to operatorowi platformy" in page
    assert "simulated" not in page and "RuntimeError" not in page
    with app.app_context(), tenant_scope(tenant):
        detail_text = db.session.execute(select(ImportBatch.failure_detail)).scalar_one()
    assert detail_text == "RuntimeError: simulated failure while importing"
    assert participant_count(app) == 0
    # the retry button queues the real job again, and a healthy worker imports the file
    assert client.post(detail + "/retry").status_code == 302
    run_import_worker(app, pg_database)
    assert client.get(detail + "/status").get_json()["status"] == "done"
    assert participant_count(app) == 1


def test_a_file_over_the_size_limit_gets_a_polish_error_page(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = upload(client, too_big, "duzy.csv")
    assert response.status_code == 413
    page = visible_text(response.get_data(as_text=True))
    assert "Plik jest za duży" in page and "większy niż dopuszczalne 10 MB" in page


def test_polish_spreadsheet_variants_are_read(app):
    """Semicolon or comma CSV, UTF-8 with or without BOM, Windows-1250; dd.mm.yyyy dates; any column order."""
    from regionet.tenants.imports.checking import check_rows
    from regionet.tenants.imports.reader import open_table
    from regionet.tenants.participants.communes import CommuneCatalogue
    from regionet.tenants.participants.spreadsheet import match_columns

    rows = [person(), GOOD_ROWS[3]]
    variants = {
        "semicolon-cp1250": csv_file(rows, ";", "cp1250"),
        "comma-utf8-bom": csv_file(rows, ",", "utf-8-sig"),
        "semicolon-utf8": csv_file(rows, ";", "utf-8"),
        "xlsx": xlsx_file(rows),
    }
    reordered = io.StringIO()
    writer = csv.writer(reordered, delimiter=";")
    writer.writerow(list(reversed(HEADERS)))
    for row in rows:
        writer.writerow([_csv(row.get(header)) for header in reversed(HEADERS)])
    variants["reordered"] = reordered.getvalue().encode("utf-8")
    with app.app_context():
        communes = CommuneCatalogue.for_region("26")
        for label, data in variants.items():
            table = open_table(data, f"plik.{'xlsx' if label == 'xlsx' else 'csv'}")
            checked = check_rows(table, match_columns(table.headers), communes, date(2026, 1, 1), {})
            assert checked.errors == [], (label, checked.errors)
            values = [values for _row, values in checked.valid]
            assert [v["last_name"] for v in values] == ["Wiśniewska", "Bezpeselowa"], label
            assert values[0]["consent_date"] == date(2024, 2, 1) and values[1]["birth_date"] == date(1955, 6, 30)
            assert values[0]["homeless"] is SensitiveAnswer.REFUSED, label


def test_the_template_downloads_have_the_exact_headers_an_example_and_notes(app, client, auth):
    auth.login_as(TENANT_A, "readonly")
    workbook = load_workbook(io.BytesIO(client.get(f"{IMPORTS_URL}/template.xlsx").data))
    assert workbook.sheetnames[:1] == ["Uczestnicy"] and {"Objaśnienia", "Gminy"} <= set(workbook.sheetnames)
    rows = list(workbook["Uczestnicy"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][:3] == ("Jan", "Przykładowy", "44051401359")
    notes = " ".join(str(c) for row in workbook["Objaśnienia"].iter_rows(values_only=True) for c in row if c)
    assert "tak / nie / odmowa" in notes and "ISCED 5-8" in notes and "osoba bierna zawodowo" in notes
    communes = list(workbook["Gminy"].iter_rows(values_only=True))
    assert len(communes) == 1 + 102 and ("2610022", "Bliżyn", "gmina wiejska", "powiat skarżyski") in communes
    text = client.get(f"{IMPORTS_URL}/template.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADERS)
    assert text.splitlines()[1].startswith("Jan;Przykładowy;44051401359;")
    # the CSV template, sent back as it is, passes the checks and imports nothing (the example is skipped)
    from regionet.tenants.imports.checking import check_rows
    from regionet.tenants.imports.reader import open_table
    from regionet.tenants.participants.communes import CommuneCatalogue
    from regionet.tenants.participants.spreadsheet import match_columns

    with app.app_context():
        table = open_table(text.encode(), "szablon.csv")
        checked = check_rows(table, match_columns(table.headers), CommuneCatalogue.for_region("26"),
                             date(2026, 1, 1), {})
    assert checked.example_rows == 1 and checked.total_rows == 0 and not checked.errors


def test_imported_rows_match_what_the_form_accepts(app):
    """The import and the form share one validator: the same bad value gets the same message."""
    from regionet.tenants.imports.checking import check_rows
    from regionet.tenants.imports.reader import open_table
    from regionet.tenants.participants.communes import CommuneCatalogue
    from regionet.tenants.participants.spreadsheet import match_columns

    with app.app_context():
        table = open_table(csv_file([person(**{"Kod pocztowy": "2611"})]), "a.csv")
        checked = check_rows(table, match_columns(table.headers), CommuneCatalogue.for_region("26"),
                             date(2026, 1, 1), {})
    assert [(e["row"], e["column"], e["message"]) for e in checked.errors] == [
        (2, "Kod pocztowy", "Podaj kod pocztowy w formacie 00-000.")]
    assert Participant.__tablename__ == "participants"


def test_a_file_with_only_the_header_and_the_example_fails_with_a_reason(app, client, auth):
    from regionet.workers.jobs.participant_import import run_participant_import

    auth.login_as(TENANT_A, "staff")
    detail = upload(client, xlsx_file([GOOD_ROWS[0]]), "tylko-przyklad.xlsx").location
    assert run_participant_import(_institution_id(app, TENANT_A), detail.rsplit("/", 1)[1], None) == "no rows"
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "failed" and "nie zawiera uczestników" in status["error"]


def test_when_the_queue_is_down_the_upload_is_shown_failed_with_a_retry(app, client, auth, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    from regionet.tenants.imports import services

    def unavailable(name):
        raise RedisDown("Connection refused")

    monkeypatch.setattr(services, "get_queue", unavailable)
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, csv_file([person()]), "kolejka.csv").location
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Kolejka zadań w tle jest niedostępna" in page and "Spróbuj ponownie" in page
    monkeypatch.undo()
    assert client.post(detail + "/retry").status_code == 302
    assert client.get(detail + "/status").get_json()["status"] == "queued"
    with app.app_context():
        assert Queue(queue_name(IMPORTS), connection=redis_connection()).count == 1


def test_the_progress_bar_is_fed_by_both_steps_of_the_job(app, client, auth, monkeypatch):
    from regionet.tenants.imports import progress, services
    from regionet.tenants.imports.models import ImportStatus
    from regionet.workers.jobs import participant_import

    rows = [person(**{"Imię": "Osoba", "PESEL": make_pesel(date(1960, 1, 1) + timedelta(days=n), Sex.MALE, n)})
            for n in range(60)]
    auth.login_as(TENANT_A, "staff")
    detail = upload(client, csv_file(rows), "postep.csv").location
    checking, inserting = [], []
    record_check = services.do_set_progress
    monkeypatch.setattr(services, "do_set_progress", lambda batch, p: (checking.append(p), record_check(batch, p)))
    monkeypatch.setattr(services, "INSERT_CHUNK", 10)

    def publish(batch_id, percent):
        inserting.append(percent)
        progress.publish_progress(batch_id, percent)
        # while the rows are inserted the status page shows the published progress
        with app.app_context():
            status = client.get(detail + "/status").get_json()
        assert status["status"] == ImportStatus.IMPORTING.value and status["progress"] == percent

    monkeypatch.setattr(participant_import, "publish_progress", publish)
    result = participant_import.run_participant_import(_institution_id(app, TENANT_A), detail.rsplit("/", 1)[1], None)
    assert result == "60 participants imported"
    assert len(checking) >= 10 and checking == sorted(checking) and 0 < checking[0] and checking[-1] <= 50
    assert inserting == [50 + 50 * n // 6 for n in range(1, 7)] and inserting[-1] == 100
    assert client.get(detail + "/status").get_json()["progress"] == 100
