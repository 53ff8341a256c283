"""Region-level copies of good practices: what the coordinator reviews and what the catalogue shows.

Why copies. The coordinator's database role has no grant on any tenant table, and one
institution must never read another's rows. So when an institution submits a version,
the platform writes a self-contained copy of it here (text, partner names, aggregated
and already suppressed figures, photos) keyed by region. The coordinator reviews that
copy; approving it makes it the region's published entry. The catalogue every institution
of the region browses reads only these tables: a deliberate, read-only exposure of
published content, never of another tenant's private rows.

These tables carry no `tenant_id` (they are not tenant-owned): PostgreSQL lets the app
role read and write them and the coordinator role read its own region's rows only.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from uuid6 import uuid7

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"        # waiting for the coordinator
    APPROVED = "approved"      # published (or was, until a newer version replaced it)
    RETURNED = "returned"      # sent back for revision with a comment
    WITHDRAWN = "withdrawn"    # the institution took it back before a decision


class PracticeSubmission(db.Model):
    """One submitted version, frozen: the coordinator reads exactly what was sent."""

    __tablename__ = "practice_submissions"
    __table_args__ = (Index("ix_practice_submissions_region_status", "region_code", "status", "submitted_at"),)

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[uuid.UUID] = mapped_column(db.Uuid, index=True)
    version_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    version_number: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(300))
    # The entry as JSON (see tenants.practices.snapshot); person counts in it are suppressed.
    content: Mapped[dict] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[SubmissionStatus] = mapped_column(str_enum(SubmissionStatus, "submission_status", 12))
    submitted_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    submitted_by_name: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)

    photos = relationship("SubmissionPhoto", order_by="SubmissionPhoto.position", lazy="selectin",
                          cascade="all, delete-orphan")


class SubmissionPhoto(db.Model):
    """A photo sent with a submission (re-encoded JPEG or PNG, metadata stripped)."""

    __tablename__ = "practice_submission_photos"
    __table_args__ = (UniqueConstraint("submission_id", "position", name="uq_practice_submission_photos_position"),)

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practice_submissions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    caption: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class PublishedPractice(db.Model):
    """The catalogue entry of one practice: its approved submission plus current figures.

    One row per practice, kept when a newer version is approved (its id is the stable
    address of the entry); its text is the approved submission's, its figures are
    recomputed from the records (suppressed) so that they stay current.
    """

    __tablename__ = "published_practices"
    __table_args__ = (Index("ix_published_practices_region_published", "region_code", "published_at"),)

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[uuid.UUID] = mapped_column(db.Uuid, unique=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practice_submissions.id"))
    version_number: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(300))
    institution_name: Mapped[str] = mapped_column(String(250))
    institution_kind: Mapped[str] = mapped_column(String(20))
    county_code: Mapped[str] = mapped_column(String(4))
    county_name: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(Text)       # lower-cased text of the entry, for the catalogue search
    figures: Mapped[dict | None] = mapped_column(JSON)
    figures_as_of: Mapped[date | None] = mapped_column(Date)
    # The institution's records version (tenants/tallies) the figures were counted at: while it
    # is unchanged (and the day and the rules are the same) the figures are still current.
    figures_records_version: Mapped[int | None] = mapped_column(BigInteger)
    first_published_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    published_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    approved_by_name: Mapped[str | None] = mapped_column(String(200))

    submission = relationship(PracticeSubmission, lazy="joined")
    tags = relationship("PublishedPracticeTag", cascade="all, delete-orphan", lazy="selectin")


class PublishedPracticeTag(db.Model):
    """Facets the catalogue filters on: instruments and target groups of an entry."""

    __tablename__ = "published_practice_tags"
    __table_args__ = (Index("ix_published_practice_tags_facet", "region_code", "facet", "value"),)

    published_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("published_practices.id", ondelete="CASCADE"),
                                                    primary_key=True)
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)   # "instrument" or "target_group"
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
