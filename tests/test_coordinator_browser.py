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


def _printed(text: str) -> str:
    """A cell as read on the page: a hidden one is "x" (with "ukryte" for screen readers)."""
    return "x" if text.startswith("x") else text.replace("\xa0", "")


def _published(app, sections) -> dict:
    """The dashboard's cells as the tables module builds them for the year ("x" where hidden)."""
    from regionet.platform.coordinator.periods import year_period
    from regionet.platform.coordinator.selection import dashboard_table
    from regionet.platform.coordinator.tables import Selection
    from regionet.platform.extensions import db
    from regionet.platform.regions.models import Region

    with app.test_request_context("/"):
        sel = Selection.load(db.session.get(Region, "26"), year_period(YEAR))
        result = {"headline": "x" if sel.headline.people is None else str(sel.headline.people)}
        for section in sections:
            table = dashboard_table(sel, section)
            result[section] = {row.label: "x" if row.cells[0].hidden else str(row.cells[0].value)
                               for row in table.rows}
    return result


def test_the_coordinator_reads_a_chart_and_the_same_numbers_in_its_table(app, page, live_server):
    _people(app)
    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/r/swietokrzyskie/")
    page.goto(f"{live_server}/r/swietokrzyskie/?period={YEAR}")
    # What the year's linked protection publishes (in a world of 12 people it hides much; which
    # cells is tests/test_disclosure_attack.py's business): the page must print exactly that.
    expected = _published(app, ("sex", "disability", "overlap"))
    headline = page.get_by_test_id("headline-people").inner_text()
    assert _printed(headline) == expected["headline"]

    section = page.locator("section", has=page.get_by_role("heading", name="Kobiety i mężczyźni"))
    chart = section.get_by_role("img")
    assert chart.is_visible()
    assert chart.locator(":scope > title").text_content() == "Osoby (bez powtórzeń) — płeć"
    table = section.get_by_role("table")
    assert table.is_visible()
    rows = {r.locator("th").inner_text(): _printed(r.locator("td").first.inner_text())
            for r in table.locator("tbody tr").all()}
    assert rows == expected["sex"]
    assert set(rows) == {"Kobiety", "Mężczyźni"}
    bar_texts = [t.text_content() for t in chart.locator("text.chart-value").all()]
    assert bar_texts == list(rows.values()), "the chart shows the table's numbers"
    assert "Tajemnica statystyczna" in section.inner_text()

    disability = page.locator("section", has=page.get_by_role("heading", name="Niepełnosprawność", exact=True))
    rows = {r.locator("th").inner_text(): _printed(r.locator("td").first.inner_text())
            for r in disability.locator("tbody tr").all()}
    assert rows == expected["disability"] and "mniejsze niż 5" in disability.inner_text()
    overlap = page.locator("section", has=page.get_by_role("heading", name="Osoby wspierane przez różne typy"))
    overlap_rows = {r.locator("th").inner_text(): _printed(r.locator("td").first.inner_text())
                    for r in overlap.locator("tbody tr").all()}
    assert overlap_rows == expected["overlap"]
    assert set(overlap_rows) == {"tylko OPS", "OPS + PUP"}
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
