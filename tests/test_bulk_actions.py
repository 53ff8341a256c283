"""Bulk actions on lists: enrol the ticked people in one project, end the ticked participations,
export the ticked people; all or nothing, with the reason next to the field."""
import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Sex
from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"
NAMES = ["Adamska", "Bąk", "Cieślak", "Dudek"]


def _world(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        kis = project(code="KIS/1", start=date(2013, 6, 1), end=date(2015, 6, 30))
        people = [participant("Anna", name, date(1970 + i, 1, 10), Sex.FEMALE, 400 + i) for i, name in enumerate(NAMES)]
        project_id, *ids = add(tenant, kis, *people)
    return tenant, str(project_id), [str(i) for i in ids]


def _enrolments(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(select(Enrolment)).scalars().all()


def test_the_ticked_people_are_enrolled_together_or_not_at_all(app, client, auth):
    tenant, project_id, ids = _world(app)
    auth.login_as(TENANT_A, "staff")
    listing = client.get(f"{TENANT_URL}/participants/").get_data(as_text=True)
    assert listing.count('name="selected"') == 4 and "/participants/enrol-selected" in listing
    page = client.post(f"{TENANT_URL}/participants/enrol-selected", data={"selected": ids[:3]}).get_data(as_text=True)
    assert "3 osoby zaznaczone" in visible_text(page) and "Dudek" not in page
    # an entry date outside the project: nobody enrolled, the people stay ticked
    response = client.post(f"{TENANT_URL}/participants/enrol-selected", data={
        "selected": ids[:3], "step": "confirm", "project_id": project_id, "entry_date": "2013-01-01",
        "status_at_entry": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="entry_date-error">Data przystąpienia musi mieścić się w okresie realizacji', html)
    assert html.count('name="selected"') == 3 and _enrolments(app, tenant) == []
    response = client.post(f"{TENANT_URL}/participants/enrol-selected", data={
        "selected": ids[:3], "step": "confirm", "project_id": project_id, "entry_date": "2013-07-01",
        "status_at_entry": ""})
    assert response.status_code == 302
    assert len(_enrolments(app, tenant)) == 3
    # one of them already enrolled: the project is no longer offered, and a forced one is refused by name
    html = client.post(f"{TENANT_URL}/participants/enrol-selected", data={
        "selected": ids[2:], "step": "confirm", "project_id": project_id, "entry_date": "2013-07-01",
        "status_at_entry": ""}).get_data(as_text=True)
    assert re.search(r'id="project_id-error">Już zapisani do tego projektu: Anna Cieślak\.', html)
    assert len(_enrolments(app, tenant)) == 3


def test_the_ticked_participations_end_on_one_day_under_the_date_rules(app, client, auth):
    tenant, project_id, ids = _world(app)
    auth.login_as(TENANT_A, "staff")
    client.post(f"{TENANT_URL}/participants/enrol-selected", data={
        "selected": ids, "step": "confirm", "project_id": project_id, "entry_date": "2013-07-01",
        "status_at_entry": ""})
    enrolments = _enrolments(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        db.session.add(SupportEpisode(enrolment_id=enrolments[0].id, instrument=Instrument.KIS,
                                      start_date=date(2013, 7, 2), end_date=date(2014, 2, 28)))
        db.session.commit()
    picked = [str(e.id) for e in enrolments]
    url = f"{TENANT_URL}/projects/{project_id}/end-selected"
    html = client.post(url, data={"selected": picked, "step": "confirm", "exit_date": "2013-12-31"}).get_data(
        as_text=True)
    name = next(e.participant.full_name for e in enrolments if e.id == enrolments[0].id)
    assert re.search(rf'id="exit_date-error">{name}: Wsparcie tej osoby trwa do 28\.02\.2014', html)
    assert all(e.exit_date is None for e in _enrolments(app, tenant))
    assert client.post(url, data={"selected": picked, "step": "confirm", "exit_date": "2014-03-31"}).status_code == 302
    assert {e.exit_date for e in _enrolments(app, tenant)} == {date(2014, 3, 31)}


def test_the_ticked_people_are_exported_and_the_export_is_in_the_trail(app, client, auth):
    tenant, _project_id, ids = _world(app)
    auth.login_as(TENANT_A, "staff")
    response = client.post(f"{TENANT_URL}/participants/export-selected", data={"selected": ids[1:3], "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.data)).active
    surnames = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert surnames == ["Bąk", "Cieślak"]
    from regionet.tenants.audit.models import AccessAction, AccessRecord

    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(select(func.count()).select_from(AccessRecord).where(
            AccessRecord.action == AccessAction.EXPORT)).scalar_one() == 1
