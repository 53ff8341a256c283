"""Working groups across institutions: who sees a group (ORM and row-level security), invitations,
members, meetings with agenda, RSVP and attendance, minutes draft -> approved (versioned), tasks with
owners and deadlines, the ICS invitation and the minutes PDF read back."""
import io
import re
import uuid
from datetime import timedelta

import pdfplumber
import pytest
from icalendar import Calendar
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.groups.models import (
    ActionItem,
    AgendaDocument,
    Meeting,
    MinutesState,
    MinutesVersion,
    WorkingGroup,
)

from .helpers import visible_text
from .test_isolation import _institution_id

MOPS, PUP, OWES = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce"
GROUP_BLUEPRINTS = ("tenant_groups", "tenant_meetings")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def group_routes_answer_404(app, client, slug, ids, needs=None) -> int:
    """Every route of the groups' blueprints that names a record (one of `needs`, when given) answers 404 to
    `slug`'s signed-in user, for every method; returns how many requests were tried. `ids`: the records."""
    checked = 0
    for rule in app.url_map.iter_rules():
        arguments = set(rule.arguments) - {"tenant"}
        if rule.endpoint.rpartition(".")[0] not in GROUP_BLUEPRINTS or not (arguments & needs if needs else arguments):
            continue
        url = rule.build({"tenant": slug, **{a: ids[a] for a in arguments}}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(url, method=method).status_code == 404, (method, url)
            checked += 1
    return checked


def _post(client, url, **data):
    return client.post(url, data=data)


def _new_group(client, auth) -> str:
    auth.login_as(MOPS, "staff")
    response = _post(client, f"/i/{MOPS}/groups/new", name="Grupa Robocza MOPS–CIS", kind="working",
                     purpose="Współpraca MOPS, Centrum Inicjatyw Społecznych i środowiska akademickiego.",
                     link_note="")
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:1000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def _invite(app, client, group_id, slug=PUP):
    response = _post(client, f"/i/{MOPS}/groups/{group_id}/invite", institution_id=_institution_id(app, slug))
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:1000]


def _meeting(client, slug, group_id, **overrides) -> str:
    data = {"title": "Analiza narzędzi badawczych", "day": (today_in_poland() + timedelta(days=10)).isoformat(),
            "starts_at": "13:00", "ends_at": "15:00", "place": "Sala konferencyjna MOPS", "online_url": ""}
    data.update(overrides)
    response = client.post(f"/i/{slug}/groups/{group_id}/meetings/new", data=data)
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:1000]
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.fixture
def shared_group(app, client, auth):
    """A MOPS group that invited the PUP, which joined; the OWES is not in it."""
    group_id = _new_group(client, auth)
    _invite(app, client, group_id)
    auth.logout()
    auth.login_as(PUP, "staff")
    page = visible_text(client.get(f"/i/{PUP}/groups/{group_id}").get_data(as_text=True))
    assert "Grupa Robocza MOPS–CIS" in page and "zaproszona" in page.lower()
    assert _post(client, f"/i/{PUP}/groups/{group_id}/accept").status_code == 302
    auth.logout()
    return group_id


