"""The second factor: TOTP (RFC 6238, pyotp) and single-use recovery codes.

Required for the platform operator, regional coordinators and institution administrators,
and for every member of an institution (or of any institution of a region) that requires
it; optional for everyone else. A code is accepted within one 30-second step either side
of the server's clock, and only once: the step of the last accepted code is stored and
no code of that step or an earlier one is accepted again. Recovery codes are stored as
SHA-256 digests (60 random bits each) and each works once.
"""
import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp
from flask_babel import gettext as _
from sqlalchemy import BigInteger, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp
from ..extensions import db
from .models import MembershipRole, User
from .tokens import token_digest

ISSUER = "Regionet"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def clock() -> float:
    """Seconds since the epoch; the tests move it around the 30-second window."""
    return time.time()


class SecondFactor(db.Model):
    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))  # base32, shared with the authenticator app
    created_at: Mapped[datetime] = mapped_column(Timestamp())
    confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp())  # None: being set up
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(Timestamp())


def second_factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def is_enrolled(user: User) -> bool:
    factor = second_factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def requirement_reason(user: User) -> str | None:
    """Why the user must use a second factor (a sentence for them), or None when it is optional."""
    if user.is_operator:
        return _("Platform operators must use a second factor.")
    if user.coordinated_regions:
        return _("Regional coordinators must use a second factor.")
    active = [m for m in user.memberships if m.is_active]
    if any(m.role is MembershipRole.ADMIN for m in active):
        return _("Institution administrators must use a second factor.")
    if any(m.role is MembershipRole.IOD for m in active):
        return _("Data-protection officers must use a second factor.")
    for membership in active:
        if membership.institution.require_second_factor:
            return _("%(name)s requires a second factor of all its staff.", name=membership.institution.name)
        if membership.institution.region.require_second_factor:
            return _("The region %(name)s requires a second factor of all its institutions' staff.",
                     name=membership.institution.region.name)
    return None


def is_required(user: User) -> bool:
    return requirement_reason(user) is not None


def do_begin_enrolment(user: User) -> SecondFactor:
    """A new secret for the authenticator app (an earlier unconfirmed one is kept for a reload)."""
    factor = second_factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValueError("already enrolled")
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), created_at=datetime.now(UTC))
        db.session.add(factor)
        db.session.flush()
    return factor


def provisioning_uri(factor: SecondFactor, user: User) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (segno), for the authenticator app to scan."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff", border=2,
                                                 title=_("QR code for the authenticator app"))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def matching_step(factor: SecondFactor, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is (the previous, current or next one), if newer than the last used."""
    digits = _normalise(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(datetime.fromtimestamp(clock() if now is None else now, UTC))
    for step in (current - 1, current, current + 1):
        if factor.last_used_step is not None and step <= factor.last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def do_confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Confirm the app with its first code; returns the new recovery codes (None: wrong code)."""
    factor = second_factor_of(user)
    step = matching_step(factor, code) if factor is not None else None
    if step is None:
        return None
    factor.last_used_step, factor.confirmed_at = step, datetime.now(UTC)
    return do_renew_recovery_codes(user)


def do_renew_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes; the earlier ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    db.session.flush()
    return codes


def _digest(code: str) -> str:
    return token_digest(_normalise(code))


def do_verify(user: User, code: str) -> str | None:
    """Check a code at sign-in: "totp", "recovery" (a recovery code, now used up) or None."""
    factor = second_factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return None
    step = matching_step(factor, code)
    if step is not None:
        factor.last_used_step = step
        return "totp"
    if len(_normalise(code)) == 12:
        row = db.session.execute(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None)).with_for_update()).scalar_one_or_none()
        if row is not None:
            row.used_at = datetime.now(UTC)
            return "recovery"
    return None


def recovery_codes_left(user: User) -> int:
    return len(db.session.execute(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def do_remove_second_factor(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
