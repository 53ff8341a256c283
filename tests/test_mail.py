"""Outgoing mail (platform/mail): stored with the caller's transaction, sent by a worker over real
SMTP (aiosmtpd on localhost), retried on temporary failures, never lost."""
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import select

from regionet.platform.accounts.models import User
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.mail import MailStatus, OutgoingMail, send_mail
from regionet.workers.queues import MAIL, get_queue

from .mail_server import free_port, run_mail_jobs, text_of

LOGIN = institution_login("mops-skarzysko-kamienna", "staff", 1)


def _queue_one(app, **kwargs) -> int:
    with app.test_request_context("/"):
        user = db.session.execute(select(User).where(User.email == LOGIN)).scalar_one()
        institution = db.session.execute(select(Institution).where(
            Institution.slug == "mops-skarzysko-kamienna")).scalar_one()
        message = send_mail(user.email, "accounts/password_changed", context={"user": user}, institution=institution,
                            user_id=user.id, **kwargs)
        assert get_queue(MAIL).count == 0, "nothing leaves before the commit"
        db.session.commit()
        return message.id


def _row(app, mail_id) -> OutgoingMail:
    with app.app_context():
        row = db.session.get(OutgoingMail, mail_id)
        db.session.expunge(row)
        return row


def test_a_message_is_sent_over_smtp_in_polish_with_the_institution_s_name(app, mailbox):
    mail_id = _queue_one(app)
    with app.app_context():
        assert get_queue(MAIL).count == 1
    run_mail_jobs(app)
    [message] = mailbox.to(LOGIN)
    assert message["Subject"] == "Twoje hasło zostało zmienione"
    assert "MOPS Skarżysko-Kamienna" in message["From"] and "no-reply@regionet.localhost" in message["From"]
    body = text_of(message)
    assert "Dzień dobry, Katarzyna Zając" in body
    assert "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej" in body
    assert message["Auto-Submitted"] == "auto-generated"
    row = _row(app, mail_id)
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_a_message_of_a_transaction_that_rolls_back_is_never_sent(app, mailbox):
    with app.test_request_context("/"):
        user = db.session.execute(select(User).where(User.email == LOGIN)).scalar_one()
        mail_id = send_mail(user.email, "accounts/password_changed", context={"user": user}).id
        db.session.rollback()
        assert get_queue(MAIL).count == 0
        assert db.session.get(OutgoingMail, mail_id) is None
    run_mail_jobs(app)
    assert mailbox.to(LOGIN) == []


def test_a_temporary_smtp_failure_is_retried_until_the_message_goes(app, mailbox):
    mailbox.refuse_next = 2
    mail_id = _queue_one(app)
    run_mail_jobs(app)
    assert len(mailbox.to(LOGIN)) == 1
    row = _row(app, mail_id)
    assert row.status == MailStatus.SENT and row.attempts == 3


def test_a_message_out_of_retries_is_failed_and_can_be_sent_again(app, mailbox, runner):
    mailbox.refuse_next = 10
    mail_id = _queue_one(app)
    run_mail_jobs(app)
    row = _row(app, mail_id)
    assert row.status == MailStatus.FAILED and row.attempts == 3 and "451" in row.last_error
    assert mailbox.to(LOGIN) == []
    mailbox.refuse_next = 0
    # --failed takes the waiting and the failed messages; earlier tests may have left some of their own
    with app.app_context():
        waiting = db.session.execute(select(db.func.count()).select_from(OutgoingMail).where(
            OutgoingMail.status.in_((MailStatus.QUEUED, MailStatus.FAILED)))).scalar_one()
    assert waiting >= 1
    result = runner.invoke(args=["mail", "send-pending", "--failed", "--older-than", "0"])
    assert f"queued again: {waiting}" in result.output, result.output
    run_mail_jobs(app)
    assert _row(app, mail_id).status == MailStatus.SENT
    assert mailbox.to(LOGIN), "the message reached the SMTP server"


def test_a_refused_recipient_is_failed_at_once_and_the_operator_sees_it(app, mailbox, client, auth):
    mailbox.refuse_for_good = True
    mail_id = _queue_one(app)
    run_mail_jobs(app)
    row = _row(app, mail_id)
    assert row.status == MailStatus.FAILED and row.attempts == 1 and "550" in row.last_error
    auth.login_operator()
    counts = client.get("/operator/").get_data(as_text=True).split('data-testid="mail-counts">')[1].split("<")[0]
    assert "Nieudane: " in counts and "Nieudane: 0" not in counts
    mailbox.refuse_for_good = False
    assert client.post("/operator/mail/send-failed").status_code == 302
    run_mail_jobs(app)
    assert _row(app, mail_id).status == MailStatus.SENT and len(mailbox.to(LOGIN)) == 1


def test_a_message_with_a_secret_keeps_no_body_once_sent(app, mailbox):
    mail_id = _queue_one(app, contains_secret=True)
    assert _row(app, mail_id).body_text
    run_mail_jobs(app)
    assert len(mailbox.to(LOGIN)) == 1
    assert _row(app, mail_id).body_text is None


def test_the_local_mail_catcher_shows_messages_in_the_browser_and_console(tmp_path):
    import smtplib
    from email.message import EmailMessage

    smtp_port, http_port = free_port(), free_port()
    catcher = subprocess.Popen([sys.executable, "-m", "regionet.platform.mail.catcher", "--smtp-port", str(smtp_port),
                                "--http-port", str(http_port), "--dir", str(tmp_path / "mail")],
                               stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client = smtplib.SMTP("127.0.0.1", smtp_port, timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "the catcher did not start"
                time.sleep(0.1)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@regionet.localhost", "b@example.org", "Zaproszenie"
        message.set_content("Otwórz link: http://127.0.0.1:5000/invitations/x")
        client.send_message(message)
        client.quit()
        listing = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/", timeout=5).read().decode()
        assert "Zaproszenie" in listing and "b@example.org" in listing
        name = listing.split("href='/")[1].split("'")[0]
        page = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/{name}", timeout=5).read().decode()
        assert "Otwórz link: http://127.0.0.1:5000/invitations/x" in page
    finally:
        catcher.terminate()
        output, _ = catcher.communicate(timeout=10)
    assert "mail to b@example.org: Zaproszenie" in output and "Otwórz link" in output


def test_the_operator_checks_the_smtp_settings_with_a_test_message(app, mailbox, runner):
    result = runner.invoke(args=["mail", "test", "operator@example.org"])
    assert result.exit_code == 0 and "sent: operator@example.org" in result.output
    [message] = mailbox.to("operator@example.org")
    assert message["Subject"] == "Wiadomość testowa" and "Ustawienia poczty działają" in text_of(message)
    mailbox.refuse_for_good = True
    assert runner.invoke(args=["mail", "test", "operator@example.org"]).exit_code == 1
