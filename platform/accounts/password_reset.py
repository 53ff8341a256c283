"""Password reset by e-mail: a single-use link that expires (PASSWORD_RESET_LINK_SECONDS).

The web request only queues `request_password_reset` (workers/jobs/accounts.py), so the
answer and its timing are the same whether the address has an account or not. Only the
link's SHA-256 is stored; using it sets the password, marks every outstanding link of the
account used, ends every session and clears the failed sign-ins.
"""
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp
from ..extensions import db
from ..mail import send_mail
from .events import EventKind, record_event
from .models import User
from .tokens import new_token, token_digest

# One message per account at most this often, however often the form is sent.
RESEND_AFTER = timedelta(minutes=2)


class PasswordResetToken(db.Model):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp())
    expires_at: Mapped[datetime] = mapped_column(Timestamp())
    used_at: Mapped[datetime | None] = mapped_column(Timestamp())
    requested_from: Mapped[str | None] = mapped_column(String(45))


def mail_institution(user: User):
    """The institution named in the user's messages: their first active one, if any."""
    places = sorted((m.institution for m in user.memberships if m.is_active), key=lambda i: i.name)
    return places[0] if places else None


def do_request_password_reset(email: str, address: str | None) -> bool:
    """Send a reset link to an enabled account with this address; False when nothing was sent."""
    from .services import get_user_by_email

    user = get_user_by_email(email)
    if user is None or not user.is_enabled:
        return False
    now = datetime.now(UTC)
    recent = db.session.execute(select(PasswordResetToken.id).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.created_at > now - RESEND_AFTER)).first()
    if recent is not None:
        return False
    token, digest = new_token()
    lifetime = timedelta(seconds=int(current_app.config["PASSWORD_RESET_LINK_SECONDS"]))
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=digest, created_at=now,
                                      expires_at=now + lifetime, requested_from=address))
    institutions = sorted(m.institution.name for m in user.memberships if m.is_active)
    send_mail(user.email, "accounts/password_reset", institution=mail_institution(user), user_id=user.id,
              locale=user.preferred_locale or "pl", contains_secret=True,
              context={"user": user, "token": token, "minutes": int(lifetime.total_seconds() // 60),
                       "institutions": institutions, "address": address})
    db.session.commit()
    return True


def find_reset(token: str) -> PasswordResetToken | None:
    """The link's row while it can still be used (not used, not expired)."""
    row = db.session.execute(select(PasswordResetToken).where(
        PasswordResetToken.token_hash == token_digest(token))).scalar_one_or_none()
    now = datetime.now(UTC)
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def do_reset_password(token: str, password: str) -> User | None:
    """Set the password through the link, once: a second use (even concurrent) finds nothing."""
    from .lockout import do_clear_failures
    from .services import do_set_password

    now = datetime.now(UTC)
    claimed = db.session.execute(
        update(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token),
                                         PasswordResetToken.used_at.is_(None), PasswordResetToken.expires_at > now)
        .values(used_at=now).returning(PasswordResetToken.user_id)).scalar_one_or_none()
    if claimed is None:
        db.session.rollback()
        return None
    user = db.session.get(User, claimed)
    db.session.execute(update(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)).values(used_at=now))
    do_set_password(user, password)  # no session is current here: every session ends
    do_clear_failures(user.email)
    record_event(EventKind.PASSWORD_RESET, user_id=user.id, actor_id=user.id)
    send_mail(user.email, "accounts/password_changed", institution=mail_institution(user), user_id=user.id,
              locale=user.preferred_locale or "pl", context={"user": user})
    db.session.commit()
    return user
