"""Enrolments, support episodes and outcomes: the date rules, the lists, exports and the access trail."""
import csv
import io
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import AccessAction, AccessRecord
from regionet.tenants.participants.models import LabourStatus, Sex
from regionet.tenants.support.models import (
    Enrolment,
    Instrument,
    Outcome,
    OutcomeKind,
    SupportEpisode,
)

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"


def _setup(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        kis = project(start=date(2013, 6, 1), end=date(2015, 6, 30))
        anna = participant("Anna", "Wiśniewska", date(1975, 3, 2), Sex.FEMALE, 11, LabourStatus.INACTIVE)
        jan = participant("Jan", "Kowalski", date(1980, 5, 14), Sex.MALE, 12)
        project_id, anna_id, jan_id = add(tenant, kis, anna, jan)
        with tenant_scope(tenant):
            pesel = db.session.get(type(anna), (tenant, anna_id)).pesel
    return tenant, str(project_id), str(anna_id), str(jan_id), pesel


def _count(app, tenant, model):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _enrol(client, project_id, participant_id, **data):
    return client.post(f"{TENANT_URL}/projects/{project_id}/enrol", data={
        "participant_id": participant_id, "entry_date": "2013-07-01", "exit_date": "2014-03-31",
        "status_at_entry": "", **data})


def test_enrol_a_participant_found_by_pesel_with_the_status_from_their_record(app, client, auth):
    tenant, project_id, anna_id, _jan, pesel = _setup(app)
    auth.login_as(TENANT_A, "staff")
    found = client.get(f"{TENANT_URL}/projects/{project_id}/enrol?q={pesel}").get_data(as_text=True)
    assert "Wiśniewska Anna" in found and "Kowalski" not in found
    response = _enrol(client, project_id, anna_id)
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        enrolment = db.session.execute(select(Enrolment)).scalar_one()
        assert enrolment.status_at_entry is LabourStatus.INACTIVE  # from Anna's record
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Anna Wiśniewska" in page and "Osoba bierna zawodowo" in page and "01.07.2013" in page
    with app.app_context(), tenant_scope(tenant):
        trail = db.session.execute(select(AccessRecord.subject_type)).scalars().all()
    assert "participant_search" in trail and "enrolment" in trail


def test_exit_before_entry_is_refused_and_the_typed_dates_are_kept(app, client, auth):
    tenant, project_id, anna_id, _jan, _pesel = _setup(app)
    auth.login_as(TENANT_A)
    response = _enrol(client, project_id, anna_id, exit_date="2013-06-15")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="exit_date-error">[^<]*Data zakończenia udziału nie może być wcześniejsza niż data '
                     r'przystąpienia\.', html)
    assert 'value="2013-06-15"' in html and 'value="2013-07-01"' in html
    assert re.search(rf'value="{anna_id}"\s+checked', html)  # the chosen person stays chosen
    assert _count(app, tenant, Enrolment) == 0


def test_entry_outside_the_project_period_and_future_dates_are_explained(app, client, auth):
    tenant, project_id, anna_id, _jan, _pesel = _setup(app)
    auth.login_as(TENANT_A)
    text = visible_text(_enrol(client, project_id, anna_id, entry_date="2012-12-01",
                               exit_date="").get_data(as_text=True))
    assert "Data przystąpienia musi mieścić się w okresie realizacji projektu (01.06.2013 – 30.06.2015)." in text
    tomorrow = (today_in_poland() + timedelta(days=1)).isoformat()
    text = visible_text(_enrol(client, project_id, anna_id, exit_date=tomorrow).get_data(as_text=True))
    assert "Data zakończenia udziału nie może być z przyszłości." in text
    assert _count(app, tenant, Enrolment) == 0


def test_a_participant_is_enrolled_once_per_project(app, client, auth):
    tenant, project_id, anna_id, _jan, _pesel = _setup(app)
    auth.login_as(TENANT_A)
    assert _enrol(client, project_id, anna_id).status_code == 302
    again = _enrol(client, project_id, anna_id, entry_date="2014-01-02")
    assert "Anna Wiśniewska jest już uczestnikiem/uczestniczką tego projektu." in visible_text(
        again.get_data(as_text=True))
    assert _count(app, tenant, Enrolment) == 1


def _enrolled(app, client, auth):
    tenant, project_id, anna_id, _jan_id, _pesel = _setup(app)
    auth.login_as(TENANT_A)
    location = _enrol(client, project_id, anna_id).location
    return tenant, project_id, location.rsplit("/", 1)[1]


