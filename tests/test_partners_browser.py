"""In a real browser: a staff member adds a partner and an agreement with its signed document."""
from datetime import timedelta

import pytest

from regionet.platform.demo.seed import institution_login
from regionet.platform.ui.formatting import today_in_poland

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .documents import EXECUTABLE, pdf_bytes

pytestmark = pytest.mark.browser


def test_staff_member_adds_a_partner_and_an_agreement_with_its_signed_document(page, live_server, tmp_path):
    today = today_in_poland()
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/mops-skarzysko-kamienna/")
    page.get_by_role("navigation", name="Sekcje instytucji").get_by_role("link", name="Partnerzy i porozumienia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Partnerzy i porozumienia"
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Dodaj organizację").click()
    page.get_by_label("Nazwa").fill("Fundacja Aktywni Razem")
    page.get_by_label("Rodzaj").select_option(label="Organizacja pozarządowa")
    page.get_by_label("NIP").fill("657-123-45-62")
    page.get_by_label("Osoba do kontaktu").fill("Ewa Wiśniewska")
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fundacja Aktywni Razem"
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Dodaj porozumienie z tym partnerem").click()
    assert page.get_by_label("Fundacja Aktywni Razem").is_checked()  # the party comes preselected
    page.get_by_label("Tytuł").fill("Porozumienie o współpracy w ramach PAI")
    page.get_by_label("Numer").fill("MOPS.0321.7.2026")
    page.get_by_label("Zakres współpracy").fill("Wspólne prowadzenie programu aktywizacji i integracji.")
    page.get_by_label("Data podpisania").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Obowiązuje od").fill((today - timedelta(days=5)).isoformat())
    page.get_by_label("Obowiązuje do").fill((today - timedelta(days=6)).isoformat())
    page.get_by_label("Plik").set_input_files(
        files=[{"name": "porozumienie.pdf", "mimeType": "application/pdf", "buffer": EXECUTABLE}])
    page.get_by_role("button", name="Zapisz").click()

    # Refused: the messages stand next to their fields, what was typed stays, the page stays accessible.
    assert page.get_by_role("alert").inner_text().startswith("Formularz zawiera błędy")
    assert "Koniec obowiązywania nie może być wcześniejszy" in page.locator("#valid_to-error").inner_text()
    assert "nie jest dokumentem PDF, DOCX, ODT, JPEG ani PNG" in page.locator("#document_file-error").inner_text()
    assert page.get_by_label("Tytuł").input_value() == "Porozumienie o współpracy w ramach PAI"
    assert page.get_by_label("Fundacja Aktywni Razem").is_checked()
    assert page.get_by_label("Obowiązuje do").get_attribute("aria-invalid") == "true"
    assert accessibility_violations(page) == []

    page.get_by_label("Obowiązuje do").fill((today + timedelta(days=30)).isoformat())
    document = pdf_bytes("Porozumienie MOPS – Fundacja Aktywni Razem")
    page.get_by_label("Plik").set_input_files(
        files=[{"name": "Porozumienie PAI – podpisane.pdf", "mimeType": "application/pdf", "buffer": document}])
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Porozumienie o współpracy w ramach PAI"
    assert "kończy się za 30 dni" in page.locator(".page-head").inner_text()
    assert page.get_by_role("link", name="Fundacja Aktywni Razem").is_visible()
    assert accessibility_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_test_id("document-link").click()
    download = download_info.value
    assert download.suggested_filename == "Porozumienie PAI – podpisane.pdf"
    saved = tmp_path / "pobrany.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == document

    page.get_by_role("link", name="Wszystkie porozumienia").click()
    row = page.locator("tr.row--expiring")
    assert row.count() == 1 and "Porozumienie o współpracy w ramach PAI" in row.inner_text()
    assert accessibility_violations(page) == []

    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/")
    panel = page.get_by_role("region", name="Porozumienia wygasające w ciągu 60 dni")
    assert "Porozumienie o współpracy w ramach PAI" in panel.inner_text()
    assert accessibility_violations(page) == []


def test_an_oversized_upload_shows_the_polish_error_page_in_the_browser(app, page, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    sign_in(page, live_server, institution_login("mops-skarzysko-kamienna", "staff", 1), DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/i/mops-skarzysko-kamienna/")
    page.goto(f"{live_server}/i/mops-skarzysko-kamienna/agreements/new")
    page.get_by_label("Tytuł").fill("Porozumienie ze skanem")
    page.get_by_label("Plik").set_input_files(files=[{
        "name": "skan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes() + b"%" * (3 * 1024 * 1024)}])
    page.get_by_role("button", name="Zapisz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Plik jest za duży"
    assert "większy niż dopuszczalne 1 MB" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