def test_an_invited_institution_sees_the_group_and_an_outsider_gets_404_everywhere(app, client, auth, shared_group):
    auth.login_as(MOPS, "staff")
    meeting_id = _meeting(client, MOPS, shared_group)
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        meeting = db.session.get(Meeting, (_institution_id(app, MOPS), uuid.UUID(meeting_id)))
        ids = {"group_id": shared_group, "meeting_id": meeting_id, "member_id": str(meeting.group.members[0].id)}
    assert _post(client, f"/i/{MOPS}/groups/meetings/{meeting_id}/agenda", **{"agenda-title": "Katalog usług PUP"}).status_code == 302
    assert _post(client, f"/i/{MOPS}/groups/{shared_group}/actions", **{
        "action-title": "Porozumienie MOPS–PUP", "action-owner": f"i:{_institution_id(app, PUP)}",
        "action-deadline": "2026-09-30"}).status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        ids["agenda_item_id"] = str(db.session.execute(select(Meeting)).scalar_one().agenda[0].id)
        ids["action_id"] = str(db.session.execute(select(ActionItem.id)).scalar_one())
    # A document attached to the agenda item (checked by its content: a renamed file is refused).
    upload = f"/i/{MOPS}/groups/agenda/{ids['agenda_item_id']}/documents"
    refused = client.post(upload, data={"document": (io.BytesIO(b"MZ not a pdf"), "katalog.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "nie jest dokumentem PDF" in visible_text(refused.get_data(as_text=True))
    assert client.post(upload, data={"document": (io.BytesIO(PDF), "Katalog usług PUP.pdf")},
                       content_type="multipart/form-data").status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        ids["document_id"] = str(db.session.execute(select(AgendaDocument.id)).scalar_one())
    auth.logout()
    # The PUP (a party) reads everything of the group in its own workspace, the document too.
    auth.login_as(PUP, "staff")
    page = client.get(f"/i/{PUP}/groups/meetings/{meeting_id}").get_data(as_text=True)
    assert "Katalog usług PUP" in page and "Katalog usług PUP.pdf" in page
    download = client.get(f"/i/{PUP}/groups/agenda-documents/{ids['document_id']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Grupa Robocza" in client.get(f"/i/{PUP}/groups/").get_data(as_text=True)
    auth.logout()
    # The OWES (same region, not invited): every route of the groups answers 404, for every method.
    auth.login_as(OWES, "admin")
    assert group_routes_answer_404(app, client, OWES, ids) >= 15
    assert "Grupa Robocza" not in client.get(f"/i/{OWES}/groups/").get_data(as_text=True)


def test_row_level_security_shows_a_group_to_its_parties_only(app, pg_database, client, auth, shared_group):
    mops, pup, owes = (_institution_id(app, s) for s in (MOPS, PUP, OWES))
    engine = create_engine(pg_database["app"])
    try:
        for tenant, expected in ((mops, 1), (pup, 1), (owes, 0)):
            with engine.begin() as conn:
                conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
                for table in ("working_groups", "working_group_institutions", "working_group_members"):
                    count = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                    assert (count > 0) == bool(expected), (tenant, table, count)
        with engine.begin() as conn:   # an outsider cannot add itself to the group, nor write into it
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(owes)})
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("INSERT INTO shared_parties (tenant_id, id, party_set_id, institution_id)"
                                  " VALUES (:m, gen_random_uuid(), :g, :o)"),
                             {"m": mops, "g": shared_group, "o": owes})
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(owes)})
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("INSERT INTO group_meetings (tenant_id, id, group_id, title, starts_at)"
                                  " VALUES (:m, gen_random_uuid(), :g, 'Obce', now())"), {"m": mops, "g": shared_group})
    finally:
        engine.dispose()


def test_leaving_a_group_hides_it_again(app, client, auth, shared_group):
    auth.login_as(MOPS, "staff")
    assert "PUP Skarżysko-Kamienna · Członek" in visible_text(client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(
        as_text=True))
    auth.logout()
    auth.login_as(PUP, "admin")
    assert _post(client, f"/i/{PUP}/groups/{shared_group}/leave").status_code == 302
    assert client.get(f"/i/{PUP}/groups/{shared_group}").status_code == 404
    auth.logout()
    auth.login_as(MOPS, "staff")
    page = visible_text(client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True))
    assert "PUP Skarżysko-Kamienna · Członek" not in page   # and it may be invited again
    assert re.search(r'<option value="\d+">PUP Skarżysko-Kamienna</option>',
                     client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True))


