"""Individual plans: the social contract (kontrakt socjalny), the PUP's individual action plan
(IPD) and the CIS's individual social-employment programme (IPZS), as one model with its kind.

A plan has its parties (the person, the case worker, others), goals, each side's obligations,
steps with dates and owners, review dates, amendments (each one a new version; the content
before it is kept whole), a result and an end. When it is tied to an enrolment, its support is
an episode of that enrolment and its result an outcome (`PlanRecord` links them), so the
project's indicators count it. The signed scan is an attachment.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.tenants.participants.models import Participant
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, SupportEpisode


class PlanKind(enum.StrEnum):
    SOCIAL_CONTRACT = "social_contract"   # kontrakt socjalny (ustawa o pomocy społecznej, art. 108)
    IPD = "ipd"                           # indywidualny plan działania (PUP)
    IPZS = "ipzs"                         # indywidualny program zatrudnienia socjalnego (CIS)

    @property
    def instrument(self) -> Instrument:
        return PLAN_INSTRUMENTS[self]


PLAN_INSTRUMENTS = {PlanKind.SOCIAL_CONTRACT: Instrument.SOCIAL_CONTRACT,
                    PlanKind.IPD: Instrument.INDIVIDUAL_ACTION_PLAN, PlanKind.IPZS: Instrument.CIS}


class PlanResult(enum.StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    BROKEN_OFF = "broken_off"             # ended early: obligations not kept, or the person left


# The fields an amendment may change; their values before it are kept in PlanAmendment.previous.
AMENDABLE = ("number", "other_parties", "planned_end_date", "goals", "institution_obligations",
             "participant_obligations", "case_worker_id")


class IndividualPlan(TenantScoped, db.Model):
    __tablename__ = "individual_plans"
    __url_arg__ = "plan_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants", ondelete="RESTRICT"),
        tenant_foreign_key("enrolment_id", "enrolments", ondelete="RESTRICT"),
        tenant_foreign_key("signed_scan_id", "attachments", ondelete="RESTRICT"),
        CheckConstraint("planned_end_date >= start_date", name="end_after_start"),
        CheckConstraint("ended_on IS NULL OR ended_on >= start_date", name="ended_after_start"),
        CheckConstraint("(ended_on IS NULL) = (result IS NULL)", name="result_with_end"),
        Index("ix_individual_plans_tenant_participant", "tenant_id", "participant_id"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    enrolment_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind, "plan_kind"))
    number: Mapped[str | None] = mapped_column(String(60))
    case_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    other_parties: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date] = mapped_column(Date)
    goals: Mapped[str] = mapped_column(Text)
    institution_obligations: Mapped[str] = mapped_column(Text)
    participant_obligations: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    ended_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[PlanResult | None] = mapped_column(str_enum(PlanResult, "plan_result"))
    result_note: Mapped[str | None] = mapped_column(Text)
    signed_scan_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    participant: Mapped[Participant] = relationship(lazy="joined", overlaps="enrolment")
    enrolment: Mapped[Enrolment | None] = relationship(lazy="joined", overlaps="participant")
    case_worker = relationship("User", lazy="joined")
    # Only signed_scan_id follows the scan (tenant_id is part of the primary key).
    signed_scan = relationship("Attachment", lazy="joined", foreign_keys=[signed_scan_id],
                               primaryjoin="and_(IndividualPlan.tenant_id == Attachment.tenant_id, "
                                           "IndividualPlan.signed_scan_id == Attachment.id)")
    steps = relationship("PlanStep", back_populates="plan", cascade="all, delete-orphan",
                         order_by="(PlanStep.due_on, PlanStep.id)")
    reviews = relationship("PlanReview", back_populates="plan", cascade="all, delete-orphan",
                           order_by="(PlanReview.due_on, PlanReview.id)")
    amendments = relationship("PlanAmendment", back_populates="plan", cascade="all, delete-orphan",
                              order_by="PlanAmendment.version")
    records = relationship("PlanRecord", back_populates="plan", cascade="all, delete-orphan")

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None


class PlanStep(TenantScoped, db.Model):
    __tablename__ = "plan_steps"
    __url_arg__ = "step_id"
    __audited__ = True
    __table_args__ = (tenant_foreign_key("plan_id", "individual_plans", ondelete="CASCADE"),
                      Index("ix_plan_steps_tenant_plan", "tenant_id", "plan_id"))

    plan_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[IndividualPlan] = relationship(back_populates="steps")


class PlanReview(TenantScoped, db.Model):
    __tablename__ = "plan_reviews"
    __url_arg__ = "review_id"
    __audited__ = True
    __table_args__ = (tenant_foreign_key("plan_id", "individual_plans", ondelete="CASCADE"),
                      Index("ix_plan_reviews_tenant_due", "tenant_id", "due_on"))

    plan_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    due_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[IndividualPlan] = relationship(back_populates="reviews")


class PlanAmendment(TenantScoped, db.Model):
    """Version `version` of the plan began with this amendment; `previous` is the content before it."""

    __tablename__ = "plan_amendments"
    __table_args__ = (tenant_foreign_key("plan_id", "individual_plans", ondelete="CASCADE"),
                      UniqueConstraint("tenant_id", "plan_id", "version", name="uq_plan_amendments_version"))

    plan_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    version: Mapped[int] = mapped_column(Integer)
    made_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    previous: Mapped[dict] = mapped_column(JSON)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[IndividualPlan] = relationship(back_populates="amendments")

    @property
    def previous_planned_end(self) -> date | None:
        value = (self.previous or {}).get("planned_end_date")
        return date.fromisoformat(value) if value else None


class PlanRecord(TenantScoped, db.Model):
    """The plan's support episode or its result's outcome; goes when either side goes."""

    __tablename__ = "plan_records"
    __table_args__ = (
        tenant_foreign_key("plan_id", "individual_plans", ondelete="CASCADE"),
        tenant_foreign_key("episode_id", "support_episodes", ondelete="CASCADE"),
        tenant_foreign_key("outcome_id", "outcomes", ondelete="CASCADE"),
        CheckConstraint("(episode_id IS NULL) <> (outcome_id IS NULL)", name="one_record"),
        Index("ix_plan_records_tenant_plan", "tenant_id", "plan_id"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    episode_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    outcome_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)

    plan: Mapped[IndividualPlan] = relationship(back_populates="records", overlaps="episode,outcome")
    episode: Mapped[SupportEpisode | None] = relationship(lazy="joined", overlaps="plan,outcome,records")
    outcome: Mapped[Outcome | None] = relationship(lazy="joined", overlaps="plan,episode,records")
