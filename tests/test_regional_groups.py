"""The coordinator's regional working groups (issue 16, point 1): created by the coordinator, owned by
the region's office, invited institutions see them in their workspace, everybody else gets 404 (the
institution routes and the coordinator's routes alike), and a coordinator sees only their region's."""
import io
import re
import uuid

import pytest
from icalendar import Calendar
from sqlalchemy import create_engine, select, text

from regionet.platform.accounts.services import do_ensure_user, do_make_coordinator
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.regions.services import do_create_region
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.groups.models import AgendaDocument, AgendaItem, WorkingGroup

from .conftest import DEMO_PASSWORD, truncate_tenant_tables
from .helpers import fast_password_hashing, visible_text
from .test_groups import MOPS, OWES, PDF, PUP, _new_group, group_routes_answer_404
from .test_isolation import _institution_id

BASE = "/r/swietokrzyskie/groups"
NAME = "Regionalny Komitet Rozwoju Ekonomii Społecznej"


@pytest.fixture
def no_office_after(app, pg_database):
    """The region's office is an institution row (not a tenant row): removed after the test."""
    yield
    truncate_tenant_tables(app, pg_database["admin"])
    engine = create_engine(pg_database["admin"])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM institutions WHERE office_of_region IS NOT NULL"))
    engine.dispose()


def _text(response) -> str:
    return visible_text(response.get_data(as_text=True))


@pytest.fixture
def regional_group(app, client, auth, no_office_after):
    """A coordinator's committee that invited the PUP (which joined), with a meeting planned."""
    auth.login_coordinator()
    assert client.get(f"{BASE}/").status_code == 200
    refused = client.post(f"{BASE}/new", data={"name": "", "kind": "committee", "purpose": "", "link_note": ""})
    assert refused.status_code == 422 and "Wpisz nazwę grupy." in _text(refused)
    created = client.post(f"{BASE}/new", data={"name": NAME, "kind": "committee", "link_note": "",
                                                "purpose": "Opiniowanie regionalnego programu rozwoju ekonomii "
                                                           "społecznej (art. 55–58 ustawy)."})
    assert created.status_code == 302, _text(created)[:1000]
    group_id = created.location.rsplit("/", 1)[-1]
    page = _text(client.get(f"{BASE}/{group_id}"))
    assert NAME in page and "Karolina Jarosz" in page
    assert client.post(f"{BASE}/{group_id}/invite",
                       data={"institution_id": _institution_id(app, PUP)}).status_code == 302
    planned = client.post(f"{BASE}/{group_id}/meetings/new", data={
        "title": "Posiedzenie komitetu", "day": "2026-12-16", "starts_at": "10:00", "ends_at": "12:00",
        "place": "Urząd Marszałkowski, Kielce", "online_url": ""})
    assert planned.status_code == 302, _text(planned)[:1000]
    meeting_id = planned.location.rsplit("/", 1)[-1]
    assert "Posiedzenie komitetu" in _text(client.get(planned.location))
    # The coordinator prepares the agenda, with a document; a renamed file is refused next to the item.
    assert client.post(f"{BASE}/meetings/{meeting_id}/agenda", data={
        "agenda-title": "Projekt programu rozwoju ekonomii społecznej", "agenda-presenter": "ROPS"}).status_code == 302
    page = client.get(f"{BASE}/meetings/{meeting_id}").get_data(as_text=True)
    item_id = re.search(r'/agenda/([0-9a-f-]{36})/documents', page).group(1)
    refused = client.post(f"{BASE}/agenda/{item_id}/documents", data={"document": (io.BytesIO(b"MZ"), "program.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "nie jest dokumentem PDF" in _text(refused)
    assert client.post(f"{BASE}/agenda/{item_id}/documents", data={"document": (io.BytesIO(PDF), "program.pdf")},
                       content_type="multipart/form-data").status_code == 302
    assert "program.pdf" in _text(client.get(f"{BASE}/meetings/{meeting_id}"))
    ics = client.get(f"{BASE}/meetings/{meeting_id}/invitation.ics")
    assert ics.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(ics.data).walk("VEVENT")] == [f"{NAME}: Posiedzenie komitetu"]
    assert client.get(f"{BASE}/meetings/{meeting_id}/minutes.pdf").data.startswith(b"%PDF")
    auth.logout()
    auth.login_as(PUP, "staff")
    assert NAME in _text(client.get(f"/i/{PUP}/groups/"))
    assert client.post(f"/i/{PUP}/groups/{group_id}/accept").status_code == 302
    auth.logout()
    return group_id, meeting_id


def test_members_see_the_regional_group_in_their_workspace_and_outsiders_get_404(app, pg_database, client, auth,
                                                                                 regional_group):
    group_id, meeting_id = regional_group
    auth.login_as(PUP, "staff")
    detail = _text(client.get(f"/i/{PUP}/groups/{group_id}"))
    assert NAME in detail and "Koordynator regionalny" in detail and "PUP Skarżysko-Kamienna · Członek" in detail
    assert "Posiedzenie komitetu" in _text(client.get(f"/i/{PUP}/groups/meetings/{meeting_id}"))
    # The PUP puts its catalogue on the agenda, with the document (point 2).
    assert client.post(f"/i/{PUP}/groups/meetings/{meeting_id}/agenda",
                       data={"agenda-title": "Katalog usług PUP", "agenda-presenter": "PUP"}).status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        item_id = db.session.execute(select(AgendaItem.id).where(AgendaItem.title == "Katalog usług PUP")).scalar_one()
    assert client.post(f"/i/{PUP}/groups/agenda/{item_id}/documents",
                       data={"document": (io.BytesIO(PDF), "katalog.pdf")},
                       content_type="multipart/form-data").status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        document_id = str(db.session.execute(select(AgendaDocument.id).where(
            AgendaDocument.file_name == "katalog.pdf")).scalar_one())
    assert "program.pdf" in _text(client.get(f"/i/{PUP}/groups/meetings/{meeting_id}"))   # the coordinator's
    auth.logout()
    # The coordinator sees that the PUP joined, and downloads the document from the meeting's page.
    auth.login_coordinator()
    assert "PUP Skarżysko-Kamienna · Członek" in _text(client.get(f"{BASE}/{group_id}"))
    assert "katalog.pdf" in _text(client.get(f"{BASE}/meetings/{meeting_id}"))
    assert client.get(f"{BASE}/agenda-documents/{document_id}").data == PDF
    auth.logout()

    # An institution that was not invited: every group route (its workspace) answers 404.
    auth.login_as(OWES, "admin")
    ids = {"group_id": group_id, "meeting_id": meeting_id, "member_id": str(uuid.uuid4()),
           "agenda_item_id": str(item_id), "action_id": str(uuid.uuid4()), "document_id": document_id}
    assert group_routes_answer_404(app, client, OWES, ids,
                                   needs={"group_id", "meeting_id", "agenda_item_id", "document_id"}) >= 10
    assert NAME not in _text(client.get(f"/i/{OWES}/groups/"))
    # ...nor the coordinator's pages (staff are not coordinators).
    for method, url in _region_urls(app, group_id, meeting_id, document_id=document_id, agenda_item_id=item_id):
        assert client.open(url, method=method).status_code == 404, (method, url)
    auth.logout()

    # Row-level security: the office's group rows are the office's and its parties' only.
    with app.app_context():
        office = db.session.execute(select(Institution).where(Institution.office_of_region == "26")).scalar_one()
        assert not office.is_active
    engine = create_engine(pg_database["app"])
    try:
        for slug, expected in ((PUP, 1), (OWES, 0)):
            with engine.begin() as conn:
                conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"),
                             {"t": str(_institution_id(app, slug))})
                for table, column, count in (("working_groups", "id", 1), ("group_agenda_documents", "group_id", 2)):
                    assert conn.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :g"),
                                        {"g": group_id}).scalar_one() == count * expected, (slug, table)
    finally:
        engine.dispose()


