"""In a real browser: a KIS instructor records one workshop for ten people and corrects the list."""
import pytest

from regionet.platform.demo.seed import institution_login

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .test_group_sessions import NAMES, _episodes, _workshop
from .test_isolation import TENANT_A

pytestmark = pytest.mark.browser


def test_a_kis_instructor_records_a_session_for_ten_people(app, page, live_server):
    tenant, project_id, enrolments = _workshop(app, people=10)
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/{TENANT_A}/projects/{project_id}")
    page.get_by_role("navigation", name="Sekcje projektu").get_by_role("link", name="Zajęcia grupowe").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Zapisz zajęcia grupowe").click()
    page.get_by_label("Forma wsparcia").select_option(label="Klub integracji społecznej (KIS)")
    page.get_by_label("Data zajęć").fill("2013-09-12")
    page.get_by_label("Czas trwania w godzinach").fill("3,5")
    page.get_by_label("Temat", exact=True).fill("Rozmowa kwalifikacyjna")
    page.get_by_label("Miejsce", exact=True).fill("Świetlica KIS, ul. Słoneczna 1")
    page.get_by_label("Prowadzący").fill("Beata Adaś")
    page.get_by_role("button", name="Zapisz zajęcia").click()
    # nobody marked: the list says so and keeps what was typed
    assert "Zaznacz co najmniej jedną obecną osobę." in page.locator("#attendees-error").inner_text()
    assert page.get_by_label("Temat", exact=True).input_value() == "Rozmowa kwalifikacyjna"
    assert accessibility_violations(page) == []
    attendance = page.get_by_role("group", name="Lista obecności: zaznacz osoby obecne")
    for name in NAMES[:10]:
        attendance.get_by_label(f"{name} Anna", exact=False).check()
    page.get_by_role("button", name="Zapisz zajęcia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rozmowa kwalifikacyjna"
    assert page.locator("#session-attendance tbody tr").count() == 10
    assert accessibility_violations(page) == []
    assert len(_episodes(app, tenant)) == 10
    # Żak was absent after all
    page.get_by_role("link", name="Edytuj").click()
    page.get_by_label("Żak Anna", exact=False).uncheck()
    page.get_by_role("button", name="Zapisz zajęcia").click()
    assert page.locator("#session-attendance tbody tr").count() == 9
    assert len(_episodes(app, tenant)) == 9
