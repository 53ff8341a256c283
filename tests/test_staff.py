"""An institution's administrators manage its staff: invitations by e-mail, roles, suspension,
removal; every change in the trail; the last administrator stays."""
from datetime import timedelta

from sqlalchemy import select, update

from regionet.platform.accounts.events import AccountEvent, EventKind
from regionet.platform.accounts.models import Membership, User
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.staff.models import StaffInvitation

from .helpers import visible_text
from .mail_server import links_in, run_mail_jobs, text_of
from .team import PASSWORD


def _user_id(app, email):
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def _events(app, institution_id):
    with app.app_context():
        return [(e.kind, e.user_id, e.actor_id, e.detail) for e in db.session.execute(
            select(AccountEvent).where(AccountEvent.institution_id == institution_id).order_by(AccountEvent.id))
            .scalars()]


def _action(client, team, email, action, role=None):
    data = {"user_id": _user_id(client.application, email), "action": action}
    if role:
        data["role"] = role
    return client.post(f"/i/{team.slug}/staff/members", data=data)


def test_invitation_by_mail_accept_and_sign_in(app, client, mailbox, team):
    team.login(client, team.admin)
    page = client.get(f"/i/{team.slug}/staff/")
    assert page.status_code == 200 and "Piotr Pracownik" in visible_text(page.get_data(as_text=True))
    sent = client.post(f"/i/{team.slug}/staff/invite", data={"email": "Nowa.Osoba@Example.org",
                                                              "full_name": "Nowa Osoba", "role": "staff"})
    assert sent.status_code == 302
    again = client.post(f"/i/{team.slug}/staff/invite", data={"email": "nowa.osoba@example.org",
                                                               "full_name": "Nowa Osoba", "role": "staff"})
    assert again.status_code == 422 and "czeka na przyjęcie" in visible_text(again.get_data(as_text=True))
    run_mail_jobs(app)
    [message] = mailbox.to("nowa.osoba@example.org")
    assert message["Subject"].strip().startswith("Zaproszenie do: CIS ")
    assert "Centrum Integracji Społecznej nr" in text_of(message) and "Pracownik" in text_of(message)
    assert message["Reply-To"] == team.admin
    link = next(url for url in links_in(message) if "/invitations/" in url).removeprefix("http://127.0.0.1:5000")

    visitor = app.test_client()
    form = visitor.get(link)
    assert form.status_code == 200 and 'value="Nowa Osoba"' in form.get_data(as_text=True)
    short = visitor.post(link, data={"full_name": "Nowa Osoba", "password": "krotkie", "confirm": "krotkie"})
    assert short.status_code == 422 and "co najmniej 10 znaków" in visible_text(short.get_data(as_text=True))
    done = visitor.post(link, data={"full_name": "Nowa Osoba", "password": "nowe-haslo-123", "confirm": "nowe-haslo-123"})
    assert done.status_code == 302 and "/login" in done.location
    assert visitor.get(link).status_code == 404, "an invitation works once"
    signed_in = visitor.post("/login", data={"email": "nowa.osoba@example.org", "password": "nowe-haslo-123"})
    assert signed_in.status_code == 302
    assert visitor.get(f"/i/{team.slug}/").status_code == 200
    assert visitor.get(f"/i/{team.slug}/staff/").status_code == 403, "a staff member does not manage staff"
    kinds = [kind for kind, *_rest in _events(app, team.institution_id)]
    assert kinds == [EventKind.INVITATION_SENT.value, EventKind.INVITATION_ACCEPTED.value]
    history = visible_text(client.get(f"/i/{team.slug}/staff/").get_data(as_text=True))
    assert "Wysłano zaproszenie" in history and "Przyjęto zaproszenie" in history


def test_an_existing_account_accepts_after_signing_in(app, client, mailbox, team):
    other = institution_login("gops-blizyn", "staff", 1)
    team.login(client, team.admin)
    client.post(f"/i/{team.slug}/staff/invite", data={"email": other, "full_name": "Paweł", "role": "readonly"})
    run_mail_jobs(app)
    link = links_in(mailbox.to(other)[0])[0].removeprefix("http://127.0.0.1:5000")
    assert "Masz już konto" in text_of(mailbox.to(other)[0])
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200 and "Zaloguj się nim" in visible_text(page.get_data(as_text=True))
    from .conftest import DEMO_PASSWORD

    visitor.post("/login", data={"email": other, "password": DEMO_PASSWORD})
    assert visitor.get(f"/i/{team.slug}/").status_code == 404
    assert visitor.post(link).status_code == 302
    assert visitor.get(f"/i/{team.slug}/").status_code == 200
    assert visitor.post(f"/i/{team.slug}/reports/summary").status_code == 403, "read-only, as invited"
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(
            Membership.user_id == _user_id(app, other), Membership.institution_id == team.institution_id))
        db.session.commit()


