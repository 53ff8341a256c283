"""In a real browser: a staff member registers a participant in Polish and finds them in the list."""
from datetime import date

import pytest

from regionet.platform.demo.seed import institution_login
from regionet.tenants.participants.models import Sex
from regionet.tenants.participants.pesel import make_pesel

from .browser import accessibility_violations, choose_commune, reload_settled, sign_in
from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ZOFIA = make_pesel(date(1979, 10, 3), Sex.FEMALE, 808)


def test_staff_registers_a_participant_through_the_form_and_sees_them_in_the_list(page, live_server):
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/mops-skarzysko-kamienna/")
    page.get_by_role("navigation", name="Sekcje instytucji").get_by_role("link", name="Uczestnicy").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uczestnicy"
    assert "Nie ma jeszcze uczestników." in page.locator("main").inner_text()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Zarejestruj uczestnika").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Zarejestruj uczestnika"
    assert accessibility_violations(page) == []
    page.get_by_label("Imię", exact=True).fill("Zofia")
    page.get_by_label("Nazwisko", exact=True).fill("Bąk")
    page.get_by_label("PESEL", exact=True).fill(ZOFIA[:-1] + str((int(ZOFIA[-1]) + 1) % 10))  # one digit off
    page.get_by_label("Ulica i numer").fill("ul. Sportowa 12")
    choose_commune(page, "Skarżysko-K", "Skarżysko-Kamienna (gmina miejska)")
    page.get_by_label("Wykształcenie (ISCED)").select_option(label="Podstawowe (ISCED 1)")
    page.get_by_label("Status na rynku pracy w chwili przystąpienia").select_option(label="Osoba długotrwale bezrobotna")
    page.get_by_label("Osoba z niepełnosprawnościami").select_option(label="Odmowa podania informacji")
    page.get_by_label("Migrant, osoba obcego pochodzenia lub mniejszość").select_option(label="Nie")
    page.get_by_label("Osoba bezdomna lub wykluczona z dostępu do mieszkań").select_option(label="Nie")
    page.get_by_label("Osoba z gospodarstwa domowego bez osób pracujących").select_option(label="Tak")
    page.get_by_label("Podstawa prawna przetwarzania").select_option(label="Obowiązek prawny (art. 6 ust. 1 lit. c RODO)")
    page.get_by_label("Data podstawy prawnej").fill("2024-03-01")
    page.get_by_role("button", name="Zarejestruj uczestnika").click()

    # One mistyped digit: the message sits next to the field, and everything typed is still there.
    assert "cyfra kontrolna" in page.locator("#pesel-error").inner_text()
    assert page.get_by_label("PESEL", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Nazwisko", exact=True).input_value() == "Bąk"
    assert page.locator("select#commune_code").input_value() == "2610011"
    assert page.get_by_role("combobox", name="Gmina (TERYT)").input_value() == "Skarżysko-Kamienna (gmina miejska)"
    assert accessibility_violations(page) == []
    page.get_by_label("PESEL", exact=True).fill(ZOFIA)
    page.get_by_role("button", name="Zarejestruj uczestnika").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Zofia Bąk"
    details = page.locator("main").inner_text()
    assert "03.10.1979" in details and "Kobieta" in details and "Skarżysko-Kamienna (2610011)" in details
    assert "Zarejestrowano: Zofia Bąk." in details
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Wszyscy uczestnicy").click()
    row = page.get_by_role("row", name="Bąk Zofia")
    assert ZOFIA in row.inner_text() and "Osoba długotrwale bezrobotna" in row.inner_text()
    page.get_by_label("Imię, nazwisko lub PESEL").fill("bąk")
    page.get_by_role("button", name="Szukaj").click()
    assert page.get_by_role("row", name="Bąk Zofia").is_visible()
    assert accessibility_violations(page) == []


def test_an_import_with_errors_shows_them_accessibly_and_imports_the_valid_rows(page, live_server, app, pg_database,
                                                                                 tmp_path):
    from .test_participant_import import csv_file, person, run_import_worker

    bad = person(**{"Imię": "Adam", "PESEL": "12345678901"})
    spreadsheet = tmp_path / "uczestnicy.csv"
    spreadsheet.write_bytes(csv_file([person(), bad]))
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/participants/imports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Import danych z pliku"
    assert accessibility_violations(page) == []
    page.get_by_label("Plik arkusza (XLSX lub CSV)").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Sprawdź i importuj").click()
    assert page.locator("#report-progress").is_visible()
    run_import_worker(app, pg_database)
    reload_settled(page)
    assert "Nic nie zostało zaimportowane." in page.locator("#decision").inner_text()
    error_row = page.locator("#import-errors tbody tr")
    assert error_row.count() == 1 and "3" in error_row.inner_text() and "PESEL" in error_row.inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Importuj tylko 1 wiersz bez błędów").click()
    run_import_worker(app, pg_database)
    reload_settled(page)
    assert "Zaimportowano 1 uczestnika." in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
