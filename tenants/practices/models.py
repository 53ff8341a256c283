"""Good-practice entries of an institution and their versions.

A practice is a sequence of versions. Only a DRAFT is ever edited; a version leaves the
draft state once (submitted) and is frozen from then on, so the version the coordinator
approved stays exactly as approved while the institution edits the next draft.
"""
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key


class VersionState(enum.StrEnum):
    DRAFT = "draft"            # edited by the institution
    SUBMITTED = "submitted"    # waiting for the coordinator's review; frozen
    RETURNED = "returned"      # sent back with the coordinator's comments; frozen (a new draft continues it)
    PUBLISHED = "published"    # approved: the region's catalogue shows exactly this version
    SUPERSEDED = "superseded"  # was published, replaced by a newer approved version
    WITHDRAWN = "withdrawn"    # was published, then taken out of the catalogue by the institution

    @property
    def is_frozen(self) -> bool:
        return self is not VersionState.DRAFT


OPEN_STATES = (VersionState.DRAFT, VersionState.SUBMITTED)


class TargetGroup(enum.StrEnum):
    """Who a practice is for (aggregated groups, never people)."""

    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    UNEMPLOYED = "unemployed"
    AGED_50_PLUS = "aged_50_plus"
    YOUNG_PEOPLE = "young_people"
    PEOPLE_WITH_DISABILITIES = "people_with_disabilities"
    SOCIAL_ASSISTANCE_CLIENTS = "social_assistance_clients"
    FAMILIES = "families"
    HOMELESS = "homeless"
    CARE_LEAVERS = "care_leavers"
    WORKSHOP_PARTICIPANTS = "workshop_participants"  # uczestnicy WTZ
    LOCAL_COMMUNITY = "local_community"
    OTHER = "other"


class Practice(TenantScoped, db.Model):
    """One good practice of the institution; its content lives in its versions."""

    __tablename__ = "practices"
    __url_arg__ = "practice_id"

    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    versions = relationship("PracticeVersion", back_populates="practice", order_by="PracticeVersion.number",
                            cascade="all, delete-orphan", lazy="selectin")

    @property
    def latest(self) -> "PracticeVersion":
        return self.versions[-1]

    @property
    def draft(self) -> "PracticeVersion | None":
        return next((v for v in self.versions if v.state is VersionState.DRAFT), None)

    @property
    def submitted(self) -> "PracticeVersion | None":
        return next((v for v in self.versions if v.state is VersionState.SUBMITTED), None)

    @property
    def published(self) -> "PracticeVersion | None":
        return next((v for v in self.versions if v.state is VersionState.PUBLISHED), None)


class PracticeVersion(TenantScoped, db.Model):
    """The full text of one version of a practice (structure: domain brief, section 5)."""

    __tablename__ = "practice_versions"
    __url_arg__ = "version_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("practice_id", "practices", ondelete="CASCADE"),
        tenant_foreign_key("project_id", "projects", ondelete="RESTRICT"),
        UniqueConstraint("tenant_id", "practice_id", "number", name="uq_practice_versions_number"),
        # At most one open version (draft or submitted) and one published version per practice.
        Index("uq_practice_versions_open", "tenant_id", "practice_id", unique=True,
              postgresql_where=text("state IN ('draft', 'submitted')")),
        Index("uq_practice_versions_published", "tenant_id", "practice_id", unique=True,
              postgresql_where=text("state = 'published'")),
        CheckConstraint("period_end IS NULL OR period_end >= period_start", name="period_order"),
        CheckConstraint("target_group_size IS NULL OR target_group_size >= 0", name="group_size_positive"),
        CheckConstraint("funding_total IS NULL OR funding_eu IS NULL OR funding_own IS NULL"
                        " OR funding_eu + funding_own = funding_total", name="funding_adds_up"),
    )

    practice_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    number: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[VersionState] = mapped_column(str_enum(VersionState, "practice_version_state", 12))

    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    problem: Mapped[str | None] = mapped_column(Text)
    local_figures: Mapped[str | None] = mapped_column(Text)
    target_group_description: Mapped[str | None] = mapped_column(Text)
    target_group_size: Mapped[int | None] = mapped_column(Integer)
    target_groups: Mapped[list] = mapped_column(JSON, default=list)   # TargetGroup values
    instruments: Mapped[list] = mapped_column(JSON, default=list)     # tenants.support.models.Instrument values
    cooperation: Mapped[str | None] = mapped_column(Text)
    funding_source: Mapped[str | None] = mapped_column(String(40))    # a key of FUNDING_SOURCES
    funding_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    funding_eu: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    funding_own: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # The project whose records give the results (indicators are computed, never typed in).
    project_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    results_narrative: Mapped[str | None] = mapped_column(Text)
    success_factors: Mapped[str | None] = mapped_column(Text)
    barriers: Mapped[str | None] = mapped_column(Text)
    sustainability: Mapped[str | None] = mapped_column(Text)
    transferability: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))

    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The region-level copy the coordinator reviews (platform.practices.models.PracticeSubmission).
    submission_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    review_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())

    practice = relationship(Practice, back_populates="versions")
    project = relationship("Project", lazy="joined", overlaps="practice,versions")
    partners = relationship("PracticePartner", back_populates="version", order_by="PracticePartner.position",
                            cascade="all, delete-orphan", lazy="selectin")
    photos = relationship("PracticePhoto", back_populates="version", order_by="PracticePhoto.position",
                          cascade="all, delete-orphan", lazy="selectin")
    sources = relationship("PracticeSource", back_populates="version", order_by="PracticeSource.position",
                           cascade="all, delete-orphan", lazy="selectin")


