"""Per-account delay and lockout, per-address limits behind a proxy, and the same answers for
unknown and known addresses."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from regionet.platform.accounts import lockout, passwords, signin
from regionet.platform.accounts.events import AccountEvent, EventKind
from regionet.platform.accounts.models import User
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db

from .conftest import DEMO_PASSWORD, _config
from .helpers import visible_text
from .mail_server import run_mail_jobs, text_of

KNOWN = institution_login("gops-blizyn", "staff", 1)
UNKNOWN = "nie-ma-takiego@gops-blizyn.example"


@pytest.fixture(autouse=True)
def _fresh_counts(app):
    with app.app_context():
        db.session.execute(delete(lockout.SignInThrottle))
        db.session.commit()


@pytest.fixture
def clock(monkeypatch):
    real = lockout.utcnow
    offset = {"delta": timedelta()}
    monkeypatch.setattr(lockout, "utcnow", lambda: real() + offset["delta"])

    def move(**kwargs):
        offset["delta"] += timedelta(**kwargs)

    return move


def _try(client, email, password="zle-haslo-123"):
    response = client.post("/login", data={"email": email, "password": password})
    return response.status_code, visible_text(response.get_data(as_text=True))


def test_failures_bring_a_growing_delay_then_a_lockout_and_a_notice(app, client, clock, mailbox):
    for _ in range(4):
        assert _try(client, KNOWN)[0] == 401
    status, text = _try(client, KNOWN, DEMO_PASSWORD)
    assert status == 429 and "Odczekaj 1 s" in text, "the right password is not even checked while waiting"
    clock(seconds=1)
    assert _try(client, KNOWN)[0] == 401          # 5th failure: the next attempt waits 2 s
    clock(seconds=1)
    assert "Odczekaj 1 s" in _try(client, KNOWN)[1]
    delays = []
    for _ in range(4):                             # failures 6-9: 2, 4, 8, 16 s... measured from the refusals
        clock(seconds=60)
        assert _try(client, KNOWN)[0] == 401
        delays.append(int(_try(client, KNOWN)[1].split("Odczekaj ")[1].split(" s")[0]))
    assert delays == [4, 8, 16, 32]
    clock(seconds=60)
    status, text = _try(client, KNOWN)             # 10th failure: locked for 15 minutes
    assert status == 429 and "zablokowane na 15 min" in text
    clock(minutes=10)
    status, text = _try(client, KNOWN, DEMO_PASSWORD)
    assert status == 429 and "zablokowane na 5 min" in text
    run_mail_jobs(app)
    [notice] = mailbox.to(KNOWN)
    assert notice["Subject"] == "Logowanie na Twoje konto zostało zablokowane"
    assert "Gminny Ośrodek Pomocy Społecznej w Bliżynie" in text_of(notice)
    assert "/password/forgot" in text_of(notice)
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == KNOWN)).scalar_one()
        kinds = db.session.execute(select(AccountEvent.kind).where(AccountEvent.user_id == user_id)).scalars().all()
        assert EventKind.LOCKED_OUT.value in kinds
    clock(minutes=6)
    assert _try(client, KNOWN, DEMO_PASSWORD)[0] == 302, "the lockout ends by itself"


def test_the_next_lockout_lasts_twice_as_long(app, client, clock):
    answers = []
    for _ in range(2):
        for _ in range(10):
            clock(seconds=61)
            answers.append(_try(client, KNOWN)[1])
        clock(minutes=16)  # past the first lockout
    assert "zablokowane na 15 min" in answers[9] and "zablokowane na 30 min" in answers[19]


def test_successes_are_not_counted(app, client, clock):
    for _ in range(3):
        assert _try(client, KNOWN)[0] == 401
    assert _try(client, KNOWN, DEMO_PASSWORD)[0] == 302
    client.post("/logout")
    for _ in range(3):                            # counted afresh: still no delay after three more
        assert _try(client, KNOWN)[0] == 401
    assert _try(client, KNOWN, DEMO_PASSWORD)[0] == 302


def test_unknown_and_known_addresses_get_the_same_answers_and_the_same_work(app, clock, mailbox, monkeypatch):
    verified = []

    def counting_verify(hashed, password):
        verified.append(hashed)
        return passwords.verify_password(hashed, password)  # Argon2 against the dummy hash when None

    monkeypatch.setattr(signin, "verify_password", counting_verify)
    answers = {}
    for email in (KNOWN, UNKNOWN):
        client = app.test_client()
        seen = []
        for _ in range(12):
            clock(seconds=61)
            status, text = _try(client, email)
            seen.append((status, text.replace(email, "ADDRESS")))
        answers[email] = seen
        clock(days=2)  # forgotten before the next address
    assert answers[KNOWN] == answers[UNKNOWN]
    assert len(verified) == 20, "a password (or the dummy) is verified for each unthrottled attempt"
    run_mail_jobs(app)
    assert len(mailbox.to(KNOWN)) == 1 and mailbox.to(UNKNOWN) == []


def test_per_address_limit_counts_refused_attempts_only(app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
        for _ in range(5):  # successful sign-ins do not use up the address's allowance
            assert client.post("/login", data={"email": KNOWN, "password": DEMO_PASSWORD}).status_code == 302
            client.post("/logout")
        codes = [client.post("/login", data={"email": f"x{i}@example.org", "password": "zle-haslo"}).status_code
                 for i in range(4)]
        assert codes == [401, 401, 401, 429]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"


@pytest.fixture
def proxied_app(pg_database, tmp_path):
    from regionet.platform.app import create_app

    config = _config(pg_database, tmp_path)
    config.update(TRUSTED_PROXY_COUNT=1, LOGIN_RATE_LIMIT="2 per minute")
    return create_app(config)


def test_per_address_limit_behind_a_proxy_uses_the_forwarded_client_address(proxied_app):
    def attempt(forwarded_for):
        client = proxied_app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.0.0.5"  # every request comes from the proxy
        return client.post("/login", data={"email": "x@example.org", "password": "zle-haslo"},
                           headers={"X-Forwarded-For": forwarded_for}).status_code

    client_a, client_b = "198.51.100.61", "198.51.100.62"
    assert [attempt(client_a), attempt(client_a), attempt(client_a)] == [401, 401, 429]
    assert attempt(client_b) == 401, "another client behind the same proxy has its own allowance"
    # A client cannot escape by sending its own X-Forwarded-For: the proxy appends the real address.
    assert attempt(f"203.0.113.{uuid.uuid4().int % 250}, {client_a}") == 429


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(app):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    try:
        address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
        codes = []
        for i in range(3):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            codes.append(client.post("/login", data={"email": "x@example.org", "password": "zle-haslo"},
                                     headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code)
        assert codes == [401, 401, 429]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
