"""The second factor: TOTP with a real generator (pyotp) and a clock moved around the 30-second
window, single-use codes and recovery codes, who must use it, and resets."""
import re

import pyotp
import pytest
from sqlalchemy import select

from regionet.platform.accounts import second_factor
from regionet.platform.accounts.models import User, UserSession
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region

from .conftest import DEMO_PASSWORD
from .helpers import TOTP_CLOCK, AuthActions, totp_secret, visible_text
from .mail_server import run_mail_jobs, text_of
from .team import PASSWORD, make_team


def _password_step(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_an_administrator_without_a_second_factor_sets_it_up_before_getting_in(app, client):
    fresh = make_team(app, enrol_admin=False)
    step = _password_step(client, fresh.admin)
    assert step.status_code == 302 and step.location.endswith("/login/second-factor/setup")
    assert client.get(f"/i/{fresh.slug}/").status_code == 302, "not signed in before the second factor"
    page = client.get("/login/second-factor/setup")
    text = visible_text(page.get_data(as_text=True))
    assert page.status_code == 200 and "Administratorzy instytucji muszą używać drugiego składnika." in text
    assert "<svg" in page.get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True)).group(1)
    assert secret == totp_secret(app, fresh.admin)
    wrong = client.post("/login/second-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 422 and "Kod jest nieprawidłowy" in visible_text(wrong.get_data(as_text=True))
    done = client.post("/login/second-factor/setup", data={"code": TOTP_CLOCK.next_code(secret)})
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert client.get(f"/i/{fresh.slug}/").status_code == 200
    with app.app_context():
        row = db.session.execute(select(UserSession).join(User).where(User.email == fresh.admin)).scalar_one()
        assert row.second_factor is True


@pytest.fixture
def fixed_clock(monkeypatch):
    """The second factor's clock stands still at a chosen time (the middle of a 30-second step)."""
    state = {"now": (TOTP_CLOCK() // 30 + 10) * 30 + 15}
    monkeypatch.setattr(second_factor, "clock", lambda: state["now"])
    return state


def _code_step(app, client, email, code):
    """A whole sign-in, password then code; the status of the code step (302: in)."""
    assert _password_step(client, email).status_code == 302
    response = client.post("/login/second-factor", data={"code": code})
    if response.status_code == 302:
        client.post("/logout")
    return response.status_code


def test_codes_work_one_step_either_side_and_only_once(app, client, team, fixed_clock):
    app.config["LOGIN_FREE_FAILURES"] = 100  # the refusals below are the point, not the delay
    try:
        totp = pyotp.TOTP(team.admin_secret)
        step = int(fixed_clock["now"] // 30)

        def code(s):
            return totp.generate_otp(s)

        assert _code_step(app, client, team.admin, code(step - 2)) == 401   # a minute old
        assert _code_step(app, client, team.admin, code(step + 2)) == 401   # a minute ahead
        assert _code_step(app, client, team.admin, code(step - 1)) == 302   # the previous step: clocks drift
        assert _code_step(app, client, team.admin, code(step - 1)) == 401   # the same code again
        assert _code_step(app, client, team.admin, code(step)) == 302
        assert _code_step(app, client, team.admin, code(step - 1)) == 401   # older than the last one used
        fixed_clock["now"] += 30                                            # the next window
        assert _code_step(app, client, team.admin, code(step)) == 401       # still used up
        assert _code_step(app, client, team.admin, code(step + 1)) == 302
        assert _code_step(app, client, team.admin, "12345") == 401
    finally:
        app.config["LOGIN_FREE_FAILURES"] = 3


def test_a_recovery_code_signs_in_once(app, client):
    fresh = make_team(app, enrol_admin=False)
    AuthActions(client, PASSWORD).login(fresh.admin)  # sets the app up
    client.post("/logout")
    renew = app.test_client()
    AuthActions(renew, PASSWORD).login(fresh.admin)
    codes = re.findall(r"<code>([a-z2-9-]{14})</code>", renew.post(
        "/account/second-factor/recovery-codes", data={"code": TOTP_CLOCK.next_code(team_secret(app, fresh))})
        .get_data(as_text=True))
    assert len(codes) == 10
    assert _password_step(client, fresh.admin).status_code == 302
    first = client.post("/login/second-factor", data={"code": codes[0].upper().replace("-", " ")})
    assert first.status_code == 302
    account = visible_text(client.get("/account/").get_data(as_text=True))
    assert "Pozostało kodów: 9" in account and "Pozostałe kody odzyskiwania: 9." in account
    client.post("/logout")
    assert _password_step(client, fresh.admin).status_code == 302
    assert client.post("/login/second-factor", data={"code": codes[0]}).status_code == 401
    assert client.post("/login/second-factor", data={"code": codes[1]}).status_code == 302
    assert "Pozostałe kody odzyskiwania: 8." in visible_text(client.get("/account/").get_data(as_text=True))


def team_secret(app, team_):
    return totp_secret(app, team_.admin)


def test_staff_may_turn_it_on_and_off(app, client, team):
    assert _password_step(client, team.staff).status_code == 302  # optional: straight in
    assert client.get(f"/i/{team.slug}/").status_code == 200
    page = client.get("/account/second-factor/setup")
    assert page.status_code == 200 and "Administratorzy" not in visible_text(page.get_data(as_text=True))
    secret = totp_secret(app, team.staff)
    assert client.post("/account/second-factor/setup", data={"code": TOTP_CLOCK.next_code(secret)}).status_code == 200
    client.post("/logout")
    step = _password_step(client, team.staff)
    assert step.location.endswith("/login/second-factor")
    assert client.post("/login/second-factor", data={"code": TOTP_CLOCK.next_code(secret)}).status_code == 302
    off = client.post("/account/second-factor/remove", data={"code": TOTP_CLOCK.next_code(secret)})
    assert off.status_code == 302
    client.post("/logout")
    assert _password_step(client, team.staff).location.endswith("/")  # no code asked any more
    # An administrator cannot turn it off.
    admin = app.test_client()
    AuthActions(admin, PASSWORD).login(team.admin)
    code = TOTP_CLOCK.next_code(team.admin_secret)
    assert admin.post("/account/second-factor/remove", data={"code": code}).status_code == 403


def test_wrong_codes_count_towards_the_lockout(app, client, team, mailbox):
    from sqlalchemy import delete

    from regionet.platform.accounts.lockout import SignInThrottle

    assert _password_step(client, team.admin).status_code == 302
    statuses = [client.post("/login/second-factor", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 401]
    assert client.post("/login/second-factor", data={"code": TOTP_CLOCK.next_code(team.admin_secret)}).status_code \
        == 429, "after four failures the next attempt waits, right code or not"
    with app.app_context():
        db.session.execute(delete(SignInThrottle))
        db.session.commit()


def test_an_institution_can_require_it_of_every_member(app, client, team):
    member = app.test_client()
    assert _password_step(member, team.staff).status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 200
    AuthActions(client, PASSWORD).login(team.admin)
    assert client.post(f"/i/{team.slug}/staff/second-factor-requirement").status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 302, "a session without a second factor ends"
    step = _password_step(member, team.staff)
    assert step.location.endswith("/login/second-factor/setup")
    text = visible_text(member.get("/login/second-factor/setup").get_data(as_text=True))
    assert "wymaga drugiego składnika od wszystkich swoich pracowników" in text
    assert client.get(f"/i/{team.slug}/").status_code == 200, "the admin's session had a second factor"


def test_a_region_can_require_it_of_every_member_of_its_institutions(app, client, team):
    AuthActions(client, DEMO_PASSWORD).login_operator()
    assert client.post("/operator/regions/26/second-factor").status_code == 302
    try:
        staff = institution_login("owes-kielce", "staff", 1)
        step = _password_step(app.test_client(), staff, DEMO_PASSWORD)
        assert step.location.endswith("/login/second-factor/setup")
    finally:
        with app.app_context():
            db.session.get(Region, "26").require_second_factor = False
            db.session.commit()
    assert _password_step(app.test_client(), staff, DEMO_PASSWORD).location.endswith("/")


def test_an_administrator_resets_a_staff_member_s_second_factor(app, client, team, mailbox):
    member = app.test_client()
    _password_step(member, team.staff)
    member.get("/account/second-factor/setup")
    secret = totp_secret(app, team.staff)
    member.post("/account/second-factor/setup", data={"code": TOTP_CLOCK.next_code(secret)})
    assert member.get(f"/i/{team.slug}/").status_code == 200
    AuthActions(client, PASSWORD).login(team.admin)
    staff_id = _id(app, team.staff)
    admin_id = _id(app, team.admin)
    assert client.post(f"/i/{team.slug}/staff/members", data={"user_id": admin_id, "action": "reset_second_factor"}
                       ).status_code == 403, "an administrator's own (or another admin's) goes to the operator"
    assert client.post(f"/i/{team.slug}/staff/members", data={"user_id": staff_id, "action": "reset_second_factor"}
                       ).status_code == 302
    assert member.get(f"/i/{team.slug}/").status_code == 302, "the reset ends the person's sessions"
    assert totp_secret(app, team.staff) is None
    run_mail_jobs(app)
    [notice] = mailbox.to(team.staff)
    assert notice["Subject"].strip() == "Twój drugi składnik został zresetowany"
    assert "Alicja Administratorka" in text_of(notice) and "Centrum Integracji Społecznej nr" in text_of(notice)


def test_the_operator_resets_an_administrator_s_second_factor(app, client, team, mailbox):
    AuthActions(client, DEMO_PASSWORD).login_operator()
    assert client.post("/operator/users/second-factor-reset", data={"email": team.admin}).status_code == 302
    assert totp_secret(app, team.admin) is None
    step = _password_step(app.test_client(), team.admin)
    assert step.location.endswith("/login/second-factor/setup"), "an administrator sets it up again"


def _id(app, email):
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def test_demo_accounts_print_their_current_code_and_no_other_account_does(app, runner, team):
    login = institution_login("owes-kielce", "admin", 1)
    result = runner.invoke(args=["demo", "code", login])
    assert result.exit_code == 0 and re.fullmatch(r"\d{6}\n", result.output)
    assert result.output.strip() == pyotp.TOTP(totp_secret(app, login)).at(second_factor.clock())
    refused = runner.invoke(args=["demo", "code", team.admin])
    assert refused.exit_code == 2 and not re.search(r"\d{6}", refused.output)
