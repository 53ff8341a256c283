"""The demo region's social-economy committee: a regional group owned by the region's office, with
members of four demo institutions, a past meeting with approved minutes, decisions and tasks, and an
upcoming one on the region's calendar and the members' calendars."""
from sqlalchemy import select

from regionet.platform.demo.groups import COMMITTEE, do_seed_demo_groups
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.groups.models import ActionState, MemberRole, MinutesState, Presence, WorkingGroup

from .helpers import visible_text

REGION = "/r/swietokrzyskie"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return visible_text(response.get_data(as_text=True))


def test_the_demo_has_the_regions_committee_with_its_meetings(app, client, auth):
    today = today_in_poland()
    with app.app_context():
        created = do_seed_demo_groups(today)
        assert f"regional working group: {COMMITTEE}" in created
        assert do_seed_demo_groups(today) == []   # once
        office = db.session.execute(select(Institution).where(Institution.office_of_region == "26")).scalar_one()
        with tenant_scope(office.id):
            group = db.session.execute(select(WorkingGroup).where(WorkingGroup.name == COMMITTEE)).scalar_one()
            assert group.tenant_id == office.id and group.kind.value == "committee"
            roles = {m.full_name: (m.role, m.institution.slug if m.institution else None) for m in group.members}
            assert roles["Karolina Jarosz"][0] is MemberRole.SECRETARY
            assert roles["Małgorzata Nowak"] == (MemberRole.CHAIR, "owes-kielce")
            assert roles["Ewa Roman"][0] is MemberRole.GUEST
            assert {slug for _role, slug in roles.values() if slug} >= {
                "owes-kielce", "mopr-kielce", "pup-skarzysko-kamienna", "mops-skarzysko-kamienna"}
            past, upcoming = sorted(group.meetings, key=lambda m: m.starts_at)
            assert past.starts_at.date() < today < upcoming.starts_at.date()
            minutes = past.minutes[-1]
            assert minutes.state is MinutesState.APPROVED and "zaopiniował" in minutes.decisions
            presence = {row.name: (row.presence, row.substitute) for row in past.attendance}
            assert presence["Roman Białek"] == (Presence.PRESENT, "Agnieszka Buryło")
            assert presence["dr hab. Piotr Zieliński"][0] is Presence.EXCUSED
            assert len(upcoming.agenda) == 3 and all(row.presence is Presence.UNKNOWN for row in upcoming.attendance)
            states = sorted(a.state.value for a in group.actions)
            assert states == [ActionState.DONE.value, ActionState.OPEN.value, ActionState.OPEN.value]
            past_id, upcoming_id, group_id = past.id, upcoming.id, group.id
            month = upcoming.starts_at.date().strftime("%Y-%m")

    auth.login_coordinator()
    assert COMMITTEE in _text(client.get(f"{REGION}/groups/"))
    detail = _text(client.get(f"{REGION}/groups/{group_id}"))
    assert "Przewodnicząca" in detail or "Przewodniczący" in detail
    assert "OWES Kielce · Członek" in detail and "Spółdzielnia Socjalna „Wspólny Sukces”" in detail
    assert client.get(f"{REGION}/groups/meetings/{past_id}/minutes.pdf").data.startswith(b"%PDF")
    calendar = _text(client.get(f"{REGION}/calendar/?month={month}"))
    assert "Zakup prospołeczny w gminach i plan pracy Komitetu na 2027 r." in calendar
    auth.logout()
    # A member institution sees the committee and its next meeting in its own workspace; another does not.
    auth.login_as("mopr-kielce", "admin")
    assert COMMITTEE in _text(client.get("/i/mopr-kielce/groups/"))
    assert "Zakup prospołeczny" in _text(client.get(f"/i/mopr-kielce/groups/meetings/{upcoming_id}"))
    assert COMMITTEE in _text(client.get(f"/i/mopr-kielce/calendar/?month={month}"))
    auth.logout()
    auth.login_as("gops-blizyn", "admin")
    assert COMMITTEE not in _text(client.get("/i/gops-blizyn/groups/"))
