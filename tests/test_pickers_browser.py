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


def test_the_person_picker_finds_people_on_the_server_by_keyboard(app, page, live_server):
    from .test_person_picker import _people

    _tenant, (zolkiewska, _other) = _people(app, "mops-skarzysko-kamienna", ["Żółkiewska", "Żółtowska"])
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "admin", 1), DEMO_PASSWORD)
    page.goto(live_server + "/i/mops-skarzysko-kamienna/privacy/requests/new")
    box = page.get_by_role("combobox", name="Karta osoby")
    box.focus()
    box.press_sequentially("zolk")            # no Polish letters; the answer comes from the server
    options = page.get_by_role("listbox").get_by_role("option")
    options.first.wait_for()
    assert [t.split(" · ")[0] for t in options.all_inner_texts()] == ["Żółkiewska Anna"]
    assert page.locator("select#participant_id").input_value() == ""   # typing alone chose nothing
    box.press("ArrowDown")
    box.press("Enter")
    assert page.locator("select#participant_id").input_value() == str(zolkiewska)
    assert box.input_value().startswith("Żółkiewska Anna · PESEL ")
    assert accessibility_violations(page) == []


def test_attendees_of_a_large_project_are_added_by_keyboard(app, page, live_server):
    from .test_group_sessions import _episodes
    from .test_person_picker import FULL_LIST_LIMIT, _large_project

    tenant, project_id, enrolments = _large_project(app, FULL_LIST_LIMIT + 5)
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/projects/{project_id}/sessions/new")
    page.get_by_label("Forma wsparcia").select_option(label="Klub integracji społecznej (KIS)")
    page.get_by_label("Data zajęć").fill("2013-09-12")
    page.get_by_label("Czas trwania w godzinach").fill("3")
    page.get_by_label("Temat", exact=True).fill("Budżet domowy")
    box = page.get_by_role("combobox", name="Dodaj osobę zapisaną do projektu")
    for typed in ("zolkiew", "uczestniczka-00"):
        box.focus()
        box.press_sequentially(typed)
        page.get_by_role("listbox").get_by_role("option").first.wait_for()
        box.press("ArrowDown")
        box.press("Enter")
        assert box.input_value() == ""
    attendance = page.get_by_role("group", name="Lista obecności: zaznacz osoby obecne")
    assert attendance.get_by_role("checkbox", checked=True).count() == 2
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Zapisz zajęcia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Budżet domowy"
    assert sorted(e[0] for e in _episodes(app, tenant)) == sorted(
        [enrolments["Żółkiewska"], enrolments["Uczestniczka-000"]])


def test_without_javascript_attendees_are_found_by_a_button(app, browser, live_server):
    from .test_person_picker import FULL_LIST_LIMIT, _large_project

    _tenant, project_id, _enrolments = _large_project(app, FULL_LIST_LIMIT + 5)
    context = browser.new_context(locale="pl-PL", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
        page.goto(f"{live_server}/i/mops-skarzysko-kamienna/projects/{project_id}/sessions/new")
        page.get_by_label("Temat", exact=True).fill("Budżet domowy")
        page.get_by_label("Dodaj osobę zapisaną do projektu").fill("zolkiewska")
        page.get_by_role("button", name="Znajdź").click()
        attendance = page.get_by_role("group", name="Lista obecności: zaznacz osoby obecne")
        attendance.get_by_label("Żółkiewska Anna", exact=False).check()
        assert page.get_by_label("Temat", exact=True).input_value() == "Budżet domowy"
    finally:
        context.close()


def test_the_person_to_enrol_is_chosen_by_keyboard_from_the_projects_page(app, page, live_server):
    from sqlalchemy import select

    from regionet.platform.extensions import db
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.support.models import Enrolment

    from .test_isolation import _institution_id
    from .test_person_picker import _people
    from .workspace_data import add, project

    tenant, (zolkiewska, _other) = _people(app, "mops-skarzysko-kamienna", ["Żółkiewska", "Żółtowska"])
    with app.app_context():
        [project_id] = add(_institution_id(app, "mops-skarzysko-kamienna"), project())
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/projects/{project_id}/enrol")
    box = page.get_by_role("combobox", name="Znajdź osobę po nazwisku lub numerze PESEL")
    box.focus()
    box.press_sequentially("zolkie")
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    chosen = page.get_by_role("group", name="Uczestnik").get_by_role("radio", checked=True)
    assert chosen.get_attribute("value") == str(zolkiewska)
    assert accessibility_violations(page) == []
    page.get_by_label("Data przystąpienia").fill("2013-07-01")
    page.get_by_role("button", name="Zapisz do projektu").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Anna Żółkiewska"
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(select(Enrolment.participant_id)).scalars().all() == [zolkiewska]