class PracticePartner(TenantScoped, db.Model):
    """A partner organisation named in a version, with its role in the cooperation."""

    __tablename__ = "practice_partners"
    __table_args__ = (
        tenant_foreign_key("version_id", "practice_versions", ondelete="CASCADE"),
        tenant_foreign_key("partner_id", "partner_organisations", ondelete="RESTRICT"),
        UniqueConstraint("tenant_id", "version_id", "partner_id", name="uq_practice_partners_once"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    partner_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    role: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    version = relationship(PracticeVersion, back_populates="partners", overlaps="partner")
    partner = relationship("PartnerOrganisation", lazy="joined", overlaps="version,partners")


class PracticePhoto(TenantScoped, db.Model):
    """A photo of a version; the image itself is an attachment (checked and re-encoded on upload)."""

    __tablename__ = "practice_photos"
    __url_arg__ = "photo_id"
    __table_args__ = (
        tenant_foreign_key("version_id", "practice_versions", ondelete="CASCADE"),
        tenant_foreign_key("attachment_id", "attachments", ondelete="RESTRICT"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    attachment_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    caption: Mapped[str] = mapped_column(String(300))   # also the image's text alternative
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    version = relationship(PracticeVersion, back_populates="photos", overlaps="attachment")
    attachment = relationship("Attachment", lazy="joined", overlaps="version,photos")


class SourceKind(enum.StrEnum):
    """What a practice can cite as where it came from (issue 16, point 5)."""

    GROUP = "group"            # a working group (tenants/groups)
    MEETING = "meeting"        # one meeting of a group
    AGREEMENT = "agreement"    # a cooperation agreement (tenants/partners)


class PracticeSource(TenantScoped, db.Model):
    """A working group, meeting or agreement a version cites, kept per version.

    The cited row may be another institution's (a group it was invited to), so there is no foreign
    key to it: the citation keeps its own copy of the title, context and day as they were when cited
    (like a bibliography entry), and the owner's tenant and the row's id so the form can show it
    chosen again. A new version copies its citations; a frozen version's never change."""

    __tablename__ = "practice_sources"
    __table_args__ = (
        tenant_foreign_key("version_id", "practice_versions", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "version_id", "kind", "source_tenant_id", "source_id",
                         name="uq_practice_sources_once"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "practice_source_kind", 10))
    source_tenant_id: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    title: Mapped[str] = mapped_column(String(300))
    context: Mapped[str | None] = mapped_column(String(300))   # the group of a meeting, the parties of an agreement
    day: Mapped[date | None] = mapped_column(Date)             # a meeting's day, an agreement's signing day
    position: Mapped[int] = mapped_column(SmallInteger, default=0)

    version = relationship(PracticeVersion, back_populates="sources")

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.source_tenant_id}:{self.source_id}"
