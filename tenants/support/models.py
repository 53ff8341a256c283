"""Enrolments of participants in projects, the support they received, and their outcomes."""
import enum
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Numeric, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.tenants.participants.models import LabourStatus, Participant
from regionet.tenants.projects.models import Project


class Instrument(enum.StrEnum):
    """The catalogue of active-integration and labour-market instruments."""

    INTERNSHIP = "internship"                      # staż
    SOCIALLY_USEFUL_WORK = "socially_useful_work"  # prace społecznie użyteczne (PSU)
    KIS = "kis"                                    # klub integracji społecznej
    CIS = "cis"                                    # centrum integracji społecznej
    VOCATIONAL_COURSE = "vocational_course"
    FAMILY_ASSISTANT = "family_assistant"
    DISABILITY_ASSISTANT = "disability_assistant"
    SPECIALIST_COUNSELLING = "specialist_counselling"
    SOCIAL_CONTRACT = "social_contract"            # kontrakt socjalny
    INDIVIDUAL_ACTION_PLAN = "individual_action_plan"  # IPD
    ACTIVATION_PROGRAMME = "activation_programme"  # PAI
    LOCAL_ACTIVITY_PROGRAMME = "local_activity_programme"  # PAL
    TUTORING = "tutoring"
    ART_THERAPY = "art_therapy"
    OTHER = "other"


class OutcomeKind(enum.StrEnum):
    EMPLOYMENT_CONTRACT = "employment_contract"
    CIVIL_CONTRACT = "civil_contract"
    SELF_EMPLOYMENT = "self_employment"
    INTERNSHIP_TO_JOB = "internship_to_job"
    INDEPENDENT_OF_ASSISTANCE = "independent_of_assistance"
    QUALIFICATION = "qualification"
    STARTED_EDUCATION = "started_education"
    CARE_LEAVER_INDEPENDENT = "care_leaver_independent"
    STEPS_TOWARD_WORK = "steps_toward_work"

    @property
    def is_employment(self) -> bool:
        return self in EMPLOYMENT_OUTCOMES


class ExitSituation(enum.StrEnum):
    """The person's situation on leaving the project (ESF participant file)."""

    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    JOB_SEEKING = "job_seeking"
    IN_EDUCATION = "in_education"
    INACTIVE = "inactive"


class ExitReason(enum.StrEnum):
    COMPLETED = "completed"          # as planned
    LEFT_FOR_JOB = "left_for_job"    # early, having found work
    LEFT_EARLY = "left_early"        # early, for another reason


EMPLOYMENT_OUTCOMES = frozenset({OutcomeKind.EMPLOYMENT_CONTRACT, OutcomeKind.CIVIL_CONTRACT,
                                 OutcomeKind.SELF_EMPLOYMENT, OutcomeKind.INTERNSHIP_TO_JOB})
IMMEDIATE_RESULT_WINDOW = timedelta(weeks=4)   # ESF immediate results: within 4 weeks of leaving
LONGER_TERM_RESULT_MONTHS = 6                  # ESF+ longer-term results: by 6 months


class Enrolment(TenantScoped, db.Model):
    """A participant in a project, from entry to exit."""

    __tablename__ = "enrolments"
    __url_arg__ = "enrolment_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("project_id", "projects", ondelete="RESTRICT"),
        tenant_foreign_key("participant_id", "participants", ondelete="RESTRICT"),
        UniqueConstraint("tenant_id", "project_id", "participant_id", name="uq_enrolments_once_per_project"),
        CheckConstraint("exit_date IS NULL OR exit_date >= entry_date", name="exit_after_entry"),
        Index("ix_enrolments_tenant_participant", "tenant_id", "participant_id"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    entry_date: Mapped[date] = mapped_column(Date)
    exit_date: Mapped[date | None] = mapped_column(Date)
    status_at_entry: Mapped[LabourStatus] = mapped_column(str_enum(LabourStatus, "enrolment_status_at_entry"))
    exit_situation: Mapped[ExitSituation | None] = mapped_column(str_enum(ExitSituation, "enrolment_exit_situation"))
    exit_reason: Mapped[ExitReason | None] = mapped_column(str_enum(ExitReason, "enrolment_exit_reason"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    project: Mapped[Project] = relationship(lazy="joined", overlaps="participant")
    participant: Mapped[Participant] = relationship(lazy="joined", overlaps="project")
    episodes = relationship("SupportEpisode", back_populates="enrolment", cascade="all, delete-orphan",
                            order_by="SupportEpisode.start_date", overlaps="outcomes")
    outcomes = relationship("Outcome", back_populates="enrolment", cascade="all, delete-orphan",
                            order_by="Outcome.achieved_on", overlaps="episodes")


class SupportEpisode(TenantScoped, db.Model):
    """One form of support given to an enrolled participant."""

    __tablename__ = "support_episodes"
    __url_arg__ = "episode_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("enrolment_id", "enrolments", ondelete="CASCADE"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_positive"),
        Index("ix_support_episodes_tenant_enrolment", "tenant_id", "enrolment_id"),
        Index("ix_support_episodes_tenant_instrument", "tenant_id", "instrument"),
    )

    enrolment_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, "support_instrument"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))
    notes: Mapped[str | None] = mapped_column(Text)

    enrolment: Mapped[Enrolment] = relationship(back_populates="episodes", overlaps="outcomes")


class Outcome(TenantScoped, db.Model):
    """A result a participant achieved, with its date and the evidence behind it."""

    __tablename__ = "outcomes"
    __url_arg__ = "outcome_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("enrolment_id", "enrolments", ondelete="CASCADE"),
        Index("ix_outcomes_tenant_enrolment", "tenant_id", "enrolment_id"),
        Index("ix_outcomes_tenant_kind", "tenant_id", "kind"),
    )

    enrolment_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    kind: Mapped[OutcomeKind] = mapped_column(str_enum(OutcomeKind, "outcome_kind"))
    achieved_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)

    enrolment: Mapped[Enrolment] = relationship(back_populates="outcomes", overlaps="episodes")

    @property
    def within_four_weeks_of_exit(self) -> bool | None:
        exit_date = self.enrolment.exit_date
        if exit_date is None:
            return None
        return self.achieved_on <= exit_date + IMMEDIATE_RESULT_WINDOW

    @property
    def within_six_months_of_exit(self) -> bool | None:
        exit_date = self.enrolment.exit_date
        if exit_date is None:
            return None
        return self.achieved_on <= _add_months(exit_date, LONGER_TERM_RESULT_MONTHS)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)
