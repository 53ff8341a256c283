"""Password reset by e-mail: single-use, expiring links sent through a real worker and real SMTP."""
import subprocess
import sys

import pytest
from sqlalchemy import delete, select, update

from regionet.platform.accounts.models import User
from regionet.platform.accounts.password_reset import PasswordResetToken
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.workers.queues import MAIL

from .conftest import DEMO_PASSWORD
from .helpers import visible_text
from .mail_server import links_in, run_mail_jobs, text_of
from .test_worker import worker_env

LOGIN = institution_login("pup-skarzysko-kamienna", "staff", 1)
NEW_PASSWORD = "nowe-haslo-po-resecie-1"


@pytest.fixture(autouse=True)
def _no_earlier_links(app):
    """Links of earlier tests would hold back a new one (one message per account per 2 minutes)."""
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == LOGIN)).scalar_one()
        db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user_id))
        db.session.commit()


def _restore_password(app):
    from regionet.platform.accounts.passwords import hash_password

    with app.app_context():
        db.session.execute(update(User).where(User.email == LOGIN).values(password_hash=hash_password(DEMO_PASSWORD)))
        db.session.commit()


def test_reset_through_a_real_worker_and_smtp_link_works_once(app, client, mailbox, pg_database):
    signed_in = app.test_client()
    assert signed_in.post("/login", data={"email": LOGIN, "password": DEMO_PASSWORD}).status_code == 302
    # A forged Host header must not reach the link (reset poisoning).
    page = client.post("/password/forgot", data={"email": LOGIN.upper()}, headers={"Host": "evil.example"})
    assert page.status_code == 200 and "Sprawdź skrzynkę pocztową" in visible_text(page.get_data(as_text=True))
    env = {**worker_env(app, pg_database), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port)}
    result = subprocess.run([sys.executable, "-m", "regionet.workers", MAIL, "--burst"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    [message] = mailbox.wait_for(LOGIN)
    assert message["Subject"] == "Ustawienie nowego hasła"
    body = text_of(message)
    assert "Powiatowy Urząd Pracy w Skarżysku-Kamiennej" in body and "w ciągu 60 minut" in body
    [link] = [url for url in links_in(message) if "/password/reset/" in url]
    assert link.startswith("http://127.0.0.1:5000/password/reset/") and "evil" not in body
    path = link.removeprefix("http://127.0.0.1:5000")
    try:
        form = client.get(path)
        assert form.status_code == 200 and "Ustaw nowe hasło" in visible_text(form.get_data(as_text=True))
        mismatch = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": "inne-haslo-123"})
        assert mismatch.status_code == 422 and "Hasła się różnią." in mismatch.get_data(as_text=True)
        done = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert done.status_code == 302 and done.location.endswith("/login")
        again = client.post(path, data={"new_password": "jeszcze-inne-haslo", "confirm": "jeszcze-inne-haslo"})
        assert again.status_code == 404 and "Link nie działa" in visible_text(again.get_data(as_text=True))
        assert signed_in.get("/i/pup-skarzysko-kamienna/").status_code == 302, "the reset ends every session"
        assert client.post("/login", data={"email": LOGIN, "password": DEMO_PASSWORD}).status_code == 401
        assert client.post("/login", data={"email": LOGIN, "password": NEW_PASSWORD}).status_code == 302
        run_mail_jobs(app)
        assert [m["Subject"] for m in mailbox.to(LOGIN)][-1] == "Twoje hasło zostało zmienione"
    finally:
        _restore_password(app)


def test_an_expired_link_does_not_work(app, client, mailbox):
    client.post("/password/forgot", data={"email": LOGIN})
    run_mail_jobs(app)
    [message] = mailbox.wait_for(LOGIN)
    path = links_in(message)[0].removeprefix("http://127.0.0.1:5000")
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == LOGIN)).scalar_one()
        db.session.execute(update(PasswordResetToken).where(PasswordResetToken.user_id == user_id)
                           .values(expires_at=PasswordResetToken.created_at))
        db.session.commit()
    assert client.get(path).status_code == 404
    assert client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404
    assert client.post("/login", data={"email": LOGIN, "password": DEMO_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, mailbox):
    known = client.post("/password/forgot", data={"email": LOGIN})
    unknown = client.post("/password/forgot", data={"email": "nikt@nigdzie.example"})
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known.get_data(as_text=True)).replace(LOGIN, "X") == \
        visible_text(unknown.get_data(as_text=True)).replace("nikt@nigdzie.example", "X")
    run_mail_jobs(app)
    assert len(mailbox.to(LOGIN)) == 1 and mailbox.to("nikt@nigdzie.example") == []
    # asking again at once sends nothing more (no mail bombing)
    client.post("/password/forgot", data={"email": LOGIN})
    run_mail_jobs(app)
    assert len(mailbox.to(LOGIN)) == 1


def test_a_bad_address_is_answered_next_to_the_field(client):
    page = client.post("/password/forgot", data={"email": "nie-adres"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'id="email-error"' in text and 'value="nie-adres"' in text
