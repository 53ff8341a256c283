"""Sending one stored message over SMTP (Flask-Mailman), as a worker's job does."""
import smtplib
from datetime import UTC, datetime

from flask import current_app
from flask_mailman import EmailMessage

from ..extensions import db, mail
from .models import MailStatus, OutgoingMail


class TemporaryMailFailure(RuntimeError):
    """The SMTP server could not take the message now; the job is retried."""


def smtp_connection():
    """A connection built from the current settings (tests and operators may change them)."""
    config = current_app.config
    return mail.get_connection(
        backend=config.get("MAIL_BACKEND") or "smtp", host=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]),
        username=config.get("MAIL_USERNAME") or None, password=config.get("MAIL_PASSWORD") or None,
        use_tls=bool(config.get("MAIL_USE_TLS")), use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=int(config.get("MAIL_TIMEOUT") or 30))


def _permanent(error: Exception) -> bool:
    """A 5xx answer (recipient or message refused) will not change by trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def deliver(mail_id: int) -> str:
    """Send the message unless it was sent already; returns its status.

    The row is locked while it is sent, so two deliveries of the same job do not both send.
    """
    row = db.session.get(OutgoingMail, mail_id, with_for_update=True)
    if row is None or row.status in (MailStatus.SENT, MailStatus.FAILED) or row.body_text is None:
        db.session.rollback()
        return "missing" if row is None else row.status.value
    row.attempts += 1
    message = EmailMessage(subject=row.subject, body=row.body_text, from_email=row.from_address,
                           to=[row.to_address], reply_to=[row.reply_to] if row.reply_to else None,
                           headers={"Auto-Submitted": "auto-generated", "X-Regionet-Mail": str(row.id)},
                           connection=smtp_connection())
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if _permanent(error):
            row.status = MailStatus.FAILED
            db.session.commit()
            return row.status.value
        row.status = MailStatus.RETRYING
        db.session.commit()
        raise TemporaryMailFailure(row.last_error) from error
    row.status, row.sent_at, row.last_error = MailStatus.SENT, datetime.now(UTC), None
    if row.contains_secret:
        row.body_text = None
    db.session.commit()
    return row.status.value


def mark_failed(mail_id: int, reason: str) -> None:
    row = db.session.get(OutgoingMail, mail_id)
    if row is not None and row.status != MailStatus.SENT:
        row.status, row.last_error = MailStatus.FAILED, reason[:2000]
        db.session.commit()