def test_support_dates_must_fall_within_the_enrolment_and_not_in_the_future(app, client, auth):
    tenant, _project_id, enrolment_id = _enrolled(app, client, auth)
    url = f"{TENANT_URL}/enrolments/{enrolment_id}/episodes/new"
    base = {"instrument": "internship", "start_date": "2013-09-01", "end_date": "2014-02-28", "hours": "960"}
    text = visible_text(client.post(url, data={**base, "start_date": "2013-06-20"}).get_data(as_text=True))
    assert "Wsparcie musi mieścić się w okresie udziału w projekcie (01.07.2013 – 31.03.2014)." in text
    text = visible_text(client.post(url, data={**base, "end_date": "2014-05-01"}).get_data(as_text=True))
    assert "Wsparcie musi mieścić się w okresie udziału w projekcie" in text
    html = client.post(url, data={**base, "hours": "sto"}).get_data(as_text=True)
    assert "Wpisz liczbę godzin, np. 120 lub 7,5." in visible_text(html) and 'value="sto"' in html
    assert _count(app, tenant, SupportEpisode) == 0
    ok = client.post(url, data={**base, "hours": "7,5"})
    assert ok.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        episode = db.session.execute(select(SupportEpisode)).scalar_one()
        assert episode.instrument is Instrument.INTERNSHIP and str(episode.hours) == "7.5"
    page = visible_text(client.get(ok.location).get_data(as_text=True))
    assert "Staż" in page and "7,5" in page


def test_outcomes_before_entry_or_in_the_future_are_refused_and_windows_are_computed(app, client, auth):
    tenant, project_id, enrolment_id = _enrolled(app, client, auth)
    url = f"{TENANT_URL}/enrolments/{enrolment_id}/outcomes/new"
    text = visible_text(client.post(url, data={"kind": "employment_contract", "achieved_on": "2013-06-30"})
                        .get_data(as_text=True))
    assert "Rezultat nie może być wcześniejszy niż przystąpienie do projektu (01.07.2013)." in text
    future = (today_in_poland() + timedelta(days=3)).isoformat()
    text = visible_text(client.post(url, data={"kind": "employment_contract", "achieved_on": future})
                        .get_data(as_text=True))
    assert "Data rezultatu nie może być z przyszłości." in text
    assert _count(app, tenant, Outcome) == 0
    # exit 31.03.2014: 28.04.2014 is within 4 weeks, 30.09.2014 within 6 months only
    within = client.post(url, data={"kind": "employment_contract", "achieved_on": "2014-04-28", "evidence": "umowa"})
    later = client.post(url, data={"kind": "civil_contract", "achieved_on": "2014-09-30"})
    html = client.get(within.headers["Location"]).get_data(as_text=True)
    assert within.status_code == later.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        ids = {o.kind: o.id for o in db.session.execute(select(Outcome)).scalars()}
    first = client.get(f"{TENANT_URL}/outcomes/{ids[OutcomeKind.EMPLOYMENT_CONTRACT]}").get_data(as_text=True)
    second = client.get(f"{TENANT_URL}/outcomes/{ids[OutcomeKind.CIVIL_CONTRACT]}").get_data(as_text=True)

    def flag(page, name):
        return visible_text(re.search(rf'id="{name}">(.*?)</dd>', page, re.DOTALL).group(1)).strip()

    assert (flag(first, "within-4-weeks"), flag(first, "within-6-months")) == ("tak", "tak")
    assert (flag(second, "within-4-weeks"), flag(second, "within-6-months")) == ("nie", "tak")
    assert "Podjęcie pracy: umowa o pracę" in visible_text(html)
    listed = visible_text(client.get(f"{TENANT_URL}/projects/{project_id}/outcomes?window=4w").get_data(as_text=True))
    assert "Podjęcie pracy: umowa o pracę" in listed and "umowa cywilnoprawna Wiśniewska" not in listed
    assert "1–1 z 1" in listed


def test_editing_an_enrolment_cannot_leave_its_support_outside(app, client, auth):
    tenant, _project_id, enrolment_id = _enrolled(app, client, auth)
    client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/episodes/new",
                data={"instrument": "kis", "start_date": "2013-08-01", "end_date": "2014-03-01"})
    response = client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/edit",
                           data={"entry_date": "2013-09-01", "exit_date": "2014-02-01",
                                 "status_at_entry": "inactive"})
    text = visible_text(response.get_data(as_text=True))
    assert "Wsparcie lub rezultat tej osoby ma datę 01.08.2013, wcześniejszą niż ta data przystąpienia." in text
    assert "Wsparcie tej osoby trwa do 01.03.2014, po tej dacie zakończenia udziału." in text
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(select(Enrolment.entry_date)).scalar_one() == date(2013, 7, 1)
    ok = client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/edit",
                     data={"entry_date": "2013-07-01", "exit_date": "2014-03-15", "status_at_entry": "employed"})
    assert ok.status_code == 302
    assert "Zmieniono" in visible_text(client.get(ok.location).get_data(as_text=True))


