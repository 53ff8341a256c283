"""Writing a message: render it now, store it, and let a worker send it after the commit."""
import logging
from datetime import UTC, datetime, timedelta
from email.utils import formataddr, parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

from ..extensions import db
from .models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)
_PENDING = "regionet.mail_pending"
DELIVERY_JOB = "regionet.workers.jobs.mail.deliver_mail"


def send_mail(to: str, template: str, *, context: dict | None = None, institution=None,
              user_id: int | None = None, locale: str | None = None, reply_to: str | None = None,
              contains_secret: bool = False) -> OutgoingMail:
    """Queue one e-mail; it is sent by a worker once the caller's transaction commits.

    `template` names a Jinja template `mail/<template>.txt` in any template folder (a domain
    module's `templates/mail/...`). It extends `mail/layout.txt` and defines two blocks:
    `subject` (one line) and `body` (plain text). The context has `institution` (or None), the
    caller's `context`, and links should be built with `url_for(..., _external=True)`: they
    point at PUBLIC_BASE_URL, never at whatever Host a request carried. The message is written
    in `locale` (default Polish); with `institution`, its name is the sender's display name and
    closes the message.

    Nothing is sent if the transaction rolls back. Delivery is retried on temporary SMTP
    failures (MAIL_RETRY_INTERVALS); a message refused for good, or out of retries, is marked
    `failed` and shown to the operator, who can send it again. `contains_secret` (sign-in,
    reset or invitation links) clears the body once the message is sent.
    """
    subject, body = render_message(template, {**(context or {}), "institution": institution}, locale or "pl")
    sender_name, sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    if institution is not None:
        sender_name = f"{institution.short_name or institution.name} · {sender_name or 'Regionet'}"
    message = OutgoingMail(kind=template[:60], to_address=to.strip(), subject=subject[:300], body_text=body,
                           from_address=formataddr((sender_name, sender_address)), reply_to=reply_to,
                           contains_secret=contains_secret,
                           institution_id=institution.id if institution is not None else None,
                           user_id=user_id, status=MailStatus.QUEUED, created_at=datetime.now(UTC))
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(message.id)
    return message


def render_message(template: str, context: dict, locale: str) -> tuple[str, str]:
    """(subject, body) of `mail/<template>.txt`, with links on PUBLIC_BASE_URL."""
    app = current_app._get_current_object()
    base_url = app.config["PUBLIC_BASE_URL"].rstrip("/")
    with app.test_request_context("/", base_url=base_url), force_locale(locale):
        jinja_template = app.jinja_env.get_template(f"mail/{template}.txt")
        app.update_template_context(context)
        block_context = jinja_template.new_context(context)
        subject = " ".join("".join(jinja_template.blocks["subject"](block_context)).split())
        body = jinja_template.render(context)
    return subject, body.strip() + "\n"


def enqueue_delivery(mail_id: int, later: timedelta | None = None) -> bool:
    """Hand a stored message to the workers (`later`: after that wait, with its retries afresh); False when
    Redis could not take it (it stays queued, and `flask mail send-pending` or the operator's console queue
    it again)."""
    from rq import Callback, Retry

    from regionet.workers.queues import MAIL, get_queue

    intervals = list(current_app.config["MAIL_RETRY_INTERVALS"])
    options = dict(retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
                   job_timeout=120, result_ttl=3600, failure_ttl=7 * 24 * 3600,
                   on_failure=Callback("regionet.workers.jobs.mail.delivery_failed"))
    try:
        queue = get_queue(MAIL)
        if later is None:
            queue.enqueue(DELIVERY_JOB, mail_id, **options)
        else:
            queue.enqueue_in(later, DELIVERY_JOB, mail_id, **options)
    except Exception:  # noqa: BLE001 - Redis down: the row stays queued, nothing is lost
        log.exception("could not queue mail %s", mail_id)
        return False
    return True


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    for mail_id in pending or ():
        enqueue_delivery(mail_id)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session) -> None:
    session.info.pop(_PENDING, None)


def do_requeue_mail(statuses=(MailStatus.QUEUED, MailStatus.FAILED), older_than_seconds: int = 0) -> int:
    """Queue again the messages in `statuses` (written over `older_than_seconds` ago); returns how many."""
    cutoff = datetime.now(UTC) - timedelta(seconds=older_than_seconds)
    rows = db.session.execute(select(OutgoingMail).where(
        OutgoingMail.status.in_(list(statuses)), OutgoingMail.created_at <= cutoff)).scalars().all()
    for row in rows:
        row.status = MailStatus.QUEUED
    db.session.commit()
    return sum(1 for row in rows if enqueue_delivery(row.id))
