"""Group sessions: one form records a session and every attendee's support; corrections follow."""
import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.group_sessions.models import GroupSession, SessionAttendance
from regionet.tenants.participants.models import Sex
from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"
NAMES = ["Adamska", "Bąk", "Cieślak", "Ćwik", "Dudek", "Łęcka", "Nowak", "Ostrowska", "Śliwa", "Żak",
         "Kamińska", "Lis", "Mazur", "Pawlak", "Rogala", "Sowa", "Tomczak", "Urban", "Wilk", "Zając",
         "Bielecka", "Czajka", "Duda", "Florczak", "Górska", "Hajduk", "Jasińska", "Kubiak", "Laskowska", "Marek"]


def _workshop(app, people=10, exit_of_last=None):
    """A KIS project with `people` enrolled from 01.07.2013 (the last one left on `exit_of_last`)."""
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        kis = project(start=date(2013, 6, 1), end=date(2015, 6, 30))
        persons = [participant("Anna", name, date(1970 + i % 30, 1 + i % 12, 10), Sex.FEMALE, 100 + i)
                   for i, name in enumerate(NAMES[:people])]
        project_id, *person_ids = add(tenant, kis, *persons)
        with tenant_scope(tenant):
            project_row = db.session.get(type(kis), (tenant, project_id))
            enrolments = [Enrolment(project=project_row, participant_id=pid, entry_date=date(2013, 7, 1),
                                    exit_date=None, status_at_entry=persons[0].labour_status) for pid in person_ids]
            if exit_of_last:
                enrolments[-1].exit_date = exit_of_last
            db.session.add_all(enrolments)
            db.session.commit()
            enrolment_ids = [str(e.id) for e in enrolments]
    return tenant, str(project_id), enrolment_ids


def _post(client, url, attendees, **fields):
    data = {"instrument": "kis", "held_on": "2013-09-12", "hours": "3,5", "topic": "Jak napisać CV",
            "place": "Świetlica KIS", "instructor": "Beata Adaś", **fields}
    return client.post(url, data={**data, "attendees": attendees})


