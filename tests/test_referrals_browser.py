"""In a real browser: a referral from the MOPS to the PUP and one to the OWES go through every state,
each side signed in on its own, each seeing only what it should; axe on every new page."""
import pytest

from regionet.platform.demo.seed import institution_login
from regionet.platform.ui.formatting import today_in_poland

from .browser import accessibility_violations, sign_in
from .conftest import DEMO_PASSWORD
from .participant_helpers import ANNA_PESEL, add_participant
from .referral_support import MOPS, OWES, PUP, anna, seed_catalogue

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app):
    seed_catalogue(app)
    person = anna(app)
    add_participant(app, PUP, first_name="Anna", last_name="Kowalska", pesel=ANNA_PESEL)   # the PUP knows her
    add_participant(app, OWES, first_name="Anna", last_name="Kowalska", pesel=None)         # the OWES by name
    return person


def _as(browser, live_server, slug):
    context = browser.new_context(locale="pl-PL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, institution_login(slug, "staff", 1), DEMO_PASSWORD)
    return page


def _clean(page):
    page.wait_for_load_state()
    assert accessibility_violations(page) == [], page.url


def _go(page, locator):
    """Click something that loads a page, and wait for that page (not the one it leaves)."""
    with page.expect_navigation():
        locator.click()


def _send(page, live_server, person, service_label, consent=False):
    page.goto(f"{live_server}/i/{MOPS}/participants/{person.id}")
    _go(page, page.get_by_role("link", name="Skieruj do usługi regionu"))
    page.get_by_label("Usługa").select_option(label=service_label)
    _go(page, page.get_by_role("button", name="Wybierz"))
    _clean(page)
    preview = page.locator("#preview-heading").locator("xpath=..").inner_text()
    if consent:   # the consent fields are required: refused next to them, typed text kept
        page.get_by_label("Dlaczego kierujesz osobę").fill("Chce założyć spółdzielnię socjalną.")
        _go(page, page.get_by_role("button", name="Wyślij skierowanie"))
        assert "Ta usługa wymaga zgody osoby" in page.locator("#consent_given_on-error").inner_text()
        assert page.get_by_label("Dlaczego kierujesz osobę").input_value() == "Chce założyć spółdzielnię socjalną."
        _clean(page)
        page.get_by_label("Data wyrażenia zgody").fill(today_in_poland().isoformat())
        page.get_by_label("Przekazana klauzula informacyjna (wersja)").fill("Klauzula 2026/1")
        page.get_by_label("Gdzie przechowywana jest zgoda").fill("formularz nr 12/2026 w aktach")
    else:
        page.get_by_label("Dlaczego kierujesz osobę").fill("Długotrwale bezrobotna, gotowa do stażu.")
    if page.get_by_label("Kategoria uprawnienia").count():
        page.get_by_label("Kategoria uprawnienia").fill("osoba długotrwale bezrobotna")
    _go(page, page.get_by_role("button", name="Wyślij skierowanie"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Skierowanie do usługi")
    return preview, page.url.rsplit("/", 1)[-1]


def _step(page, name, **fields):
    form = page.locator("form.step-form", has=page.get_by_role("button", name=name, exact=True))
    for selector, value in fields.items():
        field = form.locator(f"#{selector}")
        if field.evaluate("e => e.tagName") == "SELECT" and field.is_hidden():
            # A person picker (combobox): by keyboard, the likely matches the page offers on an empty box
            box = form.locator(f"#{selector}-combobox")
            box.focus()
            box.press("ArrowDown")            # opens the list on its first option
            box.press("Enter")
            assert field.input_value(), "a record was chosen"
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(index=1) if value is None else field.select_option(value)
        else:
            field.fill(value)
    _go(page, form.get_by_role("button", name=name, exact=True))


def test_two_referrals_go_round_the_loop_and_each_side_sees_its_part(browser, live_server, people):
    mops = _as(browser, live_server, MOPS)
    preview, to_pup = _send(mops, live_server, people, "Staż u pracodawcy (PUP Skarżysko-Kamienna)")
    assert ANNA_PESEL in preview and "Słoneczna" not in preview      # only the service's data set
    _clean(mops)
    preview, to_owes = _send(mops, live_server, people,
                             "Doradztwo dla zakładających spółdzielnię socjalną (OWES Kielce)", consent=True)
    assert ANNA_PESEL not in preview
    _clean(mops)

    pup = _as(browser, live_server, PUP)
    assert "1" in pup.get_by_role("navigation", name="Sekcje instytucji").get_by_role("link", name="Skierowania 1").inner_text()
    _go(pup, pup.get_by_role("navigation", name="Sekcje instytucji").get_by_role("link", name="Skierowania 1"))
    _clean(pup)
    assert "Doradztwo" not in pup.content()                          # not the PUP's referral
    _go(pup, pup.get_by_role("link", name=today_in_poland().strftime("%d.%m.%Y")).first)
    assert ANNA_PESEL in pup.content() and "wywiadu" not in pup.content()
    _clean(pup)
    _step(pup, "Przyjmij skierowanie")
    _step(pup, "Zapisz rozpoczęcie", **{"start-on_day": today_in_poland().isoformat()})
    _clean(pup)
    _step(pup, "Zapisz rezultat", **{"complete-result": "employment_contract"})
    assert "Zakończone" in pup.locator(".page-head").inner_text()
    _go(pup, pup.get_by_role("link", name="Otwórz kartę"))
    assert pup.get_by_role("heading", level=1).inner_text() == "Anna Kowalska"     # the PUP's own record

    owes = _as(browser, live_server, OWES)
    owes.goto(f"{live_server}/i/{OWES}/referrals/{to_owes}")
    assert "Klauzula 2026/1" in owes.content() and "Staż" not in owes.locator("section.panel").first.inner_text()
    assert owes.goto(f"{live_server}/i/{OWES}/referrals/{to_pup}").status == 404   # a third institution: nothing
    owes.goto(f"{live_server}/i/{OWES}/referrals/{to_owes}")
    _step(owes, "Przyjmij skierowanie")
    _step(owes, "Zapisz rozpoczęcie", **{"start-participant_id": None})
    _step(owes, "Zapisz przerwanie", **{"end-reason": "dropped_out", "end-comment": "Nie przychodzi od 2 tygodni."})
    assert "Przerwane" in owes.locator(".page-head").inner_text()
    _clean(owes)

    mops.goto(f"{live_server}/i/{MOPS}/referrals/outgoing")
    _clean(mops)
    mops.goto(f"{live_server}/i/{MOPS}/referrals/{to_pup}")
    assert "umowa o pracę" in mops.locator("main").inner_text().lower()
    _step(mops, "Zamknij skierowanie")
    assert "Zamknięte" in mops.locator(".page-head").inner_text()
    mops.goto(f"{live_server}/i/{MOPS}/referrals/{to_owes}")
    assert "Nie przychodzi od 2 tygodni." in mops.content()
    _step(mops, "Zamknij skierowanie")
    mops.goto(f"{live_server}/i/{MOPS}/participants/{people.id}")
    timeline = mops.locator("main").inner_text()
    assert "Skierowanie do usługi Staż u pracodawcy (PUP Skarżysko-Kamienna): Zakończone" in timeline
    _clean(mops)

    # declined with another service suggested, and withdrawn by the sender
    _preview, third = _send(mops, live_server, people, "Staż u pracodawcy (PUP Skarżysko-Kamienna)")
    pup.goto(f"{live_server}/i/{PUP}/referrals/{third}")
    _step(pup, "Odmów przyjęcia", **{"decline-reason": "no_capacity", "decline-redirect_service_id": None})
    mops.goto(f"{live_server}/i/{MOPS}/referrals/{third}")
    assert "Odmówione" in mops.locator(".page-head").inner_text()
    _go(mops, mops.get_by_role("link", name="Wyślij do proponowanej usługi"))
    _clean(mops)
    _preview, fourth = _send(mops, live_server, people, "Szkolenie zawodowe (bon szkoleniowy) (PUP Skarżysko-Kamienna)")
    _step(mops, "Wycofaj skierowanie", **{"withdraw-comment": "Osoba podjęła pracę."})
    pup.goto(f"{live_server}/i/{PUP}/referrals/{fourth}")
    assert "nie są już udostępniane" in pup.content() and ANNA_PESEL not in pup.locator("main").inner_text()
    for page in (mops, pup, owes):
        page.context.close()


def test_new_pages_of_the_catalogue_and_the_coordinator_pass_axe(browser, live_server, people):
    page = _as(browser, live_server, MOPS)
    for path in ("/services/", "/services/mine", "/services/new"):
        page.goto(f"{live_server}/i/{MOPS}{path}")
        _clean(page)
    _go(page, page.get_by_role("button", name="Zapisz"))          # an empty form: errors, still accessible
    assert page.locator("#name-error").inner_text() == "Podaj nazwę usługi."
    _clean(page)
    page.goto(f"{live_server}/i/{MOPS}/services/")
    _go(page, page.get_by_role("link", name="Staż u pracodawcy"))
    _clean(page)
    page.context.close()
    coordinator = browser.new_context(locale="pl-PL", bypass_csp=True).new_page()
    from regionet.platform.demo.seed import demo_login

    sign_in(coordinator, live_server, demo_login("koordynator.rops"), DEMO_PASSWORD)
    coordinator.goto(f"{live_server}/r/swietokrzyskie/referrals")
    assert coordinator.get_by_role("heading", level=1).inner_text().startswith("Skierowania między instytucjami")
    _clean(coordinator)
    coordinator.goto(f"{live_server}/r/swietokrzyskie/working-groups")      # the groups' figures (issue 16, point 6)
    assert coordinator.get_by_role("heading", level=1).inner_text().startswith("Grupy robocze regionu")
    _clean(coordinator)
    coordinator.context.close()
