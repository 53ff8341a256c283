"""In a real browser: sign in as a demo user and use the institution's pages."""
import pytest

from regionet.platform.demo.seed import demo_login, institution_login

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_staff_member_signs_in_and_sees_the_institution_home_in_polish(page, live_server):
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/mops-skarzysko-kamienna/")
    assert page.locator("html").get_attribute("lang") == "pl"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej"
    signed_in = page.get_by_test_id("signed-in-as").inner_text()
    assert "Zalogowano jako Katarzyna Zając" in signed_in and "Pracownik" in signed_in
    assert page.get_by_role("navigation", name="Sekcje instytucji").is_visible()
    assert page.get_by_role("link", name="Raporty").is_visible()
    assert accessibility_violations(page) == []


def test_wrong_password_shows_the_polish_message_and_keeps_the_login(page, live_server):
    sign_in(page, live_server, "ktos@demo.regionet.example", "zle-haslo-123")
    assert page.get_by_role("alert").inner_text() == "Nieprawidłowy adres e-mail lub hasło."
    assert page.get_by_label("Adres e-mail").input_value() == "ktos@demo.regionet.example"
    assert accessibility_violations(page) == []


def test_keyboard_user_reaches_the_main_content_first(page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Przejdź do treści głównej"


def test_coordinator_home_and_operator_console_are_accessible(page, live_server):
    sign_in(page, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/r/swietokrzyskie/")
    assert page.get_by_role("heading", level=1).inner_text() == "Region: Świętokrzyskie"
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Wyloguj").click()
    sign_in(page, live_server, demo_login("operator"), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/operator/")
    assert accessibility_violations(page) == []