def _episodes(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return [(str(e.enrolment_id), e.instrument, e.start_date, e.end_date, e.hours, e.notes) for e in
                db.session.execute(select(SupportEpisode)).scalars()]


def _count(app, tenant, model):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_session_for_thirty_people_gives_each_of_them_the_support_of_that_day(app, client, auth):
    tenant, project_id, enrolments = _workshop(app, people=30)
    auth.login_as(TENANT_A, "staff")
    form = client.get(f"{TENANT_URL}/projects/{project_id}/sessions/new").get_data(as_text=True)
    assert form.count('name="attendees"') == 30
    response = _post(client, f"{TENANT_URL}/projects/{project_id}/sessions/new", enrolments)
    assert response.status_code == 302
    episodes = _episodes(app, tenant)
    assert sorted(e[0] for e in episodes) == sorted(enrolments)
    assert {e[1:] for e in episodes} == {(Instrument.KIS, date(2013, 9, 12), date(2013, 9, 12), Decimal("3.5"),
                                           "Zajęcia grupowe: Jak napisać CV")}
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Jak napisać CV" in page and "Beata Adaś" in page and "Obecność (30)" in page
    assert page.index("Adamska Anna") < page.index("Bąk Anna") < page.index("Ćwik Anna") < page.index("Żak Anna")
    listing = visible_text(client.get(f"{TENANT_URL}/projects/{project_id}/sessions").get_data(as_text=True))
    assert "12.09.2013" in listing and "3,5" in listing
    # the support list of the project counts them like any support
    support = visible_text(client.get(f"{TENANT_URL}/projects/{project_id}/episodes?per_page=50").get_data(
        as_text=True))
    assert support.count("12.09.2013") == 60  # from and to, for every attendee


def test_bad_input_is_explained_next_to_each_field_and_nothing_is_written(app, client, auth):
    tenant, project_id, enrolments = _workshop(app, people=3, exit_of_last=date(2013, 8, 31))
    auth.login_as(TENANT_A, "staff")
    url = f"{TENANT_URL}/projects/{project_id}/sessions/new"
    tomorrow = today_in_poland() + timedelta(days=1)
    response = _post(client, url, [], held_on=tomorrow.isoformat(), hours="0", topic="Warsztat z Łodzi")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="held_on-error">Data zajęć nie może być z przyszłości\.', html)
    assert re.search(r'id="hours-error">Podaj, ile godzin trwały zajęcia: więcej niż 0 i najwyżej 24\.', html)
    assert re.search(r'id="attendees-error">Zaznacz co najmniej jedną obecną osobę\.', html)
    assert 'value="Warsztat z Łodzi"' in html and f'value="{tomorrow.isoformat()}"' in html
    # a person who had already left the project that day
    html = _post(client, url, enrolments).get_data(as_text=True)
    assert re.search(r'id="attendees-error">W dniu 12\.09\.2013 w projekcie nie uczestniczyły osoby: '
                     r'Anna Cieślak \(01\.07\.2013 – 31\.08\.2013\)\.', html)
    assert all(re.search(rf'value="{e}"\s+checked', html) for e in enrolments)  # the marks are kept
    html = _post(client, url, enrolments[:1], held_on="2016-01-04").get_data(as_text=True)
    assert "Zajęcia muszą mieścić się w okresie realizacji projektu (01.06.2013 – 30.06.2015)." in html
    assert _count(app, tenant, GroupSession) == 0 and _count(app, tenant, SupportEpisode) == 0


def test_attendance_corrections_update_add_and_remove_the_episodes(app, client, auth):
    tenant, project_id, enrolments = _workshop(app, people=5)
    auth.login_as(TENANT_A, "staff")
    location = _post(client, f"{TENANT_URL}/projects/{project_id}/sessions/new", enrolments[:4]).location
    session_id = location.rstrip("/").rsplit("/", 1)[1]
    edit = client.get(f"{TENANT_URL}/group-sessions/{session_id}/edit").get_data(as_text=True)
    assert sum(1 for e in enrolments[:4] if re.search(rf'value="{e}"\s+checked', edit)) == 4
    # two were absent after all, the fifth came, and the session was longer
    response = _post(client, f"{TENANT_URL}/group-sessions/{session_id}/edit",
                     [enrolments[0], enrolments[1], enrolments[4]], hours="4", held_on="2013-09-13")
    assert response.status_code == 302
    episodes = _episodes(app, tenant)
    assert sorted(e[0] for e in episodes) == sorted([enrolments[0], enrolments[1], enrolments[4]])
    assert {(e[2], e[4]) for e in episodes} == {(date(2013, 9, 13), Decimal("4.0"))}
    assert _count(app, tenant, SessionAttendance) == 3
    # an episode deleted from the person's page leaves the attendance list too
    with app.app_context(), tenant_scope(tenant):
        episode_id = db.session.execute(select(SessionAttendance.episode_id).where(
            SessionAttendance.enrolment_id == enrolments[4])).scalar_one()
    client.post(f"{TENANT_URL}/episodes/{episode_id}/delete")
    assert _count(app, tenant, SessionAttendance) == 2
    # deleting the session takes its attendees' support with it
    client.post(f"{TENANT_URL}/group-sessions/{session_id}/delete")
    assert _count(app, tenant, GroupSession) == 0 and _count(app, tenant, SupportEpisode) == 0


def test_a_read_only_member_sees_sessions_but_cannot_record_them(app, client, auth):
    _tenant, project_id, enrolments = _workshop(app, people=1)
    auth.login_as(TENANT_A, "readonly")
    assert client.get(f"{TENANT_URL}/projects/{project_id}/sessions").status_code == 200
    assert _post(client, f"{TENANT_URL}/projects/{project_id}/sessions/new", enrolments).status_code == 403
