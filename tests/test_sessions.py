"""Server-side sessions: sign-out, sign out everywhere, the list of sessions, idle and absolute expiry.

Every test replays cookies captured before the session ended, from another client, as an
attacker who copied them would.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from regionet.platform.accounts import user_sessions
from regionet.platform.accounts.models import User, UserSession
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db

from .conftest import DEMO_PASSWORD
from .helpers import visible_text

SLUG = "owes-kielce"
PAGE = f"/i/{SLUG}/participants/"
LOGIN = institution_login(SLUG, "staff", 1)


def _sign_in(app, remember=False, agent="Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
             address="198.51.100.7"):
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    data = {"email": LOGIN, "password": DEMO_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert client.get(PAGE).status_code == 200
    return client


def _cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")
            if client.get_cookie(name) is not None}


def _replay(app, **cookies) -> int:
    """The status another client gets for the participant list with these cookies only."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get(PAGE).status_code


def test_sign_out_ends_the_session_and_every_copied_cookie(app):
    client = _sign_in(app, remember=True)
    captured = _cookies(client)
    assert set(captured) == {"session", "remember_token"}
    assert _replay(app, session=captured["session"]) == 200          # a copy works while signed in
    assert _replay(app, remember_token=captured["remember_token"]) == 200

    response = client.post("/logout")
    assert response.status_code == 302
    deleted = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0], response.headers.getlist("Set-Cookie")
    assert client.get(PAGE).status_code == 302
    assert _replay(app, session=captured["session"]) == 302
    assert _replay(app, remember_token=captured["remember_token"]) == 302
    assert _replay(app, **captured) == 302


def test_sign_out_everywhere_ends_every_session_of_the_account(app):
    first, second = _sign_in(app, remember=True), _sign_in(app, remember=True, address="203.0.113.20")
    captured = _cookies(second)
    page = first.get("/account/")
    assert "Wyloguj ze wszystkich urządzeń" in visible_text(page.get_data(as_text=True))
    response = first.post("/account/sessions/end-all")
    assert response.status_code == 302 and response.location.endswith("/login")
    assert first.get(PAGE).status_code == 302
    assert second.get(PAGE).status_code == 302
    assert _replay(app, remember_token=captured["remember_token"]) == 302
    assert _replay(app, session=captured["session"]) == 302


def test_the_account_lists_its_sessions_and_ends_one_of_them(app):
    mine = _sign_in(app, address="198.51.100.7")
    phone = _sign_in(app, remember=True, address="203.0.113.44",
                     agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                           "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
    captured = _cookies(phone)
    text = visible_text(mine.get("/account/").get_data(as_text=True))
    assert "Firefox 133 · Linux" in text and "198.51.100.7" in text and "ta przeglądarka" in text
    assert "Mobile Safari 17 · iOS · iPhone" in text and "203.0.113.44" in text
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == LOGIN)).scalar_one()
        rows = db.session.execute(select(UserSession).where(
            UserSession.user_id == user_id, UserSession.ended_at.is_(None))).scalars().all()
        phone_session = next(r.id for r in rows if r.ip_address == "203.0.113.44")
        # Another account's session cannot be ended from here.
        stranger = db.session.execute(select(User.id).where(
            User.email == institution_login("gops-blizyn", "staff", 1))).scalar_one()
        foreign = UserSession(user_id=stranger, secret_hash="0" * 64, created_at=user_sessions.utcnow(),
                              last_seen_at=user_sessions.utcnow(),
                              expires_at=user_sessions.utcnow() + timedelta(hours=1))
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    assert mine.post(f"/account/sessions/{foreign_id}/end").status_code == 404
    with app.app_context():
        assert db.session.get(UserSession, foreign_id).ended_at is None

    assert mine.post(f"/account/sessions/{phone_session}/end").status_code == 302
    assert phone.get(PAGE).status_code == 302
    assert _replay(app, **captured) == 302
    assert mine.get(PAGE).status_code == 200, "ending another session keeps this one"
    sessions_table = mine.get("/account/").get_data(as_text=True).split('data-testid="sessions"')[1].split("</table>")[0]
    assert "198.51.100.7" in sessions_table and "203.0.113.44" not in sessions_table


@pytest.fixture
def clock(monkeypatch):
    """Moves the sessions' clock (user_sessions.utcnow) forward."""
    real = user_sessions.utcnow
    offset = {"delta": timedelta()}
    monkeypatch.setattr(user_sessions, "utcnow", lambda: real() + offset["delta"])

    def move(**kwargs):
        offset["delta"] += timedelta(**kwargs)

    return move


def test_an_idle_session_ends_after_the_configured_timeout(app, clock):
    app.config["SESSION_IDLE_TIMEOUT_SECONDS"] = 600
    try:
        client = _sign_in(app)
        captured = _cookies(client)
        clock(seconds=590)
        assert client.get(PAGE).status_code == 200, "used within the timeout: still signed in"
        clock(seconds=590)  # 590 s after the last use: still valid, and that use counts
        assert client.get(PAGE).status_code == 200
        clock(seconds=601)
        assert client.get(PAGE).status_code == 302
        assert _replay(app, **captured) == 302
    finally:
        app.config["SESSION_IDLE_TIMEOUT_SECONDS"] = 3600


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, clock):
    app.config["SESSION_LIFETIME_SECONDS"] = 1800
    try:
        client = _sign_in(app)
        for _ in range(5):
            clock(seconds=350)
            assert client.get(PAGE).status_code == 200
        clock(seconds=60)  # 1,810 s after sign-in
        assert client.get(PAGE).status_code == 302
    finally:
        app.config["SESSION_LIFETIME_SECONDS"] = 8 * 3600


def test_a_kept_session_has_its_own_lifetime_and_idle_timeout(app, clock):
    client = _sign_in(app, remember=True)
    captured = _cookies(client)
    clock(hours=9)  # past an ordinary session's lifetime and idle timeout
    assert _replay(app, remember_token=captured["remember_token"]) == 200
    clock(days=8)   # idle for longer than REMEMBER_IDLE_TIMEOUT_SECONDS (7 days)
    assert _replay(app, remember_token=captured["remember_token"]) == 302


def test_last_seen_is_written_at_most_once_per_interval(app, clock):
    client = _sign_in(app)
    with app.app_context():
        row = db.session.execute(select(UserSession).join(User).where(User.email == LOGIN)
                                 .order_by(UserSession.id.desc()).limit(1)).scalar_one()
        session_id, first_seen = row.id, row.last_seen_at

    def last_seen():
        with app.app_context():
            return db.session.get(UserSession, session_id).last_seen_at

    clock(seconds=30)
    client.get(PAGE)
    assert last_seen() == first_seen
    clock(seconds=31)
    client.get(PAGE)
    assert last_seen() > first_seen
