"""An institution's figure facts: what the coordinator's counts are built from.

One row per participant supported in a summarised period (with the person's
pseudonymous key and the attributes the breakdowns need) and one per participant,
period and instrument or outcome kind. They are tenant-owned (row-level security on
tenant_id); only the aggregate role reads them across the region's institutions.

They are a snapshot, not a view: rows of a reporting period the institution has
submitted stay as they were when submitted, whatever happens to the records later
(so they have no foreign key to participants: deleting a person does not rewrite an
accepted report). Only counts leave this table.
"""
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from regionet.platform.db_types import Timestamp
from regionet.platform.extensions import db
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode


class FigureParticipation(db.Model):
    __tablename__ = "figure_participations"
    __table_args__ = (Index("ix_figure_participations_period", "period_key", "tenant_id"),
                      # anonymising one person rewrites their person key in every period (0020d)
                      Index("ix_figure_participations_participant", "tenant_id", "participant_id"))

    tenant_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True)
    # The PESEL pseudonym, or "p:<participant id>" for a person without PESEL (counted on their own).
    person_key: Mapped[str] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(10))
    age_band: Mapped[str] = mapped_column(String(8))
    disability: Mapped[str] = mapped_column(String(10))
    commune_code: Mapped[str | None] = mapped_column(String(7))
    exited: Mapped[bool] = mapped_column(Boolean)        # left a project in the period
    employed: Mapped[bool] = mapped_column(Boolean)      # ... with a job within 4 weeks of leaving


class FigureActivity(db.Model):
    __tablename__ = "figure_activities"
    __table_args__ = (Index("ix_figure_activities_period", "period_key", "tenant_id"),)

    tenant_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)       # "episode" or "outcome"
    category: Mapped[str] = mapped_column(String(40), primary_key=True)   # instrument or outcome kind
    n: Mapped[int] = mapped_column(Integer)


class FigureFactBuild(db.Model):
    """When an institution's facts of a period were last written, and from which records.

    `records_version` is the institution's records version (tenants/tallies) read before the
    facts were built: while it is still the current one, rebuilding would write the same
    rows, so a report's recount skips the institution (platform/coordinator/freshness.py).
    """

    __tablename__ = "figure_fact_builds"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    records_version: Mapped[int] = mapped_column(BigInteger)
    built_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())


# Indexes the facts builder needs on the workspace tables (created by migration 0006).
Index("ix_support_episodes_tenant_start", SupportEpisode.tenant_id, SupportEpisode.start_date)
Index("ix_outcomes_tenant_achieved", Outcome.tenant_id, Outcome.achieved_on)
Index("ix_enrolments_tenant_exit", Enrolment.tenant_id, Enrolment.exit_date)
