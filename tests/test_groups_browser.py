"""In a real browser, signing in as both institutions: the MOPS creates a working group and invites
the PUP, plans a meeting with an agenda and a task for the PUP; the PUP joins, adds its member,
records the attendance, drafts the minutes and closes its task; the MOPS's chair approves the minutes."""
from datetime import timedelta

import pytest

from regionet.platform.demo.seed import institution_login
from regionet.platform.ui.formatting import today_in_poland

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .test_groups import MOPS, PUP
from .test_regional_groups import no_office_after  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


def test_two_institutions_hold_a_meeting_and_approve_its_minutes(app, page, browser, live_server):
    sign_in(page, live_server, institution_login(MOPS, "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/{MOPS}/groups/")
    page.get_by_role("link", name="Utwórz grupę").click()
    page.get_by_label("Nazwa", exact=True).fill("Grupa Robocza „Fachowa siła”")
    page.get_by_label("Cel", exact=True).fill("Model współpracy MOPS, CIS i PUP w pracy z rodzinami.")
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Grupa Robocza „Fachowa siła”"
    page.get_by_label("Instytucja", exact=True).select_option(label="PUP Skarżysko-Kamienna")
    page.get_by_role("button", name="Zaproś instytucję").click()
    assert "PUP Skarżysko-Kamienna · Zaproszona" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Zaplanuj spotkanie").click()
    page.get_by_label("Tytuł", exact=True).fill("Katalog usług PUP")
    page.get_by_label("Data", exact=True).fill((today_in_poland() + timedelta(days=7)).isoformat())
    page.get_by_label("Godzina rozpoczęcia").fill("13:00")
    page.get_by_label("Miejsce", exact=True).fill("Sala konferencyjna MOPS")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_label("Punkt porządku obrad").fill("Prezentacja katalogu usług PUP")
    page.get_by_label("Prowadzący", exact=True).fill("PUP Skarżysko-Kamienna")
    page.get_by_role("button", name="Dodaj do porządku obrad").click()
    assert "Prezentacja katalogu usług PUP — PUP Skarżysko-Kamienna" in page.locator("#agenda").inner_text()
    assert accessibility_violations(page) == []
    meeting_url = page.url.split("#")[0]

    pup = browser.new_context(locale="pl-PL", bypass_csp=True).new_page()
    sign_in(pup, live_server, institution_login(PUP, "staff", 1), DEMO_PASSWORD)
    pup.goto(f"{live_server}/i/{PUP}/groups/")
    pup.get_by_role("link", name="Grupa Robocza „Fachowa siła”").click()
    pup.get_by_role("button", name="Dołącz do grupy").click()
    pup.get_by_label("Osoba z instytucji członkowskiej").select_option(index=1)
    pup.get_by_role("button", name="Dodaj członka").click()
    assert "PUP Skarżysko-Kamienna · Członek" in pup.locator("main").inner_text()
    pup.get_by_role("link", name="Katalog usług PUP").click()
    pup.get_by_label("Zadanie", exact=True).fill("Przygotować projekt porozumienia MOPS–PUP")
    pup.get_by_label("Odpowiedzialny").select_option(label="PUP Skarżysko-Kamienna")
    pup.get_by_label("Termin", exact=True).fill((today_in_poland() + timedelta(days=30)).isoformat())
    pup.get_by_role("button", name="Dodaj zadanie").click()
    attendance = pup.locator("#attendance")
    for select in attendance.locator("select").all():
        select.select_option(label="Obecny")
    pup.get_by_role("button", name="Zapisz listę obecności").click()
    assert pup.locator("#attendance").inner_text().count("Obecny") >= 2
    pup.get_by_role("textbox", name="Protokół", exact=True).fill("PUP przedstawił katalog usług i formy aktywizacji.")
    pup.get_by_label("Ustalenia i głosowania").fill("Współpraca zostanie ujęta w porozumieniu do III kwartału.")
    pup.get_by_role("button", name="Zapisz wersję roboczą").click()
    assert "Wersja robocza" in pup.locator("#minutes").inner_text()
    assert pup.get_by_role("button", name="Zatwierdź protokół").count() == 0   # only the chair approves
    pup.locator("#actions tr", has_text="Przygotować projekt porozumienia").get_by_role(
        "button", name="Oznacz jako wykonane").click()
    assert "Wykonano" in pup.locator("#actions").inner_text()
    assert accessibility_violations(pup) == []

    page.goto(meeting_url)
    page.get_by_role("button", name="Zatwierdź protokół").click()
    minutes = page.locator("#minutes").inner_text()
    assert "Zatwierdzona" in minutes and "Katarzyna Zając" in minutes
    with page.expect_download() as download:
        page.get_by_role("link", name="Protokół i lista obecności (PDF)").click()
    assert download.value.suggested_filename.startswith("protokol-")


def test_the_coordinator_runs_a_regional_group_and_an_invited_institution_joins_it(app, page, browser, live_server,
                                                                                   no_office_after):  # noqa: F811
    from regionet.platform.demo.seed import demo_login

    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.goto(f"{live_server}/r/swietokrzyskie/groups/")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Utwórz grupę regionalną").click()
    page.get_by_label("Nazwa", exact=True).fill("Regionalny Komitet Rozwoju Ekonomii Społecznej")
    page.get_by_label("Cel", exact=True).fill("Opiniowanie regionalnego programu rozwoju ekonomii społecznej.")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_label("Instytucja", exact=True).select_option(label="PUP Skarżysko-Kamienna")
    page.get_by_role("button", name="Zaproś instytucję").click()
    assert "PUP Skarżysko-Kamienna · Zaproszona" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Zaplanuj spotkanie").click()
    page.get_by_label("Tytuł", exact=True).fill("Posiedzenie komitetu")
    page.get_by_label("Data", exact=True).fill((today_in_poland() + timedelta(days=7)).isoformat())
    page.get_by_label("Godzina rozpoczęcia").fill("10:00")
    page.get_by_label("Miejsce", exact=True).fill("Urząd Marszałkowski, Kielce")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Posiedzenie komitetu"
    assert accessibility_violations(page) == []

    pup = browser.new_context(locale="pl-PL", bypass_csp=True).new_page()
    sign_in(pup, live_server, institution_login(PUP, "staff", 1), DEMO_PASSWORD)
    pup.goto(f"{live_server}/i/{PUP}/groups/")
    pup.get_by_role("link", name="Regionalny Komitet Rozwoju Ekonomii Społecznej").click()
    pup.get_by_role("button", name="Dołącz do grupy").click()
    assert "PUP Skarżysko-Kamienna · Członek" in pup.locator("main").inner_text()
    assert "Posiedzenie komitetu" in pup.locator("main").inner_text()
    assert accessibility_violations(pup) == []
