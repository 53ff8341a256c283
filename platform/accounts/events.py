"""The accounts' trail: sign-ins, lockouts, second factors, invitations and staff changes.

Append-only for the runtime role (like the access trail). An institution's administrators
read the entries of their institution; every person reads their own on the account page.
"""
import enum
from datetime import UTC, datetime

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import Timestamp
from ..extensions import db
from .models import User


class EventKind(enum.StrEnum):
    SIGNED_IN = "signed_in"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    LOCKED_OUT = "locked_out"
    SECOND_FACTOR_ENABLED = "2fa_enabled"
    SECOND_FACTOR_DISABLED = "2fa_disabled"
    SECOND_FACTOR_RESET = "2fa_reset"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    SECOND_FACTOR_REQUIRED = "2fa_required"
    INVITATION_SENT = "invitation_sent"
    INVITATION_CANCELLED = "invitation_cancelled"
    INVITATION_ACCEPTED = "invitation_accepted"
    ROLE_CHANGED = "role_changed"
    MEMBER_SUSPENDED = "member_suspended"
    MEMBER_REACTIVATED = "member_reactivated"
    MEMBER_REMOVED = "member_removed"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    THRESHOLDS_CHANGED = "thresholds_changed"     # written by figures_api.set_region_thresholds (migration 0015)


EVENT_LABELS = {
    EventKind.SIGNED_IN: _l("Signed in"),
    EventKind.PASSWORD_CHANGED: _l("Password changed"),
    EventKind.PASSWORD_RESET: _l("Password set from an e-mailed link"),
    EventKind.SIGNED_OUT_EVERYWHERE: _l("Signed out everywhere"),
    EventKind.LOCKED_OUT: _l("Sign-in locked after failed attempts"),
    EventKind.SECOND_FACTOR_ENABLED: _l("Second factor turned on"),
    EventKind.SECOND_FACTOR_DISABLED: _l("Second factor turned off"),
    EventKind.SECOND_FACTOR_RESET: _l("Second factor reset"),
    EventKind.RECOVERY_CODE_USED: _l("Signed in with a recovery code"),
    EventKind.RECOVERY_CODES_RENEWED: _l("New recovery codes"),
    EventKind.SECOND_FACTOR_REQUIRED: _l("Second factor requirement changed"),
    EventKind.INVITATION_SENT: _l("Invitation sent"),
    EventKind.INVITATION_CANCELLED: _l("Invitation cancelled"),
    EventKind.INVITATION_ACCEPTED: _l("Invitation accepted"),
    EventKind.ROLE_CHANGED: _l("Role changed"),
    EventKind.MEMBER_SUSPENDED: _l("Access suspended"),
    EventKind.MEMBER_REACTIVATED: _l("Access restored"),
    EventKind.MEMBER_REMOVED: _l("Removed from the institution"),
    EventKind.ACCOUNT_DISABLED: _l("Account disabled"),
    EventKind.ACCOUNT_ENABLED: _l("Account enabled"),
    EventKind.THRESHOLDS_CHANGED: _l("Disclosure thresholds changed"),
}


class AccountEvent(db.Model):
    __tablename__ = "account_events"
    __table_args__ = (Index("ix_account_events_institution_id_at", "institution_id", "at"),
                      Index("ix_account_events_user_id_at", "user_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp())
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))     # whom it concerns
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))    # who did it
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    region_code: Mapped[str | None] = mapped_column(String(2))
    # What changed, e.g. {"role": ["staff", "admin"]} or {"email": "..."} for an invitation.
    detail: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    @property
    def label(self) -> str:
        try:
            return str(EVENT_LABELS[EventKind(self.kind)])
        except ValueError:
            return self.kind


def record_event(kind: EventKind, *, user_id: int | None = None, actor_id: int | None = None,
                 institution_id: int | None = None, region_code: str | None = None,
                 detail: dict | None = None) -> AccountEvent:
    """Add one entry to the trail, in the caller's transaction (it commits with the change)."""
    event = AccountEvent(at=datetime.now(UTC), kind=kind.value, user_id=user_id, actor_id=actor_id,
                         institution_id=institution_id, region_code=region_code, detail=detail,
                         ip_address=(request.remote_addr or None) if has_request_context() else None)
    db.session.add(event)
    return event
