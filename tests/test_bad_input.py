"""Bad input gets the Polish 400 page, never a 500: NUL bytes, broken UTF-8, control characters,
CR/LF in the address to return to after sign-in, oversized headers and fields.

The fuzz test over every route is tests/test_fuzz_routes.py; here each kind of bad input is shown
once through the test client, and once through gunicorn with raw bytes no client library sends.
"""
import io
import os
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Participant

from .conftest import DEMO_PASSWORD
from .helpers import visible_text
from .participant_helpers import BASE, form_data
from .test_isolation import TENANT_A, _institution_id
from .test_worker import worker_env

LISTS = ["participants/", "partners/", "projects/", "agreements/", "practices/", "reports/", "periods/",
         "participants/imports/", "catalogue/", "audit/access"]
TITLE = "Nie udało się przetworzyć żądania"


def polish_400(response, sentence: str) -> None:
    assert response.status_code == 400, response.status_code
    page = visible_text(response.get_data(as_text=True))
    assert TITLE in page and sentence in page, page[:600]


@pytest.mark.parametrize("query, sentence", [
    ("q=a%00b", "niedozwolone znaki"),
    ("q=%ff%fe", "kodowaniu"),
    ("q=" + "a" * 1200, "dłuższy"),
    ("sort=%0d%0aX-Injected:%201", "niedozwolone znaki"),
])
def test_bad_query_strings_get_the_polish_400_page_on_every_list(app, client, auth, query, sentence):
    auth.login_as(TENANT_A, "admin")
    for page in LISTS:
        polish_400(client.get(f"/i/{TENANT_A}/{page}?{query}"), sentence)


def test_a_broken_or_controlled_path_is_a_400(app, client, auth):
    auth.login_as(TENANT_A, "admin")
    polish_400(client.get(f"/i/{TENANT_A}/participants/%ff"), "kodowaniu")   # the client sends U+FFFD
    polish_400(client.get(f"/i/{TENANT_A}/participants/a%00b"), "niedozwolone znaki")
    polish_400(client.get("/" + "a" * 3000), "dłuższy")


