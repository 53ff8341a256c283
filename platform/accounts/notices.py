"""Messages to an account holder about their account's security."""
from datetime import datetime

from ..extensions import db
from ..mail import send_mail
from .events import EventKind, record_event
from .lockout import do_forget_quiet_addresses
from .password_reset import mail_institution
from .services import get_user_by_email


def do_notify_lockout(email: str, address: str | None, locked_until: datetime) -> bool:
    """Tell the holder of `email` (if any) that sign-in was locked after failed attempts."""
    do_forget_quiet_addresses()
    user = get_user_by_email(email)
    if user is None:
        db.session.commit()
        return False
    record_event(EventKind.LOCKED_OUT, user_id=user.id, detail={"address": address,
                                                               "until": locked_until.isoformat()})
    send_mail(user.email, "accounts/locked_out", institution=mail_institution(user), user_id=user.id,
              locale=user.preferred_locale or "pl",
              context={"user": user, "address": address, "locked_until": locked_until})
    db.session.commit()
    return True