def test_lists_search_filter_and_exports_record_access_and_neutralise_formulas(app, client, auth):
    tenant, project_id, anna_id, jan_id, _pesel = _setup(app)
    auth.login_as(TENANT_A)
    _enrol(client, project_id, anna_id)
    _enrol(client, project_id, jan_id, exit_date="", status_at_entry="registered_unemployed")
    listed = client.get(f"{TENANT_URL}/projects/{project_id}/enrolments").get_data(as_text=True)
    assert "Kowalski Jan" in listed and "Wiśniewska Anna" in listed
    assert listed.index("Kowalski Jan") < listed.index("Wiśniewska Anna")  # sorted by last name
    only_active = client.get(f"{TENANT_URL}/projects/{project_id}/enrolments?state=active").get_data(as_text=True)
    assert "Kowalski Jan" in only_active and "Wiśniewska Anna" not in only_active
    by_status = client.get(f"{TENANT_URL}/projects/{project_id}/enrolments?status=inactive").get_data(as_text=True)
    assert "Wiśniewska Anna" in by_status and "Kowalski Jan" not in by_status
    with app.app_context(), tenant_scope(tenant):
        enrolment = db.session.execute(select(Enrolment).join(Enrolment.participant)
                                       .where(Enrolment.exit_date.is_not(None))).scalar_one()
        db.session.add(SupportEpisode(enrolment_id=enrolment.id, instrument=Instrument.OTHER,
                                      start_date=date(2013, 8, 1), notes="=cmd|' /C calc'!A0"))
        db.session.commit()
    episodes = client.get(f"{TENANT_URL}/projects/{project_id}/episodes?instrument=other").get_data(as_text=True)
    assert "Inne wsparcie" in episodes
    before = _count(app, tenant, AccessRecord)
    export = client.get(f"{TENANT_URL}/projects/{project_id}/episodes/export?fmt=csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Nazwisko", "Imię", "PESEL", "Forma wsparcia"]
    assert rows[1][-1] == "'=cmd|' /C calc'!A0"
    with app.app_context(), tenant_scope(tenant):
        record = db.session.execute(select(AccessRecord).order_by(AccessRecord.at.desc()).limit(1)).scalar_one()
    assert _count(app, tenant, AccessRecord) == before + 1
    assert record.action is AccessAction.EXPORT and "1 wierszy, CSV" in record.detail
    xlsx = client.get(f"{TENANT_URL}/projects/{project_id}/enrolments/export?fmt=xlsx&q=kowalski")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[2]][:2] == ["Kowalski", "Jan"] and sheet.max_row == 2
    outcomes = client.get(f"{TENANT_URL}/projects/{project_id}/outcomes/export?fmt=csv")
    assert outcomes.status_code == 200 and "Rezultat" in outcomes.get_data(as_text=True)


def test_read_only_members_see_records_but_cannot_change_them(app, client, auth):
    tenant, _project_id, enrolment_id = _enrolled(app, client, auth)
    auth.logout()
    auth.login_as(TENANT_A, "readonly")
    assert client.get(f"{TENANT_URL}/enrolments/{enrolment_id}").status_code == 200
    assert client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/outcomes/new",
                       data={"kind": "qualification", "achieved_on": "2013-09-01"}).status_code == 403
    assert _count(app, tenant, Outcome) == 0


def test_future_support_is_refused_and_an_enrolment_with_records_is_not_deleted(app, client, auth):
    tenant, _project_id, enrolment_id = _enrolled(app, client, auth)
    url = f"{TENANT_URL}/enrolments/{enrolment_id}/episodes/new"
    future = (today_in_poland() + timedelta(days=1)).isoformat()
    with app.app_context(), tenant_scope(tenant):
        enrolment = db.session.execute(select(Enrolment)).scalar_one()
        enrolment.exit_date = None  # still taking part: only "today" limits the dates
        db.session.commit()
    text = visible_text(client.post(url, data={"instrument": "kis", "start_date": future}).get_data(as_text=True))
    assert "Data rozpoczęcia nie może być z przyszłości." in text
    text = visible_text(client.post(url, data={"instrument": "kis", "start_date": "2013-08-01",
                                               "end_date": future}).get_data(as_text=True))
    assert "Data zakończenia nie może być z przyszłości." in text
    assert _count(app, tenant, SupportEpisode) == 0
    assert client.post(url, data={"instrument": "kis", "start_date": "2013-08-01"}).status_code == 302
    refused = client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/delete", follow_redirects=True)
    assert "najpierw je usuń" in visible_text(refused.get_data(as_text=True))
    assert _count(app, tenant, Enrolment) == 1
    with app.app_context(), tenant_scope(tenant):
        episode_id = db.session.execute(select(SupportEpisode.id)).scalar_one()
    assert client.post(f"{TENANT_URL}/episodes/{episode_id}/delete").status_code == 302
    assert client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/delete").status_code == 302
    assert _count(app, tenant, Enrolment) == 0
