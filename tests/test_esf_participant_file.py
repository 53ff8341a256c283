"""The ESF participant file: read back, every column of every row checked against the records."""
import csv
import io
import json
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import AccessAction, AccessRecord
from regionet.tenants.participants.models import Citizenship, Isced, LabourStatus, SensitiveAnswer, Sex
from regionet.tenants.support.models import Enrolment, ExitReason, ExitSituation, Instrument, SupportEpisode

from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"
MAPPING = Path(__file__).resolve().parent.parent / "tenants/esf/data/sm_efs_participants.json"


def _project_with_three_people(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        kis = project(code="FEŚ.09.01-IZ.00-0007/23", start=date(2023, 1, 1), end=date(2025, 12, 31))
        anna = participant("Anna", "Łęcka", date(1980, 5, 14), Sex.FEMALE, 21)
        anna.citizenship, anna.foreign_origin = Citizenship.THIRD_COUNTRY, SensitiveAnswer.YES
        anna.third_country_national, anna.minority = SensitiveAnswer.YES, SensitiveAnswer.REFUSED
        anna.locality, anna.postal_code, anna.phone = "Skarżysko-Kamienna", "26-110", "600 100 200"
        anna.disability, anna.homeless = SensitiveAnswer.REFUSED, SensitiveAnswer.NO
        jan = participant("Jan", "Bąk", date(1990, 1, 2), Sex.MALE, 22, LabourStatus.INACTIVE)
        jan.pesel, jan.education, jan.commune_code, jan.email = None, Isced.TERTIARY, "2661011", "jan@example.org"
        ewa = participant("Ewa", "Zając", date(1966, 12, 31), Sex.FEMALE, 23, LabourStatus.REGISTERED_UNEMPLOYED)
        project_id, *ids = add(tenant, kis, anna, jan, ewa)
        with tenant_scope(tenant):
            anna_in = Enrolment(project_id=project_id, participant_id=ids[0], entry_date=date(2023, 3, 1),
                                exit_date=date(2023, 11, 30), status_at_entry=LabourStatus.LONG_TERM_UNEMPLOYED,
                                exit_situation=ExitSituation.EMPLOYED, exit_reason=ExitReason.LEFT_FOR_JOB)
            jan_in = Enrolment(project_id=project_id, participant_id=ids[1], entry_date=date(2024, 2, 10),
                               status_at_entry=LabourStatus.INACTIVE)
            ewa_in = Enrolment(project_id=project_id, participant_id=ids[2], entry_date=date(2023, 5, 5),
                               status_at_entry=LabourStatus.REGISTERED_UNEMPLOYED)
            db.session.add_all([anna_in, jan_in, ewa_in])
            db.session.flush()
            db.session.add_all([
                SupportEpisode(enrolment_id=anna_in.id, instrument=Instrument.VOCATIONAL_COURSE,
                               start_date=date(2023, 4, 1)),
                SupportEpisode(enrolment_id=anna_in.id, instrument=Instrument.KIS, start_date=date(2023, 3, 2)),
                SupportEpisode(enrolment_id=anna_in.id, instrument=Instrument.KIS, start_date=date(2023, 6, 2)),
                SupportEpisode(enrolment_id=jan_in.id, instrument=Instrument.INTERNSHIP, start_date=date(2024, 3, 1)),
            ])
            db.session.commit()
            pesels = {p.last_name: p.pesel for p in (anna, ewa)}
    return tenant, project_id, pesels


EXPECTED_HEADERS = [header for header, _field in json.loads(MAPPING.read_text(encoding="utf-8"))["columns"]]


def test_the_participant_file_reads_back_column_by_column(app, client, auth):
    tenant, project_id, pesels = _project_with_three_people(app)
    auth.login_as(TENANT_A, "staff")
    response = client.get(f"{TENANT_URL}/projects/{project_id}/esf-participants?fmt=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == EXPECTED_HEADERS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["Nazwisko"] for r in records] == ["Bąk", "Łęcka", "Zając"]   # Polish order
    jan, anna, ewa = records
    assert anna == {
        "Kraj": "Polska", "Rodzaj uczestnika": "Indywidualny", "Nazwa instytucji": anna["Nazwa instytucji"],
        "Imię": "Anna", "Nazwisko": "Łęcka", "PESEL": pesels["Łęcka"], "Brak PESEL": "Nie", "Płeć": "Kobieta",
        "Wiek w chwili przystąpienia do projektu": "42", "Wykształcenie": "Ponadgimnazjalne (ISCED 3)",
        "Obywatelstwo": "Brak polskiego obywatelstwa lub UE", "Województwo": "świętokrzyskie",
        "Powiat": "skarżyski", "Gmina": "Skarżysko-Kamienna", "Kod TERYT gminy": "2610011",
        "Miejscowość": "Skarżysko-Kamienna", "Kod pocztowy": "26-110",
        "Obszar według stopnia urbanizacji (DEGURBA)": "Małe miasta i przedmieścia (2)", "Telefon kontaktowy": "600 100 200", "Adres e-mail": "",
        "Data rozpoczęcia udziału w projekcie": "2023-03-01", "Data zakończenia udziału w projekcie": "2023-11-30",
        "Status osoby na rynku pracy w chwili przystąpienia do projektu": "Osoba długotrwale bezrobotna",
        "Osoba obcego pochodzenia": "Tak", "Osoba państwa trzeciego": "Tak",
        "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności marginalizowane)":
            "Odmowa podania informacji",
        "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań": "Nie",
        "Osoba z niepełnosprawnościami": "Odmowa podania informacji",
        "Osoba z gospodarstwa domowego bez osób pracujących": "Nie",
        "Sytuacja osoby w momencie zakończenia udziału w projekcie": "Osoba pracująca",
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną ścieżką":
            "Nie – przerwanie udziału z powodu podjęcia pracy",
        "Rodzaj przyznanego wsparcia": "Klub integracji społecznej (KIS); Kurs zawodowy",
        "Data rozpoczęcia udziału we wsparciu": "2023-03-02",
    }
    assert anna["Nazwa instytucji"].startswith("Miejski Ośrodek Pomocy Społecznej")
    assert (jan["PESEL"], jan["Brak PESEL"], jan["Płeć"], jan["Wykształcenie"]) == ("", "Tak", "Mężczyzna",
                                                                                   "Wyższe (ISCED 5-8)")
    assert (jan["Powiat"], jan["Gmina"], jan["Adres e-mail"], jan["Wiek w chwili przystąpienia do projektu"]) == (
        "Kielce", "Kielce", "jan@example.org", "34")
    assert (jan["Obywatelstwo"], jan["Osoba obcego pochodzenia"], jan["Data zakończenia udziału w projekcie"],
            jan["Sytuacja osoby w momencie zakończenia udziału w projekcie"]) == ("", "", "", "")
    assert (jan["Rodzaj przyznanego wsparcia"], jan["Data rozpoczęcia udziału we wsparciu"]) == (
        "Staż", "2024-03-01")
    assert (ewa["Wiek w chwili przystąpienia do projektu"], ewa["Rodzaj przyznanego wsparcia"],
            ewa["Status osoby na rynku pracy w chwili przystąpienia do projektu"]) == (
        "56", "", "Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy")
    with app.app_context(), tenant_scope(tenant):
        entry = db.session.execute(select(AccessRecord).where(
            AccessRecord.subject_type == "esf_participant_file")).scalar_one()
    assert entry.action is AccessAction.EXPORT


def test_the_csv_file_has_the_same_columns_and_is_polish_whatever_the_interface_language(app, client, auth):
    _tenant, project_id, _pesels = _project_with_three_people(app)
    auth.login_as(TENANT_A, "staff")
    response = client.get(f"{TENANT_URL}/projects/{project_id}/esf-participants?fmt=csv&lang=en")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.split("\n")[0].count(";") else ","))
    assert rows[0] == EXPECTED_HEADERS and len(rows) == 4
    assert "Klub integracji społecznej (KIS); Kurs zawodowy" in text


