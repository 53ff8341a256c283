"""Security headers on every route: no-store (nothing personal stays in a browser's cache, practice
photos included), HSTS exactly when the session cookie is HTTPS-only, CSP and its companions.

Every rule of the URL map is asked (tests/route_world.py gives it real objects) by the user who
may open it (an institution's admin, the coordinator, the operator; the public pages signed out),
once over HTTP without SESSION_COOKIE_SECURE and once over HTTPS with it.
"""
import pytest

from regionet.platform.demo.seed import institution_login

from .browser import sign_in
from .conftest import DEMO_PASSWORD
from .practices_support import clean_region_tables  # noqa: F401  (an autouse fixture)
from .route_world import build_world, urls_of
from .test_isolation import TENANT_A

AREAS = (("tenant", "admin"), ("coordinator", "coordinator"), ("operator", "operator"), ("public", None))
EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _sign_in(client, auth, who):
    if who == "admin":
        auth.login_as(TENANT_A, "admin")
    elif who == "coordinator":
        auth.login_coordinator()
    elif who == "operator":
        auth.login_operator()


def _ask_every_route(app, client, auth, world, https: bool) -> dict:
    """{(method, url): response headers} for every rule, reading routes first and deleting ones last."""
    seen = {}
    base = "https://localhost" if https else "http://localhost"
    for area, who in AREAS:
        _sign_in(client, auth, who)
        routes = sorted(urls_of(app, world, area), key=lambda item: ("delete" in item[1] or "discard" in item[1],
                                                                      item[1]))
        for rule, url in routes:
            if url == "/logout":
                continue
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.open(url, method=method, base_url=base)
            assert response.status_code < 500, (method, url, response.status_code)
            seen[(method, url)] = response.headers
        if who:
            client.post("/logout", base_url=base)
    seen[("POST", "/logout")] = client.post("/logout", base_url=base).headers
    return seen


def test_every_route_sends_the_security_headers_and_hsts_only_behind_https(app, client, auth, monkeypatch):
    world = build_world(app)
    plain = _ask_every_route(app, client, auth, world, https=False)
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_SECURE", True)
    secure = _ask_every_route(app, client, auth, world, https=True)
    assert len(plain) >= 100 and set(plain) == set(secure), "every rule of the URL map was asked, both ways"
    wrong = []
    for run, responses in (("http", plain), ("https", secure)):
        for (method, url), headers in responses.items():
            problems = [name for name, value in EXPECTED.items() if headers.get(name) != value]
            if headers.get("Cache-Control") != "no-store":
                problems.append(f"Cache-Control: {headers.get('Cache-Control')}")
            if "frame-ancestors 'none'" not in headers.get("Content-Security-Policy", ""):
                problems.append("CSP")
            hsts = headers.get("Strict-Transport-Security")
            if (run == "https") != (hsts == "max-age=31536000"):
                problems.append(f"HSTS: {hsts}")
            if problems:
                wrong.append(f"{run} {method} {url}: {', '.join(problems)}")
    assert not wrong, "\n".join(wrong)


def test_static_files_may_be_cached_and_still_carry_the_rest(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200 and "no-store" not in (response.headers.get("Cache-Control") or "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_follows_its_setting(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    monkeypatch.setitem(app.config, "HSTS_MAX_AGE", 600)
    assert client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=600"


@pytest.mark.browser
def test_a_practice_photo_is_not_shown_from_the_cache_after_sign_out(page, live_server, app):
    """Sent with max-age=3600, a photo seen while signed in was still shown, from Chromium's cache,
    by any page of the site after sign-out; with no-store the browser asks and is refused."""
    world = build_world(app)
    photo = f"/i/{TENANT_A}/practices/photos/{world.tenant_args['photo_id']}"
    shown_width = """src => new Promise(done => { const image = new Image();
        image.onload = () => done(image.naturalWidth); image.onerror = () => done(0); image.src = src; })"""
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/{TENANT_A}/")
    assert page.evaluate(shown_width, photo) > 0, "signed in, the photo is shown"
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.evaluate(shown_width, photo) == 0, "the photo was shown after sign-out"
