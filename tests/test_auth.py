"""Sign-in, sessions, CSRF, roles and moving between institutions."""
import pytest
from sqlalchemy import select

from regionet.platform.accounts.models import User
from regionet.platform.accounts.passwords import hash_password, verify_password
from regionet.platform.demo.seed import demo_login, institution_login
from regionet.platform.extensions import db

from .helpers import visible_text

WRONG = "Nieprawidłowy adres e-mail lub hasło."


def test_passwords_are_argon2id_hashes():
    hashed = hash_password("tajne-hasło-123")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "tajne-hasło-123")
    assert not verify_password(hashed, "tajne-haslo-123")
    assert not verify_password(None, "anything")


def test_wrong_password_and_unknown_login_get_the_same_polish_message(client, auth):
    wrong_password = auth.login(institution_login("owes-kielce", "admin", 1), "not-the-password")
    unknown_login = auth.login("nobody@nowhere.example", "not-the-password")
    assert wrong_password.status_code == unknown_login.status_code == 401
    assert WRONG in visible_text(wrong_password.get_data(as_text=True))
    assert WRONG in visible_text(unknown_login.get_data(as_text=True))
    # the typed login is kept, the password is not
    assert 'value="nobody@nowhere.example"' in unknown_login.get_data(as_text=True)
    assert "not-the-password" not in unknown_login.get_data(as_text=True)
    assert client.get("/i/owes-kielce/").status_code == 302


def test_empty_fields_get_messages_next_to_them(client):
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert 'id="email-error"' in page and "Wpisz adres e-mail." in page
    assert 'id="password-error"' in page and 'aria-invalid="true"' in page


def test_session_cookie_is_httponly_and_samesite(app, auth):
    response = auth.login_as("owes-kielce")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only when SESSION_COOKIE_SECURE is configured


def test_secure_cookie_when_configured(monkeypatch, tmp_path):
    from regionet.platform.config import load_config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True


def test_logout_ends_the_session(client, auth):
    auth.login_as("owes-kielce")
    assert client.get("/i/owes-kielce/").status_code == 200
    assert client.get("/logout").status_code == 405  # sign-out is a POST with a CSRF token
    auth.logout()
    assert client.get("/i/owes-kielce/").status_code == 302


def test_forms_require_a_csrf_token(app, pg_database):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"email": institution_login("owes-kielce", "admin", 1),
                                               "password": "demo-haslo-2026"})
        assert response.status_code == 400
        assert "Formularz wygasł" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        ok = client.post("/login", data={"email": institution_login("owes-kielce", "admin", 1),
                                         "password": "demo-haslo-2026", "csrf_token": token})
        assert ok.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_read_only_member_cannot_write(client, auth):
    auth.login(institution_login("mops-skarzysko-kamienna", "readonly", 1))
    assert client.get("/i/mops-skarzysko-kamienna/reports/").status_code == 200
    assert client.post("/i/mops-skarzysko-kamienna/reports/summary").status_code == 403


def test_a_person_with_two_memberships_switches_between_them(client, auth):
    auth.login(demo_login("wspolna.pracownica"))
    chooser = client.get("/")
    assert chooser.status_code == 200
    text = visible_text(chooser.get_data(as_text=True))
    assert "Wybierz miejsce pracy" in text
    assert "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej" in text and "Bliżynie" in text
    mops = visible_text(client.get("/i/mops-skarzysko-kamienna/").get_data(as_text=True))
    gops = visible_text(client.get("/i/gops-blizyn/").get_data(as_text=True))
    assert "Skarżysku-Kamiennej" in mops and "Bliżynie" in gops
    assert client.get("/i/owes-kielce/").status_code == 404


def test_changing_the_password_ends_other_sessions(app, client, auth):
    auth.login_as("mopr-kielce")
    assert client.get("/i/mopr-kielce/").status_code == 200
    from regionet.platform.accounts.services import do_set_password

    with app.app_context():
        user = db.session.execute(select(User).where(
            User.email == institution_login("mopr-kielce", "admin", 1))).scalar_one()
        old_hash = user.password_hash
        do_set_password(user, "nowe-haslo-2026!")
        db.session.commit()
    try:
        assert client.get("/i/mopr-kielce/").status_code == 302
    finally:
        with app.app_context():
            user = db.session.execute(select(User).where(
                User.email == institution_login("mopr-kielce", "admin", 1))).scalar_one()
            user.password_hash = old_hash
            db.session.commit()


def test_coordinator_and_operator_pages_are_theirs_only(client, auth):
    auth.login_as("owes-kielce")
    assert client.get("/r/swietokrzyskie/").status_code == 404
    assert client.get("/operator/").status_code == 404
    auth.logout()
    auth.login_coordinator()
    page = visible_text(client.get("/r/swietokrzyskie/").get_data(as_text=True))
    assert "Region: Świętokrzyskie" in page and "PUP Skarżysko-Kamienna" not in page
    assert "Powiatowy Urząd Pracy w Skarżysku-Kamiennej" in page
    assert client.get("/i/owes-kielce/").status_code == 404
    auth.logout()
    auth.login_operator()
    page = visible_text(client.get("/operator/").get_data(as_text=True))
    assert "Regiony" in page and "Ośrodek Wsparcia Ekonomii Społecznej w Kielcach" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, target):
    response = client.post("/login?next=x", data={"email": institution_login("owes-kielce", "staff", 1),
                                                  "password": "demo-haslo-2026", "next": target})
    assert response.status_code == 302 and response.location == "/"


def test_login_is_rate_limited(app):
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    try:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
        # a different address each time: the per-account delay (tests/test_lockout.py) stays out of it
        codes = [client.post("/login", data={"email": f"x{i}@y.example", "password": "bad-password"}).status_code
                 for i in range(7)]
        assert codes[:5] == [401] * 5 and codes[-1] == 429
        assert "Zbyt wiele" in client.post("/login", data={"email": "x@y.example"}).get_data(as_text=True)
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "203.0.113.10"
        assert other.post("/login", data={"email": "x@y.example", "password": "bad"}).status_code == 401
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