def test_the_esf_plus_answers_are_recorded_through_the_forms_with_field_messages(app, client, auth):
    import re

    from regionet.tenants.participants.models import Participant

    from .participant_helpers import BASE, form_data

    tenant, project_id, _pesels = _project_with_three_people(app)
    auth.login_as(TENANT_A, "staff")
    html = client.post(f"{BASE}/new", data=form_data(citizenship="martian", minority="maybe")).get_data(as_text=True)
    assert re.search(r'id="citizenship-error">(Nieprawidłowy wybór|Wybierz jedną z wartości z listy)', html)
    assert re.search(r'id="minority-error">(Nieprawidłowy wybór|Wybierz jedną z wartości z listy)', html)
    assert 'value="Kowalska"' in html
    response = client.post(f"{BASE}/new", data=form_data(citizenship="other_eu", foreign_origin="yes",
                                                         third_country_national="no", minority="refused"))
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        anna = db.session.execute(select(Participant).where(Participant.last_name == "Kowalska")).scalar_one()
        assert (anna.citizenship, anna.foreign_origin, anna.third_country_national, anna.minority) == (
            Citizenship.OTHER_EU, SensitiveAnswer.YES, SensitiveAnswer.NO, SensitiveAnswer.REFUSED)
        jan_in = db.session.execute(select(Enrolment).where(Enrolment.exit_date.is_(None))
                                    .order_by(Enrolment.entry_date.desc())).scalars().first()
    card = client.get(f"{BASE}/{anna.id}").get_data(as_text=True)
    assert "Inne państwo UE" in card and "Obywatel państwa trzeciego" in card
    url = f"{TENANT_URL}/enrolments/{jan_in.id}/edit"
    html = client.post(url, data={"entry_date": "2024-02-10", "exit_date": "", "status_at_entry": "inactive",
                                  "exit_situation": "job_seeking"}).get_data(as_text=True)
    assert re.search(r'id="exit_situation-error">Zapisuje się przy zakończeniu udziału: podaj też datę', html)
    assert client.post(url, data={"entry_date": "2024-02-10", "exit_date": "2024-06-28", "status_at_entry": "inactive",
                                  "exit_situation": "job_seeking", "exit_reason": "completed"}).status_code == 302
    with app.app_context(), tenant_scope(tenant):
        stored = db.session.get(Enrolment, (tenant, jan_in.id))
        assert (stored.exit_situation, stored.exit_reason) == (ExitSituation.JOB_SEEKING, ExitReason.COMPLETED)


def test_special_category_answers_leave_only_for_members_granted_them(app, client):
    from regionet.tenants.participants.models import SensitiveAnswer as Answer

    from .participant_helpers import add_participant
    from .team import make_team

    team = make_team(app)
    zenon = add_participant(app, slug=team.slug, first_name="Zenon", last_name="Wrażliwy",
                            disability=Answer.YES, homeless=Answer.REFUSED)
    with app.app_context():
        [project_id] = add(team.institution_id, project(code="FEŚ/1", start=date(2023, 1, 1), end=date(2025, 12, 31)))
        with tenant_scope(team.institution_id):
            db.session.add(Enrolment(project_id=project_id, participant_id=zenon.id, entry_date=date(2023, 2, 1),
                                     status_at_entry=LabourStatus.INACTIVE))
            db.session.commit()
    team.login(client, team.staff)
    text = client.get(f"/i/{team.slug}/projects/{project_id}/esf-participants?fmt=csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Osoba z niepełnosprawnościami"] == "udzielono odpowiedzi"
    assert row["Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"] == "udzielono odpowiedzi"
    assert row["Osoba obcego pochodzenia"] == "" and row["Nazwisko"] == "Wrażliwy"
