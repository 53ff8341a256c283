"""In a real browser: the commune type-ahead, keyboard only, Polish letters not needed, the
institution's own commune first, nothing chosen by typing alone; without JavaScript, the plain select."""
import pytest

from regionet.platform.demo.seed import institution_login

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
FORM = "/i/mops-skarzysko-kamienna/participants/new"


def test_the_commune_combobox_works_by_keyboard_and_ignores_diacritics(page, live_server):
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.goto(live_server + FORM)
    box = page.get_by_role("combobox", name="Gmina (TERYT)")
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    box.press("ArrowDown")   # the whole list, the institution's commune first
    options = page.get_by_role("listbox").get_by_role("option")
    assert options.first.inner_text().startswith("Skarżysko-Kamienna") and "Gmina Twojej instytucji" in options.first.inner_text()
    box.press("Escape")
    box.press_sequentially("skarzysko-k")          # no Polish letters, and the hyphen matters
    names = [t.split(" · ")[0] for t in options.all_inner_texts()]
    assert names == ["Skarżysko-Kamienna (gmina miejska)"], names
    assert page.locator("select#commune_code").input_value() == ""   # typing alone chose nothing
    box.fill("")
    box.press_sequentially("skarzysko")
    names = [t.split(" · ")[0] for t in options.all_inner_texts()]
    assert names == ["Skarżysko-Kamienna (gmina miejska)", "Skarżysko Kościelne (gmina wiejska)"], names
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "commune_code-option-1"
    box.press("Enter")
    assert page.locator("select#commune_code").input_value() == "2610042"
    assert box.input_value() == "Skarżysko Kościelne (gmina wiejska)" and box.get_attribute("aria-expanded") == "false"
    assert accessibility_violations(page) == []


def test_without_javascript_the_commune_is_a_plain_select(browser, live_server):
    context = browser.new_context(locale="pl-PL", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
        page.goto(live_server + FORM)
        assert page.get_by_role("combobox", name="Gmina (TERYT)").evaluate("e => e.tagName") == "SELECT"
        page.get_by_label("Gmina (TERYT)").select_option("2610011")
        assert page.get_by_label("Gmina (TERYT)").input_value() == "2610011"
    finally:
        context.close()
