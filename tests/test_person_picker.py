"""Person pickers' type-ahead (issue 17, point 7): the server's answer is the institution's own
people only, found by name without Polish letters or by a PESEL fragment, at most 20, each as an
id and one line (name and PESEL): never a special-category answer or anything else of the record.
The attendance list of a large project lists only the people marked and found (point 3)."""
import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import AccessRecord
from regionet.tenants.group_sessions.queries import FULL_LIST_LIMIT
from regionet.tenants.participants.models import Participant, SensitiveAnswer, Sex
from regionet.tenants.support.models import Enrolment

from .test_group_sessions import _episodes, _post
from .test_isolation import TENANT_A, TENANT_B, _institution_id
from .workspace_data import add, participant, project

PICK = "/i/{slug}/participants/pick"


def _people(app, slug, names, serial=300, **fields):
    tenant = _institution_id(app, slug)
    with app.app_context():
        return tenant, add(tenant, *[participant("Anna", name, date(1975, 3, 1 + i % 28), Sex.FEMALE, serial + i,
                                                 **fields) for i, name in enumerate(names)])


def _pick(client, q, slug=TENANT_A):
    response = client.get(PICK.format(slug=slug), query_string={"q": q})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()["results"]


def test_people_are_found_without_polish_letters_or_by_a_pesel_fragment(app, client, auth):
    tenant, (wisniewska, lecka, _nowak) = _people(app, TENANT_A, ["Wiśniewska", "Łęcka", "Nowak"])
    with app.app_context(), tenant_scope(tenant):
        pesel = db.session.get(Participant, (tenant, lecka)).pesel
    auth.login_as(TENANT_A, "staff")
    assert [r["value"] for r in _pick(client, "wisniewska")] == [str(wisniewska)]
    assert [r["value"] for r in _pick(client, "LECKA anna")] == [str(lecka)]
    found = _pick(client, pesel[3:9])
    assert [r["value"] for r in found] == [str(lecka)]
    assert found[0]["text"] == f"Łęcka Anna · PESEL {pesel}"
    assert _pick(client, "") == []
    # the search is in the access trail, as the list's is
    with app.app_context(), tenant_scope(tenant):
        details = db.session.execute(select(AccessRecord.detail).where(
            AccessRecord.subject_type == "participant_search")).scalars().all()
    assert "Wyszukiwanie osoby: wisniewska" in details


def test_the_answer_has_at_most_twenty_people_and_nothing_but_an_id_and_a_line(app, client, auth):
    _people(app, TENANT_A, [f"Kowalczyk-{n:02d}" for n in range(25)], disability=SensitiveAnswer.YES)
    auth.login_as(TENANT_A, "admin")   # even a member who may see special categories gets none here
    raw = client.get(PICK.format(slug=TENANT_A), query_string={"q": "kowalczyk"}).get_data(as_text=True)
    results = json.loads(raw)["results"]
    assert len(results) == 20
    assert all(set(r) == {"value", "text"} for r in results)
    assert [r["text"].split(" · ")[0] for r in results] == [f"Kowalczyk-{n:02d} Anna" for n in range(20)]
    for leak in ("disability", "niepełnospraw", "yes", "tak", "2610011", "Skarżysko", "1975-"):
        assert leak not in raw.lower(), leak


def test_another_institutions_people_are_never_in_the_answer(app, client, auth):
    _tenant_b, [theirs] = _people(app, TENANT_B, ["Zawistowska"], serial=400)
    _tenant_a, [ours] = _people(app, TENANT_A, ["Zawistowska"], serial=410)
    auth.login_as(TENANT_A, "staff")
    assert [r["value"] for r in _pick(client, "zawistowska")] == [str(ours)]
    # a member of A asking through B's address is refused, not answered
    assert client.get(PICK.format(slug=TENANT_B), query_string={"q": "zawistowska"}).status_code in (403, 404)
    auth.logout()
    auth.login_as(TENANT_B, "staff")
    assert [r["value"] for r in _pick(client, "zawistowska", TENANT_B)] == [str(theirs)]


def test_an_anonymised_person_is_not_offered(app, client, auth):
    tenant, [gone] = _people(app, TENANT_A, ["Ulatowska"])
    with app.app_context(), tenant_scope(tenant):
        db.session.get(Participant, (tenant, gone)).anonymised_at = datetime.now(UTC)
        db.session.commit()
    auth.login_as(TENANT_A, "staff")
    assert _pick(client, "ulatowska") == []


def _large_project(app, people):
    """A project with `people` enrolled (more than the form lists in full)."""
    tenant = _institution_id(app, TENANT_A)
    names = [f"Uczestniczka-{n:03d}" for n in range(people - 1)] + ["Żółkiewska"]
    with app.app_context():
        persons = [participant("Anna", name, date(1970 + n % 30, 1 + n % 12, 1 + n % 28), Sex.FEMALE, 500 + n)
                   for n, name in enumerate(names)]
        project_id, *person_ids = add(tenant, project(start=date(2013, 6, 1), end=date(2015, 6, 30)), *persons)
        with tenant_scope(tenant):
            enrolments = [Enrolment(project_id=project_id, participant_id=pid, entry_date=date(2013, 7, 1),
                                    status_at_entry=persons[0].labour_status) for pid in person_ids]
            db.session.add_all(enrolments)
            db.session.commit()
            by_name = {name: str(e.id) for name, e in zip(names, enrolments, strict=True)}
    return tenant, str(project_id), by_name


def test_a_large_projects_attendance_lists_those_marked_and_found_and_the_type_ahead_finds_more(app, client, auth):
    tenant, project_id, enrolments = _large_project(app, FULL_LIST_LIMIT + 5)
    url = f"/i/{TENANT_A}/projects/{project_id}/sessions/new"
    auth.login_as(TENANT_A, "staff")
    form = client.get(url).get_data(as_text=True)
    assert form.count('type="checkbox" name="attendees"') == 0 and 'data-combobox-adds-to="attendance-list"' in form
    # without JavaScript: "Find" lists the people found under those already marked, and saves nothing
    marked = enrolments["Uczestniczka-007"]
    found = client.post(url, data={"action": "find", "find": "zolkiewska", "attendees": [marked], "topic": "CV"})
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and page.count('type="checkbox" name="attendees"') == 2
    assert f'value="{marked}" checked' in page and f'value="{enrolments["Żółkiewska"]}" >' in page
    assert 'value="CV"' in page and _episodes(app, tenant) == []
    # the type-ahead's answer: this project's enrolments, as id and line
    answer = client.get(f"/i/{TENANT_A}/projects/{project_id}/sessions/attendees",
                        query_string={"q": "ZOLKIEWSKA"}).get_json()["results"]
    assert answer == [{"value": enrolments["Żółkiewska"], "text": "Żółkiewska Anna · w projekcie 01.07.2013 – teraz"}]
    # Enter with nothing to find saves the session, as its own button does
    response = _post(client, url, [marked, enrolments["Żółkiewska"]], action="find", find="")
    assert response.status_code == 302
    assert sorted(e[0] for e in _episodes(app, tenant)) == sorted([marked, enrolments["Żółkiewska"]])


def test_the_attendee_search_is_the_projects_and_the_institutions_own(app, client, auth):
    _tenant, project_id, _enrolments = _large_project(app, 3)
    auth.login_as(TENANT_B, "staff")
    assert client.get(f"/i/{TENANT_B}/projects/{project_id}/sessions/attendees",
                      query_string={"q": "anna"}).status_code == 404
