"""In a real browser: the coordinator builds the regional report and watches it; the practices pages.

A real worker process builds the report; the test-only gated job holds it mid-build so
the progress bar can be seen moving, then lets it finish.
"""
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from regionet.platform.demo.records import CohortSpec
from regionet.platform.demo.seed import demo_login, institution_login
from regionet.workers.queues import REPORTS, redis_connection

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .jobs_for_tests import gate_key
from .practices_support import clean_region_tables, configured, create_practice, make_project, publish  # noqa: F401
from .test_worker import worker_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def worker(app, pg_database):
    process = subprocess.Popen([sys.executable, "-m", "regionet.workers", REPORTS], env=worker_env(app, pg_database),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    with app.app_context():
        redis_connection().delete(gate_key("any"))   # never leave the job (and the warm shutdown) waiting
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def test_the_coordinator_starts_the_report_watches_its_progress_and_downloads_it(app, page, live_server, worker,
                                                                                  tmp_path):
    project_id = make_project(app, "mopr-kielce", CohortSpec(participants=15, women=6))
    publish(app, "mopr-kielce", project_id=project_id, title="Klub Integracji Społecznej")
    publish(app, "owes-kielce", title="Spółdzielnia socjalna uczestników WTZ")
    with app.app_context():
        redis_connection().set(gate_key("any"), "1", ex=300)
    with configured(app, REGIONAL_REPORT_JOB="tests.jobs_for_tests.gated_regional_report"):
        sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
        page.goto(f"{live_server}/r/swietokrzyskie/reports/")
        assert page.get_by_role("heading", level=1).inner_text() == "Raporty regionalne · Świętokrzyskie"
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Utwórz raport regionalny (PDF)").click()
        page.wait_for_url(re.compile(r".*/r/swietokrzyskie/reports/[0-9a-f-]+$"))
    bar = page.locator("#report-progress")
    # the job reports its progress; the page polls it: held mid-build, the bar shows it
    page.wait_for_function("document.getElementById('report-progress').value > 20", timeout=60_000)
    assert 20 < float(bar.get_attribute("value") or bar.evaluate("b => b.value")) < 100
    assert "W trakcie generowania" in page.locator("#report-progress-label").inner_text()
    assert accessibility_violations(page) == []
    with app.app_context():
        redis_connection().delete(gate_key("any"))
    download_link = page.get_by_role("link", name="Pobierz PDF")
    download_link.wait_for(timeout=60_000)
    assert page.locator("#report-progress").evaluate("b => b.value") == 100
    assert "Gotowy" in page.locator("#report-status").inner_text()
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("katalog-dobrych-praktyk-26-")
    reader = PdfReader(str(saved))
    assert reader.metadata.title == "Katalog dobrych praktyk · Świętokrzyskie"
    assert "Klub Integracji Społecznej" in " ".join(p.extract_text() for p in reader.pages)
    assert accessibility_violations(page) == []


def test_the_practice_pages_are_accessible(app, page, live_server):
    project_id = make_project(app, "mops-skarzysko-kamienna", CohortSpec(participants=8, women=2))
    publish(app, "owes-kielce", title="Spółdzielnia socjalna uczestników WTZ")
    create_practice(app, "mops-skarzysko-kamienna", project_id, submit=True, title="Nowe Szanse w MOPS")
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/mops-skarzysko-kamienna/")
    page.get_by_role("link", name="Dobre praktyki").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Nowe Szanse w MOPS").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nowe Szanse w MOPS"
    assert accessibility_violations(page) == []
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/practices/new")
    page.get_by_label("Tytuł praktyki").fill("Praktyka z formularza")
    page.get_by_label("Wartość ogółem (zł)").fill("100 000,00")
    page.get_by_label("w tym środki UE (zł)").fill("90 000,00")
    page.get_by_label("Wkład własny (zł)").fill("5 000,00")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    error = page.locator("#funding_own-error")
    assert "muszą sumować się do kwoty ogółem" in error.inner_text()
    assert page.get_by_label("Wkład własny (zł)").get_attribute("aria-describedby") == "funding_own-error"
    assert page.get_by_label("Tytuł praktyki").input_value() == "Praktyka z formularza"
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Katalog regionalny").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Spółdzielnia socjalna uczestników WTZ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Spółdzielnia socjalna uczestników WTZ"
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Wyloguj").click()
    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.goto(f"{live_server}/r/swietokrzyskie/practices/")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Nowe Szanse w MOPS").click()
    assert "Uczestnicy: kobiety" in page.locator("[data-testid=results-table]").inner_text()
    assert accessibility_violations(page) == []
