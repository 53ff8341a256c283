"""Consents by purpose, data subjects' requests and the retention listing.

Consents here are the one consent model of a person (a referral to another institution is one
purpose among others): each is a record with its purpose, legal basis, dates and evidence.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped
from regionet.platform.tenancy.models import tenant_foreign_key


class ConsentPurpose(enum.StrEnum):
    PROJECT = "project"                  # taking part in a project (processing for its records)
    FOLLOW_UP = "follow_up"              # contact about results after leaving the project
    PHOTO = "photo"                      # a photo in a good practice (the regional catalogue)
    REFERRAL = "referral"                # passing the person's data to another institution
    NEWSLETTER = "newsletter"            # information about the institution's offer


class ConsentBasis(enum.StrEnum):
    CONSENT = "consent"                  # art. 6(1)(a) and 9(2)(a) GDPR
    LEGAL_OBLIGATION = "legal_obligation"
    PUBLIC_TASK = "public_task"
    CONTRACT = "contract"                # art. 6(1)(b)


class Consent(TenantScoped, db.Model):
    """One consent (or other legal basis) of a person for one purpose: given, maybe withdrawn."""

    __tablename__ = "consents"
    __url_arg__ = "consent_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants", ondelete="CASCADE"),
        tenant_foreign_key("evidence_id", "attachments"),   # composite: never SET NULL
        CheckConstraint("withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after_given"),
        CheckConstraint("valid_until IS NULL OR valid_until >= given_on", name="valid_until_after_given"),
        Index("ix_consents_tenant_participant", "tenant_id", "participant_id"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, "consent_purpose", 20))
    basis: Mapped[ConsentBasis] = mapped_column(str_enum(ConsentBasis, "consent_basis", 20))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # A consent given for a limited time holds through this day; empty: until withdrawn.
    valid_until: Mapped[date | None] = mapped_column(Date)
    withdrawal_note: Mapped[str | None] = mapped_column(Text)
    # A scanned signed form (tenants/attachments); removed with the person.
    evidence_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    def active_on(self, day: date) -> bool:
        return (self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
                and (self.valid_until is None or self.valid_until >= day))


class RequestKind(enum.StrEnum):
    ACCESS = "access"                    # art. 15 (and 20: the JSON file)
    RECTIFICATION = "rectification"      # art. 16
    ERASURE = "erasure"                  # art. 17
    RESTRICTION = "restriction"          # art. 18
    OBJECTION = "objection"              # art. 21


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SubjectRequest(TenantScoped, db.Model):
    """A person's request under GDPR art. 15-21: registered, due in a month (extendable by two
    with a reason), assigned, closed with its answer."""

    __tablename__ = "subject_requests"
    __url_arg__ = "request_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants"),   # erasure unlinks it first
        CheckConstraint("due_on >= received_on", name="due_after_received"),
        Index("ix_subject_requests_tenant_due", "tenant_id", "status", "due_on"),
    )

    participant_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    requester: Mapped[str] = mapped_column(String(200))   # who asked, as they named themselves
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, "subject_request_kind", 20))
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, "subject_request_status", 10))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())


class RetentionListing(TenantScoped, db.Model):
    """A person the retention job found with every retention ended: listed first, anonymised once
    RETENTION_NOTICE_DAYS have passed (the institution sees the list meanwhile)."""

    __tablename__ = "retention_listings"
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "participant_id", name="uq_retention_listings_participant"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    retention_ended_on: Mapped[date] = mapped_column(Date)
    listed_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    anonymised_at: Mapped[datetime | None] = mapped_column(Timestamp())


class PhotoSubject(TenantScoped, db.Model):
    """A person shown in a good practice's photo: the photo may be used while their consent to the
    purpose `photo` holds; withdrawing it removes the photo (tenants/privacy/photos.py)."""

    __tablename__ = "practice_photo_people"
    __table_args__ = (
        tenant_foreign_key("photo_id", "practice_photos", ondelete="CASCADE"),
        tenant_foreign_key("participant_id", "participants", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "photo_id", "participant_id", name="uq_practice_photo_people"),
        Index("ix_practice_photo_people_participant", "tenant_id", "participant_id"),
    )

    photo_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
