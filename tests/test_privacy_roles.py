"""Special-category answers by role, and the data-protection officer's role.

Disability, minority or migrant origin, homelessness and a jobless household are visible only to
members their admin granted it; the others see that an answer exists (pages, history, exports,
the list's filter), and their edits keep the answers they cannot see. The officer (`iod`) reads
the requests and the access trail, never a participant's file."""
import csv
import io
from datetime import UTC, datetime

import pyotp
from sqlalchemy import select

from regionet.platform.accounts.models import Membership, MembershipRole
from regionet.platform.accounts.second_factor import SecondFactor
from regionet.platform.accounts.services import do_create_user, do_grant_membership
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Participant, SensitiveAnswer

from .helpers import fast_password_hashing, visible_text
from .participant_helpers import add_participant, form_data
from .team import PASSWORD, make_team

HIDDEN = "odpowiedź zapisana (widoczna dla osób z dostępem)"


def special_person(app, team):
    return add_participant(app, slug=team.slug, first_name="Zenon", last_name="Wrażliwy",
                           disability=SensitiveAnswer.YES, homeless=SensitiveAnswer.REFUSED)


def export_row(client, base: str, surname: str) -> dict:
    text = client.get(f"{base}/participants/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return next(dict(zip(rows[0], row, strict=False)) for row in rows[1:] if surname in row)


def test_special_categories_are_shown_only_to_members_granted_them(app, client, auth):
    team = make_team(app)
    base = f"/i/{team.slug}"
    zenon, other = special_person(app, team), add_participant(app, slug=team.slug, last_name="Zwyczajny")
    team.login(client, team.staff)
    page = visible_text(client.get(f"{base}/participants/{zenon.id}").get_data(as_text=True))
    assert HIDDEN in page and "Odmowa podania informacji" not in page
    row = export_row(client, base, "Wrażliwy")
    assert row["Niepełnosprawność"] == "udzielono odpowiedzi" and row["Bezdomność lub wykluczenie z dostępu do mieszkań"] == "udzielono odpowiedzi"
    listing = visible_text(client.get(f"{base}/participants/?disability=yes").get_data(as_text=True))
    assert "Zwyczajny" in listing, "a filter by disability is not applied for them"
    form = client.get(f"{base}/participants/{zenon.id}/edit").get_data(as_text=True)
    assert 'id="special-hidden"' in form and 'name="disability"' not in form
    data = form_data(first_name="Zenon", last_name="Wrażliwy-Nowy", pesel=None, no_pesel="y",
                     birth_date="14.05.1980", sex="male", disability=None, migrant_or_minority=None, homeless=None,
                     jobless_household=None, legal_basis="public_task", consent_given=None, consent_date=None)
    saved = client.post(f"{base}/participants/{zenon.id}/edit", data=data)
    assert saved.status_code == 302, visible_text(saved.get_data(as_text=True))[:1500]
    with app.app_context(), tenant_scope(team.institution_id):
        stored = db.session.get(Participant, (team.institution_id, zenon.id))
        assert stored.last_name == "Wrażliwy-Nowy" and stored.disability is SensitiveAnswer.YES
        assert stored.homeless is SensitiveAnswer.REFUSED
    client.get("/logout")

    team.login(client, team.admin)
    staff_id = _user_id(app, team.staff)
    granted = client.post(f"{base}/staff/members", data={"user_id": staff_id, "action": "grant_special"})
    assert granted.status_code == 302
    client.get("/logout")
    team.login(client, team.staff)
    page = visible_text(client.get(f"{base}/participants/{zenon.id}").get_data(as_text=True))
    assert HIDDEN not in page and "Odmowa podania informacji" in page
    assert export_row(client, base, "Wrażliwy-Nowy")["Niepełnosprawność"] == "tak"
    listing = visible_text(client.get(f"{base}/participants/?disability=yes").get_data(as_text=True))
    assert "Wrażliwy" in listing and "Zwyczajny" not in listing
    assert other.id


def _user_id(app, email: str) -> int:
    with app.app_context():
        from regionet.platform.accounts.models import User

        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def test_the_data_protection_officer_sees_requests_and_the_trail_not_the_files(app, client):
    team = make_team(app)
    base = f"/i/{team.slug}"
    zenon = special_person(app, team)
    with app.app_context(), fast_password_hashing():
        officer = do_create_user(f"iod-{team.slug}@cis.example", "Irena Ochrona", PASSWORD)
        do_grant_membership(officer, team.institution_id, MembershipRole.IOD)
        now = datetime.now(UTC)
        db.session.add(SecondFactor(user_id=officer.id, secret=pyotp.random_base32(), created_at=now,
                                    confirmed_at=now))
        db.session.commit()
        email = officer.email
    team.login(client, email)
    home = client.get(f"{base}/")
    assert home.status_code == 302 and home.location.endswith("/privacy/requests/")
    for url in ("/privacy/requests/", "/audit/access", "/privacy/register", "/privacy/retention",
                "/privacy/requests/new"):
        assert client.get(base + url).status_code == 200, url
    for url in ("/participants/", f"/participants/{zenon.id}", f"/privacy/people/{zenon.id}",
                f"/privacy/people/{zenon.id}/access.json", "/projects/", "/plans/"):
        assert client.get(base + url).status_code == 403, url
    menu = client.get(f"{base}/privacy/requests/").get_data(as_text=True)
    assert "/participants/" not in menu
    registered = client.post(f"{base}/privacy/requests/new", data={
        "requester": "Zenon Wrażliwy", "participant_id": str(zenon.id), "kind": "erasure",
        "received_on": "01.12.2026", "assigned_to_id": "", "details": ""})
    assert registered.status_code == 302
    with app.app_context():
        role = db.session.execute(select(Membership.role).where(Membership.user_id == _user_id(app, email)))
        assert role.scalar_one() is MembershipRole.IOD
