"""Job: deliver one stored e-mail (platform/mail), retried on temporary SMTP failures."""
import logging
from datetime import timedelta

from regionet.platform.extensions import db
from regionet.platform.mail.delivery import deliver, mark_failed

from ..context import drop_inherited_connections, failure_reason, outage, unless_unavailable, will_retry, worker_app

log = logging.getLogger(__name__)

OUTAGE_RETRY = timedelta(minutes=5)   # a message out of attempts while PostgreSQL is away is tried again then


def deliver_mail(mail_id: int) -> str:
    with worker_app().app_context():
        drop_inherited_connections()
        try:
            return deliver(int(mail_id))
        finally:
            db.session.remove()


def delivery_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """Out of retries (or killed for good): the message is marked failed for the operator. Out of retries because
    PostgreSQL is away, which also keeps that from being recorded: its delivery is booked again (the row says
    "queued" or "retrying" meanwhile), so the message goes once the database is back and never sits unseen."""
    if will_retry(job):
        return
    if outage(exc_value) == "PostgreSQL":
        from regionet.platform.mail.services import enqueue_delivery

        with worker_app().app_context():
            if enqueue_delivery(int(job.args[0]), later=OUTAGE_RETRY):
                log.warning("job %s: mail %s booked again in %s, the database being unavailable", job.id,
                            job.args[0], OUTAGE_RETRY)
        return
    with worker_app().app_context(), unless_unavailable(f"the failure of job {job.id}"):
        try:
            mark_failed(int(job.args[0]), failure_reason(exc_type, exc_value))
        finally:
            db.session.remove()