def test_expired_and_cancelled_invitations_do_not_work(app, client, mailbox, team):
    team.login(client, team.admin)
    for email in ("wygasle@example.org", "anulowane@example.org"):
        client.post(f"/i/{team.slug}/staff/invite", data={"email": email, "full_name": "X Y", "role": "staff"})
    run_mail_jobs(app)
    with app.app_context(), tenant_scope(team.institution_id):
        rows = {i.email: i for i in db.session.execute(select(StaffInvitation)).scalars()}
        db.session.execute(update(StaffInvitation).where(StaffInvitation.email == "wygasle@example.org")
                           .values(expires_at=rows["wygasle@example.org"].created_at - timedelta(seconds=1)))
        db.session.commit()
        cancel_id = rows["anulowane@example.org"].id
    assert client.post(f"/i/{team.slug}/staff/invitations/{cancel_id}/cancel").status_code == 302
    for email in ("wygasle@example.org", "anulowane@example.org"):
        link = links_in(mailbox.to(email)[0])[0].removeprefix("http://127.0.0.1:5000")
        response = app.test_client().get(link)
        assert response.status_code == 404 and "Link nie działa" in visible_text(response.get_data(as_text=True))


def test_role_suspension_and_removal_are_recorded_and_take_effect_at_once(app, client, team):
    team.login(client, team.admin)
    member = app.test_client()
    member.post("/login", data={"email": team.staff, "password": PASSWORD})
    assert member.get(f"/i/{team.slug}/").status_code == 200
    assert _action(client, team, team.staff, "role", "readonly").status_code == 302
    assert member.post(f"/i/{team.slug}/reports/summary").status_code == 403
    assert _action(client, team, team.staff, "suspend").status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 404
    assert "zawieszony" in visible_text(client.get(f"/i/{team.slug}/staff/").get_data(as_text=True))
    assert _action(client, team, team.staff, "reactivate").status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 200
    assert _action(client, team, team.staff, "remove").status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 404
    staff_id, admin_id = _user_id(app, team.staff), _user_id(app, team.admin)
    assert _events(app, team.institution_id) == [
        (EventKind.ROLE_CHANGED.value, staff_id, admin_id, {"role": ["staff", "readonly"]}),
        (EventKind.MEMBER_SUSPENDED.value, staff_id, admin_id, None),
        (EventKind.MEMBER_REACTIVATED.value, staff_id, admin_id, None),
        (EventKind.MEMBER_REMOVED.value, staff_id, admin_id, {"role": "readonly"}),
    ]


def test_the_last_admin_can_neither_leave_nor_be_demoted(app, client, team):
    team.login(client, team.admin)
    for action, role in (("role", "staff"), ("suspend", None), ("remove", None)):
        refused = _action(client, team, team.admin, action, role)
        assert refused.status_code == 422
        assert "musi mieć co najmniej jednego administratora" in visible_text(refused.get_data(as_text=True))
    assert client.get(f"/i/{team.slug}/staff/").status_code == 200
    assert _action(client, team, team.staff, "role", "admin").status_code == 302
    assert _action(client, team, team.admin, "role", "staff").status_code == 302, "another admin exists now"
    assert client.get(f"/i/{team.slug}/staff/").status_code == 403


def test_people_of_another_institution_cannot_be_changed_from_here(app, client, team):
    team.login(client, team.admin)
    stranger = institution_login("owes-kielce", "staff", 1)
    assert _action(client, team, stranger, "remove").status_code == 404
    assert _action(client, team, stranger, "role", "admin").status_code == 404
    with app.app_context():
        assert db.session.execute(select(Membership).where(
            Membership.user_id == _user_id(app, stranger))).scalar_one().role.value == "staff"
    member = app.test_client()
    member.post("/login", data={"email": team.staff, "password": PASSWORD})
    assert member.get(f"/i/{team.slug}/staff/").status_code == 403
    assert _action(member, team, team.admin, "remove").status_code == 403


def test_the_accounts_trail_is_append_only_for_the_runtime_role(app, pg_database, client, team):
    import pytest
    from sqlalchemy import create_engine, text

    team.login(client, team.admin)
    _action(client, team, team.staff, "suspend")
    engine = create_engine(pg_database["app"])
    try:
        for statement in ("UPDATE account_events SET kind = 'x'", "DELETE FROM account_events",
                          "TRUNCATE account_events"):
            with pytest.raises(Exception, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM account_events WHERE institution_id = :i"),
                                {"i": team.institution_id}).scalar_one() == 1
    finally:
        engine.dispose()
