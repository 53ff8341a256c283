"""In a real browser: a social worker starts a social contract from the person's card, prints it,
attaches the signed scan and records its first review."""
import pytest

from regionet.platform.demo.seed import institution_login

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .documents import pdf_bytes
from .test_isolation import TENANT_A
from .test_plans import _person

pytestmark = pytest.mark.browser


def test_a_social_worker_creates_and_reviews_a_social_contract_from_the_card(app, page, live_server, tmp_path):
    _tenant, anna_id, _enrolment = _person(app)
    sign_in(page, live_server, institution_login(TENANT_A, "staff", 1), DEMO_PASSWORD)
    page.goto(f"{live_server}/i/{TENANT_A}/participants/{anna_id}")
    page.get_by_role("link", name="Załóż plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Załóż plan"
    page.get_by_label("Rodzaj planu").select_option(label="Kontrakt socjalny")
    page.get_by_label("Numer").fill("KS/7/2013")
    page.get_by_label("Data rozpoczęcia").fill("2013-07-15")
    page.get_by_label("Planowane zakończenie").fill("2013-12-31")
    page.get_by_label("Pierwszy przegląd").fill("2013-09-15")
    page.get_by_label("Zobowiązania instytucji").fill("Opłacenie kursu kucharza.")
    page.get_by_label("Zobowiązania osoby").fill("Udział w kursie.")
    page.get_by_role("button", name="Zapisz plan").click()
    # the goals were forgotten: said next to the field, the rest kept
    assert page.locator("#goals-error").inner_text() == "Zapisz cele planu."
    assert page.get_by_label("Numer").input_value() == "KS/7/2013"
    assert accessibility_violations(page) == []
    page.get_by_label("Cele", exact=True).fill("Podjęcie zatrudnienia.")
    page.get_by_role("button", name="Zapisz plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kontrakt socjalny nr KS/7/2013"
    assert accessibility_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Wydrukuj do podpisu (PDF)").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    scan = tmp_path / "kontrakt-podpisany.pdf"
    scan.write_bytes(pdf_bytes("Kontrakt socjalny KS/7/2013"))
    page.get_by_label("Skan podpisanego planu").set_input_files(str(scan))
    page.get_by_role("button", name="Dołącz skan").click()
    assert page.get_by_role("link", name="kontrakt-podpisany.pdf").is_visible()
    page.get_by_role("link", name="Zapisz przegląd z 15.09.2013").click()
    page.get_by_label("Data przeglądu").fill("2013-09-16")
    page.get_by_label("Uwagi").fill("Kurs rozpoczęty, obecność pełna.")
    page.get_by_role("button", name="Zapisz przegląd").click()
    assert "Kurs rozpoczęty, obecność pełna." in page.locator("#plan-reviews").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Anna Wiśniewska").first.click()
    assert "KS/7/2013" in page.locator("#person-plans").inner_text()
    assert "Przegląd: Kontrakt socjalny" in page.locator("#person-timeline").inner_text()
    assert accessibility_violations(page) == []
    page.goto(f"{live_server}/i/{TENANT_A}/")
    assert page.get_by_role("heading", name="Do zrobienia").is_visible()
    assert accessibility_violations(page) == []