def test_a_meeting_from_agenda_to_approved_minutes_ics_and_pdf(app, client, auth, shared_group):
    auth.login_as(PUP, "staff")
    assert _post(client, f"/i/{PUP}/groups/{shared_group}/members", user_id="", full_name="Jan Kowalski",
                 organisation="Uniwersytet Jana Kochanowskiego", role="guest").status_code == 302
    meeting_id = _meeting(client, PUP, shared_group)   # a member institution plans it; everyone is invited
    base = f"/i/{PUP}/groups/meetings/{meeting_id}"
    for title, presenter in (("Prezentacja katalogu usług PUP", "PUP Skarżysko-Kamienna"),
                             ("Analiza narzędzi badawczych", "dr Anna Nowak")):
        assert _post(client, f"{base}/agenda", **{"agenda-title": title, "agenda-presenter": presenter,
                                                  "agenda-duration_minutes": "30"}).status_code == 302
    assert _post(client, f"{base}/guests", guest_name="Maria Wiśniewska",
                 guest_organisation="Spółdzielnia Socjalna „Razem”").status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        meeting = db.session.execute(select(Meeting).where(Meeting.id == uuid.UUID(meeting_id))).scalar_one()
        rows = {row.name: row.id for row in meeting.attendance}
    assert set(rows) >= {"Jan Kowalski", "Maria Wiśniewska"} and len(rows) == 3
    marks = {f"presence-{rows['Jan Kowalski']}": "excused", f"presence-{rows['Maria Wiśniewska']}": "present"}
    chair = next(name for name in rows if name not in ("Jan Kowalski", "Maria Wiśniewska"))
    marks[f"presence-{rows[chair]}"] = "present"
    assert client.post(f"{base}/attendance", data=marks).status_code == 302
    # The ICS invitation: Polish wall-clock time, the agenda in the description.
    ics = client.get(f"{base}/invitation.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    event = next(c for c in Calendar.from_ical(ics.data).walk("VEVENT"))
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (13, 0, "Europe/Warsaw")
    assert "1. Prezentacja katalogu usług PUP (PUP Skarżysko-Kamienna)" in str(event["description"])
    assert str(event["location"]) == "Sala konferencyjna MOPS"
    # Minutes: a draft by a member institution; the PUP's staff is not the chair and cannot approve.
    assert _post(client, f"{base}/minutes", body="Omówiono katalog usług PUP.",
                 decisions="Współpraca MOPS–PUP zostanie ujęta w porozumieniu najpóźniej w III kwartale.").status_code == 302
    _post(client, f"{base}/minutes/approve")
    auth.logout()
    auth.login_as(MOPS, "staff")   # the chair (the group's creator) approves
    assert _post(client, f"/i/{MOPS}/groups/meetings/{meeting_id}/minutes/approve").status_code == 302
    assert _post(client, f"/i/{MOPS}/groups/meetings/{meeting_id}/minutes", body="Omówiono katalog usług PUP. Korekta.",
                 decisions="").status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        versions = db.session.execute(select(MinutesVersion).order_by(MinutesVersion.number)).scalars().all()
        assert [(v.number, v.state) for v in versions] == [(1, MinutesState.APPROVED), (2, MinutesState.DRAFT)]
        assert versions[0].body == "Omówiono katalog usług PUP."   # the approved version never changes
    pdf = client.get(f"/i/{MOPS}/groups/meetings/{meeting_id}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        text_of_pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)
        rows = [[" ".join((cell or "").split()) for cell in row]
                for page in document.pages for table in page.extract_tables() for row in table]
    for expected in ("Protokół", "Grupa Robocza MOPS–CIS", "Lista obecności", "Maria Wiśniewska",
                     "Spółdzielnia Socjalna", "Usprawiedliwiony", "Prezentacja katalogu usług PUP",
                     "zostanie ujęta w porozumieniu", "Zatwierdzony"):
        assert expected in text_of_pdf, expected
    assert "Korekta" not in text_of_pdf   # the approved version is printed, not the newer draft
    attendance = {row[1]: row for row in rows if len(row) == 6}
    assert attendance[f"{chair} Przewodniczący"][3] == "Obecny" and attendance[f"{chair} Przewodniczący"][5] == ""
    assert attendance["Jan Kowalski Gość"][2:4] == ["Uniwersytet Jana Kochanowskiego", "Usprawiedliwiony"]


def test_a_task_overdue_shows_to_its_owner_until_done(app, client, auth, shared_group):
    auth.login_as(MOPS, "staff")
    pup = _institution_id(app, PUP)
    yesterday = (today_in_poland() - timedelta(days=1)).isoformat()
    assert _post(client, f"/i/{MOPS}/groups/{shared_group}/actions", **{
        "action-title": "Projekt porozumienia MOPS–PUP", "action-owner": f"i:{pup}",
        "action-deadline": yesterday}).status_code == 302
    assert "Projekt porozumienia" not in client.get(f"/i/{MOPS}/").get_data(as_text=True)
    auth.logout()
    auth.login_as(PUP, "staff")
    home = visible_text(client.get(f"/i/{PUP}/").get_data(as_text=True))
    assert "Projekt porozumienia MOPS–PUP" in home
    with app.app_context(), tenant_scope(pup):
        action_id = db.session.execute(select(ActionItem.id)).scalar_one()
    assert _post(client, f"/i/{PUP}/groups/actions/{action_id}/done").status_code == 302
    assert "Projekt porozumienia MOPS–PUP" not in visible_text(client.get(f"/i/{PUP}/").get_data(as_text=True))
    assert "Wykonano" in visible_text(client.get(f"/i/{PUP}/groups/{shared_group}").get_data(as_text=True))


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(app, client, auth, shared_group):
    auth.login_as(MOPS, "staff")
    response = client.post(f"/i/{MOPS}/groups/{shared_group}/meetings/new", data={
        "title": "Spotkanie bez miejsca", "day": "31.02.2026", "starts_at": "13:00", "ends_at": "12:00",
        "place": "", "online_url": "nie-link"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Spotkanie bez miejsca" in html
    for field, message in (("day", "dd.mm.rrrr"), ("online_url", "https://")):
        found = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
        assert found and message in visible_text(found.group(1)), field
    response = client.post(f"/i/{MOPS}/groups/{shared_group}/actions",
                           data={"action-title": "Zadanie", "action-owner": "i:999999",
                                 "action-deadline": "2026-09-30"})
    assert response.status_code == 422 and "członka lub instytucję grupy" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        assert db.session.execute(select(Meeting)).first() is None
        assert db.session.execute(select(ActionItem)).first() is None
        assert db.session.execute(select(WorkingGroup)).scalar_one().name == "Grupa Robocza MOPS–CIS"


def test_the_demo_seeds_two_groups_with_meetings_minutes_and_an_overdue_task(app, client, auth):
    from regionet.platform.demo.groups import THEMATIC_GROUP, WORKING_GROUP, do_seed_demo_groups

    with app.app_context():
        assert do_seed_demo_groups(today_in_poland())
        db.session.commit()
        assert do_seed_demo_groups(today_in_poland()) == []   # once
    auth.login_as(PUP, "staff")
    groups = visible_text(client.get(f"/i/{PUP}/groups/").get_data(as_text=True))
    assert WORKING_GROUP in groups and THEMATIC_GROUP in groups
    auth.logout()
    auth.login_as(MOPS, "staff")
    home = visible_text(client.get(f"/i/{MOPS}/").get_data(as_text=True))
    assert "Przygotować ankietę do analizy narzędzi badawczych" in home   # overdue, on the owner's overview
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        # The MOPS's own group's (it also sees the meetings of the region's committee it sits in)
        meetings = db.session.execute(select(Meeting).where(Meeting.tenant_id == _institution_id(app, MOPS))
                                      .order_by(Meeting.starts_at)).scalars().all()
        assert [m.starts_at.astimezone().date() < today_in_poland() for m in meetings] == [True, False]
        past_minutes = meetings[0].minutes[-1]
        assert past_minutes.state is MinutesState.APPROVED and "III kwartale" in past_minutes.decisions
        from regionet.tenants.partners.models import Agreement

        assert db.session.execute(select(Agreement).where(
            Agreement.title == "Porozumienie MOPS–PUP o współpracy w pracy z rodzinami")).scalar_one()
    assert client.get(f"/i/{MOPS}/groups/meetings/{meetings[0].id}/minutes.pdf").status_code == 200
    auth.logout()
    auth.login_as(OWES, "admin")   # the OWES owns the thematic group and is not in the MOPS's
    groups = visible_text(client.get(f"/i/{OWES}/groups/").get_data(as_text=True))
    assert THEMATIC_GROUP in groups and WORKING_GROUP not in groups


def test_the_invitation_goes_by_e_mail_to_members_with_an_account(app, client, auth, shared_group, mailbox):
    from regionet.platform.demo.seed import institution_login

    from .mail_server import run_mail_jobs, text_of

    auth.login_as(PUP, "staff")
    with app.app_context():
        from regionet.platform.accounts.models import User

        pup_staff = db.session.execute(select(User.id).where(
            User.email == institution_login(PUP, "staff", 1))).scalar_one()
    assert _post(client, f"/i/{PUP}/groups/{shared_group}/members", user_id=str(pup_staff), role="member").status_code == 302
    meeting_id = _meeting(client, PUP, shared_group)
    assert _post(client, f"/i/{PUP}/groups/meetings/{meeting_id}/agenda",
                 **{"agenda-title": "Katalog usług PUP", "agenda-presenter": "PUP"}).status_code == 302
    assert _post(client, f"/i/{PUP}/groups/meetings/{meeting_id}/invitations").status_code == 302
    run_mail_jobs(app)
    [to_pup] = mailbox.to(institution_login(PUP, "staff", 1))
    [to_mops] = mailbox.to(institution_login(MOPS, "staff", 1))
    body = text_of(to_mops)
    assert "Analiza narzędzi badawczych" in body and "1. Katalog usług PUP (PUP)" in body and "13:00" in body
    assert f"/i/{MOPS}/groups/meetings/{meeting_id}" in body   # each in their own institution's workspace
    assert f"/i/{PUP}/groups/meetings/{meeting_id}" in text_of(to_pup)


def test_three_unexcused_absences_in_a_row_raise_an_alert(app, client, auth, shared_group):
    auth.login_as(MOPS, "staff")
    assert _post(client, f"/i/{MOPS}/groups/{shared_group}/members", user_id="", full_name="Jan Kowalski",
                 organisation="Cech Rzemiosł Różnych", role="member").status_code == 302
    meetings = [_meeting(client, MOPS, shared_group, day=(today_in_poland() - timedelta(days=days)).isoformat())
                for days in (90, 60, 30)]

    def mark(meeting_id, presence):
        with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
            meeting = db.session.execute(select(Meeting).where(Meeting.id == uuid.UUID(meeting_id))).scalar_one()
            row = next(r for r in meeting.attendance if r.name == "Jan Kowalski")
        assert client.post(f"/i/{MOPS}/groups/meetings/{meeting_id}/attendance",
                           data={f"presence-{row.id}": presence}).status_code == 302

    for meeting_id in meetings:
        mark(meeting_id, "absent")
    page = visible_text(client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True))
    assert "trzy lub więcej nieusprawiedliwionych" in page.lower() and "Jan Kowalski (Cech Rzemiosł Różnych): 3" in page
    mark(meetings[-1], "excused")   # the latest one excused: the run is broken
    page = visible_text(client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True))
    assert "Jan Kowalski (Cech Rzemiosł Różnych): " not in page