def _region_urls(app, group_id, meeting_id, region="swietokrzyskie", document_id=None,
                 agenda_item_id=None) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("region_groups.") and rule.endpoint != "region_groups.static":
            values = {"region": region, "group_id": group_id, "meeting_id": meeting_id,
                      "document_id": document_id or str(uuid.uuid4()), "agenda_item_id": agenda_item_id or str(uuid.uuid4())}
            path = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)[1]
            urls += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_a_coordinator_sees_only_the_groups_of_their_region(app, client, auth, regional_group):
    group_id, meeting_id = regional_group
    # An institution's own group is not the coordinator's: 404 on the region's pages.
    institution_group = _new_group(client, auth)
    auth.logout()
    auth.login_coordinator()
    listing = _text(client.get(f"{BASE}/"))
    assert NAME in listing and "Grupa Robocza MOPS–CIS" not in listing
    for method, url in _region_urls(app, institution_group, str(uuid.uuid4())):
        if "{" not in url and institution_group in url:
            assert client.open(url, method=method).status_code == 404, (method, url)
    # The office is offered nowhere as an institution to invite.
    options = re.search(r'<select[^>]*name="institution_id".*?</select>',
                        client.get(f"{BASE}/{group_id}").get_data(as_text=True), re.S).group(0)
    assert "OWES Kielce" in options and "Koordynator regionalny" not in options
    auth.logout()
    auth.login_as(MOPS, "staff")
    assert "Koordynator regionalny" not in client.get(f"/i/{MOPS}/groups/{institution_group}").get_data(as_text=True)
    auth.logout()

    # The coordinator of another region: every route of region 26 is a 404, and its own list is empty.
    with app.app_context(), fast_password_hashing():
        region, _new = do_create_region("14")
        other, _new = do_ensure_user("koordynator.mazowsze@demo.regionet.example", "Marek Mazowiecki", DEMO_PASSWORD)
        do_make_coordinator(other, region.teryt_code)
        db.session.commit()
    auth.login("koordynator.mazowsze@demo.regionet.example")
    for method, url in _region_urls(app, group_id, meeting_id):
        assert client.open(url, method=method).status_code == 404, (method, url)
    for method, url in _region_urls(app, group_id, meeting_id, region="mazowieckie"):
        if group_id in url or meeting_id in url:
            assert client.open(url, method=method).status_code == 404, (method, url)
    assert NAME not in _text(client.get("/r/mazowieckie/groups/"))
    auth.logout()
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        assert db.session.execute(select(WorkingGroup.id).where(WorkingGroup.name == NAME)).first() is None
