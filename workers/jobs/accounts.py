"""Jobs of the accounts: password reset requests and lockout notices.

The web request only queues them, so that it answers alike, and as fast, whether the
address belongs to an account or not; the job finds out and sends mail (platform/mail).
"""
from datetime import datetime

from regionet.platform.extensions import db

from ..context import drop_inherited_connections, worker_app


def request_password_reset(email: str, address: str | None) -> str:
    from regionet.platform.accounts.password_reset import do_request_password_reset

    with worker_app().app_context():
        drop_inherited_connections()
        try:
            return "sent" if do_request_password_reset(email, address) else "nothing to send"
        finally:
            db.session.remove()


def notify_lockout(email: str, address: str | None, locked_until: str) -> str:
    from regionet.platform.accounts.notices import do_notify_lockout

    with worker_app().app_context():
        drop_inherited_connections()
        try:
            return "sent" if do_notify_lockout(email, address, datetime.fromisoformat(locked_until)) \
                else "no such account"
        finally:
            db.session.remove()
