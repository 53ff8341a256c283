"""In a real browser: a project's page with its indicators, and the work that changes them."""
import re
from datetime import date

import pytest

from regionet.platform.demo.seed import institution_login
from regionet.platform.demo.workspace import do_seed_demo_workspaces
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Sex
from regionet.tenants.participants.pesel import make_pesel

from .browser import accessibility_violations, choose_commune, sign_in
from .conftest import DEMO_PASSWORD
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, project

pytestmark = pytest.mark.browser


def test_demo_project_page_shows_budget_and_indicators_accessibly(app, page, live_server):
    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/{TENANT_A}/")
    page.get_by_role("navigation", name="Sekcje instytucji").get_by_role("link", name="Projekty").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Projekty"
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Nowe Szanse w MOPS").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nowe Szanse w MOPS"
    budget = page.locator("#budget").inner_text().replace("\u00a0", " ")
    assert "904 150,00 zł" in budget and "876 150,00 zł" in budget and "96,90%" in budget
    assert page.get_by_role("table", name="Uczestnicy według płci").is_visible()
    assert page.get_by_role("table", name="Wskaźniki wobec wartości docelowych").is_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("navigation", name="Sekcje projektu").get_by_role("link", name="Uczestnicy", exact=True).click()
    assert page.locator("table.data tbody tr").count() >= 20
    assert accessibility_violations(page) == []


def register_marta(page, live_server) -> None:
    """Register the participant through the participant form, as a staff member would."""
    page.goto(f"{live_server}/i/{TENANT_A}/participants/")
    page.get_by_role("link", name="Zarejestruj uczestnika").click()
    page.get_by_label("Imię", exact=True).fill("Marta")
    page.get_by_label("Nazwisko", exact=True).fill("Zielińska")
    page.get_by_label("PESEL", exact=True).fill(make_pesel(date(1988, 2, 3), Sex.FEMALE, 21))
    choose_commune(page, "skarzysko-k", "Skarżysko-Kamienna (gmina miejska)")
    page.get_by_label("Status na rynku pracy w chwili przystąpienia").select_option(label="Osoba długotrwale bezrobotna")
    page.get_by_label("Osoba z niepełnosprawnościami").select_option(label="Tak")
    page.get_by_label("Migrant, osoba obcego pochodzenia lub mniejszość").select_option(label="Nie")
    page.get_by_label("Osoba bezdomna lub wykluczona z dostępu do mieszkań").select_option(label="Odmowa podania informacji")
    page.get_by_label("Osoba z gospodarstwa domowego bez osób pracujących").select_option(label="Nie")
    page.get_by_label("Podstawa prawna przetwarzania").select_option(label="Obowiązek prawny (art. 6 ust. 1 lit. c RODO)")
    page.get_by_label("Data podstawy prawnej").fill("2013-06-20")
    page.get_by_role("button", name="Zarejestruj uczestnika").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Marta Zielińska"


def test_register_enrol_record_support_and_an_outcome_and_see_the_indicator_change(app, page, live_server):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        [project_id] = add(tenant, project(start=date(2013, 6, 1), end=date(2015, 6, 30)))
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/{TENANT_A}/")
    register_marta(page, live_server)
    page.goto(f"{live_server}/i/{TENANT_A}/projects/{project_id}")
    assert page.locator("#stat-employed .stat__value").inner_text() == "0"
    page.get_by_role("link", name="Zapisz uczestnika/uczestniczkę").click()
    page.get_by_label("Znajdź osobę po nazwisku lub numerze PESEL").fill("zielińska")
    page.get_by_role("button", name="Szukaj").click()
    page.get_by_label(re.compile("Zielińska Marta")).check()
    page.get_by_label("Data przystąpienia").fill("2013-07-01")
    page.get_by_label("Data zakończenia udziału").fill("2013-06-01")
    page.get_by_role("button", name="Zapisz do projektu").click()
    assert "nie może być wcześniejsza" in page.locator("#exit_date-error").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_label("Data zakończenia udziału").fill("2014-03-31")
    page.get_by_role("button", name="Zapisz do projektu").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Marta Zielińska"
    page.get_by_role("link", name="Zapisz wsparcie").click()
    page.get_by_label("Forma wsparcia").select_option(label="Staż")
    page.get_by_label("Data rozpoczęcia").fill("2013-09-01")
    page.get_by_label("Data zakończenia").fill("2014-02-28")
    page.get_by_label("Godziny").fill("960")
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_role("link", name="Zapisz rezultat").click()
    page.get_by_label("Rezultat").select_option(label="Zatrudnienie po stażu")
    page.get_by_label("Data osiągnięcia").fill("2014-04-10")
    page.get_by_role("button", name="Zapisz").click()
    outcome_row = page.locator("#enrolment-outcomes tbody tr").first.inner_text()
    assert "Zatrudnienie po stażu" in outcome_row and "tak" in outcome_row
    assert accessibility_violations(page) == []
    page.goto(f"{live_server}/i/{TENANT_A}/projects/{project_id}")
    assert page.locator("#stat-employed .stat__value").inner_text() == "1"
    assert page.locator("#stat-disability .stat__value").inner_text() == "1"
    assert page.locator("#stat-rate .stat__value").inner_text() == "100,0%"
    # and the participant's own page links to the enrolment
    page.goto(f"{live_server}/i/{TENANT_A}/participants/")
    page.get_by_role("link", name="Zielińska Marta").click()
    page.get_by_role("link", name="Klub Integracji Społecznej", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Marta Zielińska"


def test_project_form_shows_the_shares_while_typing_and_explains_a_budget_that_does_not_add_up(page, live_server):
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/{TENANT_A}/")
    page.goto(f"{live_server}/i/{TENANT_A}/projects/new")
    page.get_by_label("Tytuł").fill("Nowe Szanse w MOPS")
    page.get_by_label("Kod").fill("POKL.07.01.01-26-001/08")
    page.get_by_label("Źródło finansowania (program i działanie)").select_option("pokl-7.1.1")
    page.get_by_label("Data rozpoczęcia").fill("2008-01-01")
    page.get_by_label("Data zakończenia").fill("2013-12-31")
    page.get_by_label("Wartość projektu (zł)").fill("904 150,00")
    page.get_by_label("Dofinansowanie UE (zł)").fill("876 150,00")
    page.get_by_label("Wkład własny (zł)").fill("28 000,00")
    assert page.locator("#budget-shares").inner_text() == "Udział UE: 96,90% · wkład własny: 3,10%"
    page.get_by_label("Wkład własny (zł)").fill("27 000,00")
    assert "części nie sumują się do wartości projektu" in page.locator("#budget-shares").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Zapisz projekt").click()
    error = page.locator("#own_contribution-error").inner_text().replace("\u00a0", " ")
    assert "dają razem 903 150,00 zł, a nie wartość projektu 904 150,00 zł" in error
    assert page.get_by_label("Wkład własny (zł)").input_value() == "27 000,00"
    assert page.get_by_label("Wkład własny (zł)").get_attribute("aria-invalid") == "true"
    assert accessibility_violations(page) == []
    page.get_by_label("Wkład własny (zł)").fill("28 000,00")
    page.get_by_role("button", name="Zapisz projekt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nowe Szanse w MOPS"
    assert "96,90%" in page.locator("#budget").inner_text()
