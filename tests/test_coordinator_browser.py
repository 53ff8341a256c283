"""In a real browser: the coordinator reads a chart and its table; an institution submits its figures."""
import re
from datetime import date

import pytest

from regionet.platform.demo.seed import demo_login, institution_login
from regionet.platform.ui.formatting import today_in_poland

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .coordinator_data import Person, add_people, clean_region_tables, refresh_figures  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
YEAR = today_in_poland().year


def _people(app):
    with app.app_context():
        add_people("mops-skarzysko-kamienna", [
            Person(f"Osoba{i}", "Testowa", pesel=f"{80 + i:02d}0909{i:02d}999", sex="female" if i < 7 else "male",
                   disability="yes" if i < 6 else "no", entry=date(YEAR, 1 + i % 4, 2))
            for i in range(12)])
        add_people("pup-skarzysko-kamienna", [
            Person(f"Osoba{i}", "Testowa", pesel=f"{80 + i:02d}0909{i:02d}999", entry=date(YEAR, 5, 2),
                   episodes=[("vocational_course", date(YEAR, 5, 3))]) for i in range(4)])
        refresh_figures()


def test_the_coordinator_reads_a_chart_and_the_same_numbers_in_its_table(app, page, live_server):
    _people(app)
    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/r/swietokrzyskie/")
    page.goto(f"{live_server}/r/swietokrzyskie/?period={YEAR}")
    assert page.get_by_test_id("headline-people").inner_text() == "12"

    section = page.locator("section", has=page.get_by_role("heading", name="Kobiety i mężczyźni"))
    chart = section.get_by_role("img")
    assert chart.is_visible()
    assert chart.locator(":scope > title").text_content() == "Osoby (bez powtórzeń) — płeć"
    table = section.get_by_role("table")
    assert table.is_visible()
    rows = {r.locator("th").inner_text(): r.locator("td").first.inner_text()
            for r in table.locator("tbody tr").all()}
    assert rows == {"Kobiety": "7", "Mężczyźni": "5"}
    bar_texts = [t.text_content() for t in chart.locator("text.chart-value").all()]
    assert bar_texts == ["7", "5"], "the chart shows the table's numbers"
    assert "Tajemnica statystyczna" in section.inner_text()

    disability = page.locator("section", has=page.get_by_role("heading", name="Niepełnosprawność", exact=True))
    cells = [c.inner_text() for c in disability.locator("tbody td").all()]
    assert cells[0] == "6" and "mniejsze niż 5" in disability.inner_text()
    overlap = page.locator("section", has=page.get_by_role("heading", name="Osoby wspierane przez różne typy"))
    overlap_rows = {r.locator("th").inner_text(): r.locator("td").first.inner_text()
                    for r in overlap.locator("tbody tr").all()}
    assert overlap_rows == {"tylko OPS": "8", "OPS + PUP": "4"}
    assert accessibility_violations(page) == []

    section.get_by_role("link", name=re.compile("Więcej szczegółów")).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Zestawienia"
    assert page.locator("svg[role=img]").count() == 1
    assert accessibility_violations(page) == []


def test_an_institution_submits_and_the_coordinator_returns_with_a_comment(app, page, live_server):
    _people(app)
    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.goto(f"{live_server}/r/swietokrzyskie/periods")
    page.get_by_label("Nazwa").fill("I półrocze")
    page.get_by_label("Pierwszy dzień").fill(f"{YEAR}-01-01")
    page.get_by_label("Ostatni dzień").fill(f"{YEAR}-06-30")
    page.get_by_role("button", name="Otwórz okres").click()
    assert page.get_by_role("heading", level=1).inner_text() == "I półrocze"
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Wyloguj").click()

    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/periods/")
    page.get_by_role("link", name="I półrocze").click()
    assert page.get_by_test_id("current-figures-participations").inner_text() == "12"
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Prześlij te dane koordynatorowi").click()
    assert "Przesłane" in page.get_by_test_id("status").inner_text()
    page.get_by_role("button", name="Wyloguj").click()

    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.goto(f"{live_server}/r/swietokrzyskie/periods")
    page.get_by_role("link", name="I półrocze").click()
    page.get_by_role("link", name="Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej").click()
    page.get_by_role("button", name="Zwróć instytucji").click()
    assert page.get_by_text("Napisz, co instytucja powinna poprawić.").is_visible()
    page.get_by_label("Co instytucja powinna poprawić?").fill("Proszę dopisać uczestników z czerwca.")
    page.get_by_role("button", name="Zwróć instytucji").click()
    assert "Zwrócone do poprawy" in page.locator(".page-head").inner_text()
    assert accessibility_violations(page) == []
