"""In a real browser, with real SMTP: an administrator invites a person, who accepts the e-mailed
invitation, signs in and sets up the second factor their role requires."""
import pyotp
import pytest

from .browser import accessibility_violations, sign_in
from .helpers import TOTP_CLOCK
from .mail_server import links_in, run_mail_jobs, text_of
from .team import PASSWORD

pytestmark = pytest.mark.browser


def test_invite_accept_and_first_sign_in(app, page, browser, live_server, mailbox, team):
    app.config["PUBLIC_BASE_URL"] = live_server
    try:
        sign_in(page, live_server, team.admin, PASSWORD)
        page.goto(f"{live_server}/i/{team.slug}/staff/")
        assert accessibility_violations(page) == []
        invite = page.locator("form[action$='/staff/invite']")
        invite.get_by_label("Adres e-mail").fill("kierowniczka@cis.example")
        invite.get_by_label("Pełna nazwa").fill("Krystyna Kierowniczka")
        invite.get_by_label("Rola").select_option(label="Administrator instytucji")
        invite.get_by_role("button", name="Wyślij zaproszenie").click()
        page.wait_for_load_state()
        assert "Wysłano zaproszenie na adres kierowniczka@cis.example." in page.inner_text("main")

        run_mail_jobs(app)
        [message] = mailbox.to("kierowniczka@cis.example")
        assert "Alicja Administratorka zaprasza Cię do pracy" in text_of(message)
        link = next(url for url in links_in(message) if "/invitations/" in url)
        assert link.startswith(live_server)

        invitee = browser.new_context(locale="pl-PL").new_page()
        invitee.set_default_timeout(15_000)
        invitee.goto(link)
        assert accessibility_violations(invitee) == []
        assert invitee.get_by_label("Pełna nazwa").input_value() == "Krystyna Kierowniczka"
        invitee.get_by_label("Hasło", exact=True).fill("haslo-kierowniczki-1")
        invitee.get_by_label("Powtórz hasło").fill("haslo-kierowniczki-1")
        invitee.get_by_role("button", name="Utwórz konto i przyjmij").click()
        invitee.wait_for_url("**/login**")
        assert "Twoje konto jest gotowe" in invitee.inner_text("main")

        invitee.get_by_label("Adres e-mail").fill("kierowniczka@cis.example")
        invitee.get_by_label("Hasło").fill("haslo-kierowniczki-1")
        invitee.get_by_role("button", name="Zaloguj się").click()
        invitee.wait_for_url("**/login/second-factor/setup")
        assert "Administratorzy instytucji muszą używać drugiego składnika." in invitee.inner_text("main")
        assert accessibility_violations(invitee) == []
        secret = invitee.get_by_test_id("totp-secret").inner_text()  # what the phone would scan
        TOTP_CLOCK.offset += 30
        invitee.get_by_label("Kod").fill(pyotp.TOTP(secret).at(TOTP_CLOCK()))
        invitee.get_by_role("button", name="Włącz drugi składnik").click()
        invitee.wait_for_load_state()
        assert len(invitee.get_by_test_id("recovery-codes").locator("li").all()) == 10
        invitee.get_by_role("link", name="Zapisałem/-am je, dalej").click()
        invitee.wait_for_url(f"{live_server}/i/{team.slug}/")
        assert invitee.get_by_role("heading", level=1).inner_text().startswith("Centrum Integracji Społecznej")

        page.goto(f"{live_server}/i/{team.slug}/staff/")
        history = page.get_by_test_id("staff-history").inner_text()
        assert "Przyjęto zaproszenie" in history and "Krystyna Kierowniczka" in history
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
