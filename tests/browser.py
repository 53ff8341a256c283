"""A live server and headless Chromium (Debian's package) for the browser tests."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium not found: install Debian's chromium package (make test does it)")
    return path


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="pl-PL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base_url: str, login: str, password: str) -> None:
    """Sign in through the form; accounts with a second factor get the code their app would show."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Adres e-mail").fill(login)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_load_state()
    if "/login/second-factor" in page.url and "/setup" not in page.url:
        from regionet.workers.context import worker_app

        from .helpers import TOTP_CLOCK, totp_secret

        page.get_by_label("Kod").fill(TOTP_CLOCK.next_code(totp_secret(worker_app(), login)))
        page.get_by_role("button", name="Potwierdź").click()
        page.wait_for_load_state()


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA rules on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


def reload_settled(page) -> None:
    """Reload the page; a page that polls a job reloads itself when the job ends, and the two
    navigations may cross (the browser then aborts ours): wait for the page's own load instead."""
    from playwright.sync_api import Error

    try:
        page.reload()
    except Error:
        page.wait_for_load_state()


def choose_commune(page, typed: str, label: str) -> None:
    """Choose a commune in the participant form's type-ahead, by keyboard, as a person would."""
    box = page.get_by_role("combobox", name="Gmina (TERYT)")
    box.fill("")
    box.press_sequentially(typed)
    options = page.get_by_role("listbox").get_by_role("option")
    names = [text.split(" · ")[0] for text in options.all_inner_texts()]
    for _step in range(names.index(label) + 1):
        box.press("ArrowDown")
    box.press("Enter")
