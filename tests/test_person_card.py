"""The person's card: enrol in a project, record support and outcomes, and a timeline of everything."""
import re
from datetime import date

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Sex
from regionet.tenants.support.models import Enrolment

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"


def test_enrol_from_the_card_then_record_support_and_see_the_timeline(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        kis = project(code="KIS/2013", start=date(2013, 6, 1), end=date(2015, 6, 30))
        other = project(code="PAI/2014", start=date(2014, 1, 1), end=date(2014, 12, 31))
        project_id, _other_id, anna_id = add(tenant, kis, other, participant("Anna", "Wiśniewska", date(1975, 3, 2),
                                                                             Sex.FEMALE, 11))
    auth.login_as(TENANT_A, "staff")
    card = client.get(f"{TENANT_URL}/participants/{anna_id}").get_data(as_text=True)
    assert f"/participants/{anna_id}/enrol" in card and "Nic się jeszcze nie wydarzyło" in visible_text(card)
    url = f"{TENANT_URL}/participants/{anna_id}/enrol"
    form = client.get(url).get_data(as_text=True)
    assert "KIS/2013" in form and "PAI/2014" in form
    response = client.post(url, data={"project_id": "", "entry_date": "2013-07-01", "status_at_entry": ""})
    assert response.status_code == 422
    assert re.search(r'id="project_id-error">Wybierz projekt\.', response.get_data(as_text=True))
    html = client.post(url, data={"project_id": str(project_id), "entry_date": "2012-07-01",
                                  "status_at_entry": ""}).get_data(as_text=True)
    assert "Data przystąpienia musi mieścić się w okresie realizacji projektu (01.06.2013 – 30.06.2015)." in html
    assert 'value="2012-07-01"' in html
    response = client.post(url, data={"project_id": str(project_id), "entry_date": "2013-07-01",
                                      "status_at_entry": ""})
    assert response.status_code == 302 and response.location.endswith(f"/participants/{anna_id}")
    with app.app_context(), tenant_scope(tenant):
        enrolment_id = db.session.execute(select(Enrolment.id)).scalar_one()
    card = client.get(f"{TENANT_URL}/participants/{anna_id}").get_data(as_text=True)
    assert f"/enrolments/{enrolment_id}/episodes/new" in card and f"/enrolments/{enrolment_id}/outcomes/new" in card
    assert "KIS/2013" not in client.get(url).get_data(as_text=True)  # enrolled once
    client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/episodes/new", data={
        "instrument": "kis", "start_date": "2013-07-02", "end_date": "2013-12-20", "hours": "120"})
    client.post(f"{TENANT_URL}/enrolments/{enrolment_id}/outcomes/new", data={
        "kind": "employment_contract", "achieved_on": "2014-01-10", "evidence": ""})
    timeline = visible_text(client.get(f"{TENANT_URL}/participants/{anna_id}").get_data(as_text=True))
    timeline = timeline[timeline.index("Oś czasu"):]
    assert re.search(r"10\.01\.2014 · Podjęcie pracy: umowa o pracę .*02\.07\.2013 · Klub integracji społecznej "
                     r"\(KIS\) .*01\.07\.2013 · Przystąpienie do: Klub Integracji Społecznej", timeline)