def test_form_fields_with_nul_or_broken_utf8_are_refused_and_nothing_is_stored(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    polish_400(client.post(f"{BASE}/new", data=form_data(last_name="Kowal\x00ska")), "niedozwolone znaki")
    body = "&".join(f"{k}={v}" for k, v in form_data().items() if k != "last_name") + "&last_name=Kowal%C5ska"
    polish_400(client.post(f"{BASE}/new", data=body, content_type="application/x-www-form-urlencoded"),
               "kodowaniu")
    for content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        response = client.post(f"{BASE}/new", data=form_data(notes="x" * 60_000 + "ą" * 30_000),
                               content_type=content_type)
        polish_400(response, "dłuższy")
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        assert db.session.execute(select(Participant)).first() is None


def test_control_characters_pasted_into_a_text_are_kept_as_line_breaks(app, client, auth):
    """Word pastes a line break as a vertical tab: the text is kept, as a line break."""
    auth.login_as(TENANT_A, "staff")
    response = client.post(f"{BASE}/new", data=form_data(notes="Pierwsza\x0bdruga\x07 linia\tz tabulatorem"))
    assert response.status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        notes = db.session.execute(select(Participant.notes)).scalar_one()
    assert notes == "Pierwsza\ndruga linia\tz tabulatorem"


@pytest.mark.parametrize("target", ["/x\r\nSet-Cookie: a=b", "/x%0d%0a", "/\\evil.example", "/\\/evil.example",
                                    "\x00/", "https://evil.example/"])
def test_where_to_go_after_signing_in_never_breaks_the_redirect(app, client, target):
    response = client.post("/login", data={"email": institution_login(TENANT_A, "staff", 1),
                                           "password": DEMO_PASSWORD, "next": target})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.location in ("/", "/x%0d%0a"), response.location
        assert "\r" not in response.headers["Location"] and "\n" not in response.headers["Location"]


def test_an_oversized_header_gets_the_polish_page(app, client):
    polish_400(client.get("/login", headers={"X-Long": "a" * 9000}), "dłuższy")
    polish_400(client.get("/login", headers={f"X-Many-{n}": "a" * 4000 for n in range(10)}), "dłuższy")
    assert client.get("/login", headers={"X-Fine": "a" * 4000}).status_code == 200


def test_a_file_over_the_upload_limit_is_still_the_413_page(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"{BASE}/imports/upload", data={"file": (io.BytesIO(too_big), "duzy.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "Plik jest za duży" in visible_text(response.get_data(as_text=True))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _raw(port: int, request: bytes) -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(request)
        chunks = []
        while data := connection.recv(65536):
            chunks.append(data)
    response = b"".join(chunks)
    head, _sep, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.mark.slow
def test_raw_bytes_through_gunicorn_get_the_polish_page(app, pg_database):
    """Through the real server: bytes that are not UTF-8 in the path (the test client turns them into
    U+FFFD) and the query, a NUL, and a 10 KB header, which gunicorn lets through to the platform."""
    port = _free_port()
    env = {**worker_env(app, pg_database), "PSEUDONYM_SECRET": app.config["PSEUDONYM_SECRET"],
           "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app", "-b", f"127.0.0.1:{port}",
                               "--access-logfile", "/dev/null"], env=env, cwd=os.path.dirname(os.path.dirname(
                                  os.path.abspath(__file__))), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _raw(port, b"GET /healthz HTTP/1.0\r\n\r\n")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        # Bytes outside ASCII in the request line are refused by gunicorn itself (its own 400 page);
        # browsers percent-encode them, and so encoded they reach the platform as bytes.
        assert _raw(port, b"GET /login/\xff\xfe HTTP/1.0\r\n\r\n")[0] == 400
        for request, sentence in (
                (b"GET /login/%FF%FE HTTP/1.0\r\n\r\n", "kodowaniu"),
                (b"GET /i/" + TENANT_A.encode() + b"/participants/%C5 HTTP/1.0\r\n\r\n", "kodowaniu"),
                (b"GET /login?next=%C5 HTTP/1.0\r\n\r\n", "kodowaniu"),
                (b"GET /login/%00 HTTP/1.0\r\n\r\n", "niedozwolone znaki"),
                (b"GET /login?next=%00 HTTP/1.0\r\n\r\n", "niedozwolone znaki"),
                (b"GET /login HTTP/1.0\r\nX-Long: " + b"a" * 10_000 + b"\r\n\r\n", "dłuższy")):
            status, body = _raw(port, request)
            assert status == 400 and TITLE in visible_text(body) and sentence in visible_text(body), request[:40]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_number_too_large_for_its_column_is_an_error_next_to_the_field(app, client, auth):
    """The fuzz test found it: a target of 10^20 overflowed NUMERIC(12, 2) with a 500."""
    from .test_projects import BASE as PROJECTS
    from .test_projects import GOOD, _count

    auth.login_as(TENANT_A)
    response = client.post(f"{PROJECTS}/new", data={**GOOD, "target_participants_total": "1" + "0" * 20})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="target_participants_total-error"' in html
    assert "Liczba jest za duża: najwyżej 10 cyfr przed przecinkiem." in visible_text(html)
    assert "1" + "0" * 20 in html, "what was typed is kept"
    assert _count(app) == 0


def test_an_export_drops_characters_a_spreadsheet_cannot_hold(app, client, auth):
    """Records written before the guard (or by an import) may hold control characters."""
    from openpyxl import load_workbook

    from .participant_helpers import add_participant

    add_participant(app, last_name="Nowak\x0bKowalska", notes="linia\x01druga")
    auth.login_as(TENANT_A, "staff")
    response = client.get(f"{BASE}/export.xlsx")
    assert response.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True) for c in row]
    assert "NowakKowalska" in cells
