"""Job: deliver one stored e-mail (platform/mail), retried on temporary SMTP failures."""
from regionet.platform.extensions import db
from regionet.platform.mail.delivery import deliver, mark_failed

from ..context import drop_inherited_connections, failure_reason, unless_unavailable, will_retry, worker_app


def deliver_mail(mail_id: int) -> str:
    with worker_app().app_context():
        drop_inherited_connections()
        try:
            return deliver(int(mail_id))
        finally:
            db.session.remove()


def delivery_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """Out of retries (or killed for good): the message is marked failed for the operator."""
    if will_retry(job):
        return
    with worker_app().app_context(), unless_unavailable(f"the failure of job {job.id}"):
        try:
            mark_failed(int(job.args[0]), failure_reason(exc_type, exc_value))
        finally:
            db.session.remove()
