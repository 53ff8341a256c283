"""Referrals between institutions of a region, and their events: rows shared by exactly two parties.

A referral is the sender's row (`tenant_id`) shared with the receiving institution
(`receiver_tenant_id`, `PartyShared` in tenancy/sharing.py): both read and update it, a third
institution sees nothing (ORM criterion and row-level security). It carries a copy of only what
the service's minimum data set names (`payload`), never a link into the sender's file; the
receiver's own record of the person (`receiver_participant_id`) is the receiver's row, which the
sender cannot read. Every change is an event (`referral_events`, shared the same way) with the
acting institution, person and time: the sender's record of the person shows them, dated.

States (closed loop): sent -> received -> accepted | declined -> started -> completed |
ended_early -> closed; withdrawn from any open state (by the sender, or when the consent it rests
on is withdrawn, wherever that is recorded: services.py listens to the consents' flushes; the
payload is then cleared, what the receiver recorded stays theirs).
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.platform.tenancy.sharing import PartyShared
from regionet.tenants.service_catalogue.models import ReferralBasis


class ReferralState(enum.StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STARTED = "started"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset({ReferralState.SENT, ReferralState.RECEIVED, ReferralState.ACCEPTED, ReferralState.STARTED})
WAITING_STATES = frozenset({ReferralState.SENT, ReferralState.RECEIVED})   # waiting for the receiver to accept


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class StopReason(enum.StrEnum):
    """Why a referral was declined or ended early (coded, network.md §3)."""

    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    NO_LONGER_NEEDED = "no_longer_needed"
    DROPPED_OUT = "dropped_out"
    OTHER = "other"


class Referral(PartyShared, TenantScoped, db.Model):
    __tablename__ = "referrals"
    __url_arg__ = "referral_id"
    # What the receiving institution records; the person's data, reason and legal basis are the sender's.
    __receiver_writes__ = frozenset({
        "state", "received_at", "accepted_at", "started_on", "finished_on", "escalated_at", "stop_reason",
        "stop_comment", "result", "redirect_tenant_id", "redirect_service_id", "receiver_participant_id"})
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants", ondelete="CASCADE"),
        ForeignKeyConstraint(["receiver_tenant_id", "service_id"],
                             ["catalogue_services.tenant_id", "catalogue_services.id"]),
        Index("ix_referrals_tenant_state", "tenant_id", "state"),
        Index("ix_referrals_receiver_state", "receiver_tenant_id", "state"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)   # the sender's record (erasing it erases this)
    service_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    service_name: Mapped[str] = mapped_column(String(200))       # as it was when sent
    state: Mapped[ReferralState] = mapped_column(str_enum(ReferralState, "referral_state", 20),
                                                 default=ReferralState.SENT)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "referral_urgency", 10), default=Urgency.NORMAL)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)    # exactly the service's data set
    legal_basis: Mapped[ReferralBasis] = mapped_column(str_enum(ReferralBasis, "referral_basis", 10))
    legal_reference: Mapped[str | None] = mapped_column(String(300))
    # With no statute: the person's consent (tenants/privacy `consents`, purpose "referral"; no foreign
    # key: erasing the person deletes their consents, and services.py then unlinks the referral),
    # the information notice they were given and where the signed form is kept.
    consent_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    consent_notice: Mapped[str | None] = mapped_column(String(60))
    consent_evidence: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)                    # to be accepted by then
    sent_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    received_at: Mapped[datetime | None] = mapped_column(Timestamp())
    accepted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    started_on: Mapped[date | None] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)       # completed or ended early
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp())
    escalated_at: Mapped[datetime | None] = mapped_column(Timestamp())
    stop_reason: Mapped[StopReason | None] = mapped_column(str_enum(StopReason, "referral_stop_reason", 20))
    stop_comment: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[str | None] = mapped_column(String(40))        # tenants.support.models.OutcomeKind value
    # a service the receiver suggests instead (its owner and id; a published service of the region)
    redirect_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    redirect_service_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    # the receiver's own record of the person (the sender can never read it: no key into it)
    receiver_participant_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)

    sender: Mapped[Institution] = relationship(foreign_keys="Referral.tenant_id", lazy="joined", viewonly=True)
    receiver: Mapped[Institution] = relationship(foreign_keys="Referral.receiver_tenant_id", lazy="joined",
                                                 viewonly=True)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: date) -> bool:
        return self.state in WAITING_STATES and today > self.due_on


class ReferralEvent(PartyShared, TenantScoped, db.Model):
    """One change of a referral, seen by both parties (the tenant is the referral's sender)."""

    __tablename__ = "referral_events"
    __table_args__ = (
        tenant_foreign_key("referral_id", "referrals", ondelete="CASCADE"),
        Index("ix_referral_events_referral", "tenant_id", "referral_id", "at"),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    state: Mapped[str] = mapped_column(String(20))     # the state it led to, or "escalated"
    actor_tenant_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))
    on_day: Mapped[date | None] = mapped_column(Date)  # the day it happened (start, end), when not today
    at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    actor: Mapped[Institution] = relationship(foreign_keys="ReferralEvent.actor_tenant_id", lazy="joined",
                                              viewonly=True)
