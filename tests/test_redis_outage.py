"""The web without Redis: sign-in, pages and report pages answer; the sign-in limit counts in memory
(and the log says so); job states are read from the database; /readyz reports Redis down."""
import logging

import pytest

from regionet.platform.demo.seed import institution_login

from .conftest import DEMO_PASSWORD
from .helpers import AuthActions, visible_text
from .private_redis import app_on, free_port, restore_limiter
from .test_isolation import TENANT_A


@pytest.fixture
def redis_down_app(app, pg_database, tmp_path):
    down_app, saved = app_on(pg_database, tmp_path, f"redis://127.0.0.1:{free_port()}/0",
                             LOGIN_RATE_LIMIT="3 per minute")   # nothing listens there
    try:
        yield down_app
    finally:
        restore_limiter(saved)


def test_without_redis_sign_in_pages_and_reports_answer_and_readyz_says_so(redis_down_app):
    client = redis_down_app.test_client()
    auth = AuthActions(client, DEMO_PASSWORD)
    assert client.get("/login").status_code == 200
    assert auth.login(institution_login(TENANT_A, "staff", 1)).status_code == 302
    assert client.get(f"/i/{TENANT_A}/participants/").status_code == 200
    assert client.get(f"/i/{TENANT_A}/reports/").status_code == 200
    requested = client.post(f"/i/{TENANT_A}/reports/summary")
    assert requested.status_code == 302
    status = client.get(requested.location + "/status")
    assert status.status_code == 200 and status.get_json()["status"] == "failed"
    assert "Spróbuj ponownie" in status.get_json()["error"]  # what to do; why is in error_detail
    page = client.get(requested.location)
    assert page.status_code == 200 and "Spróbuj ponownie" in visible_text(page.get_data(as_text=True))

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "unreachable"}


def test_without_redis_the_sign_in_limit_still_holds_in_memory_and_the_log_says_so(redis_down_app, caplog):
    client = redis_down_app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        answers = [client.post("/login", data={"email": f"nikt{n}@example.org", "password": "zle-haslo"})
                   .status_code for n in range(5)]
    assert "falling back to in-memory storage" in caplog.text
    assert answers[:3] == [401, 401, 401] and answers[3:] == [429, 429], answers


def test_without_redis_the_coordinators_report_pages_answer(redis_down_app):
    client = redis_down_app.test_client()
    auth = AuthActions(client, DEMO_PASSWORD)
    assert auth.login_coordinator().status_code == 302
    page = client.get("/r/swietokrzyskie/reports/")
    assert page.status_code == 200
