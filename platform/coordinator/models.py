"""Region-level records of the coordinator: reporting periods and the figures summary.

`region_figures` holds published-ready counts only: every breakdown the dashboard
offers, for every summarised period, with counts below the region's threshold stored
as NULL (they never leave the database as numbers). It is written only by the
aggregate function (PostgreSQL: `figures_api.refresh_region_period`, run as the
NOLOGIN role regionet_aggregate) and read by the coordinator role for its region.
"""
import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from uuid6 import uuid7

from ..db_types import Timestamp
from ..extensions import db


class ReportingPeriod(db.Model):
    """A period the coordinator asks every institution of the region to report on."""

    __tablename__ = "reporting_periods"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period_order"),
        Index("ix_reporting_periods_region_start", "region_code", "start_date"),
        UniqueConstraint("region_code", "start_date", "end_date", name="uq_reporting_periods_dates"),
    )

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    # "rp-<hex id>": the key the figures of this period are stored under.
    period_key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())


class RegionFigure(db.Model):
    """One published-ready count: a measure for a period, by up to two dimensions."""

    __tablename__ = "region_figures"
    # The pages read a period's one-way tables and grand totals (dim_b = ''): an index that
    # skips the cross-tables, most of a period's rows (migration 0011).
    __table_args__ = (Index("ix_region_figures_one_way", "region_code", "period_key", "scope", "dim_a", "measure",
                            "key_a", postgresql_where=text("dim_b = ''"),
                            postgresql_include=["value"]),)

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)     # "all" or "accepted"
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    dim_a: Mapped[str] = mapped_column(String(20), primary_key=True)     # "" for the grand total
    key_a: Mapped[str] = mapped_column(String(80), primary_key=True)
    dim_b: Mapped[str] = mapped_column(String(20), primary_key=True)
    key_b: Mapped[str] = mapped_column(String(80), primary_key=True)
    # NULL: fewer than the threshold (withheld at the source).
    value: Mapped[int | None] = mapped_column(Integer)


class RegionFigureStatus(db.Model):
    """When the figures of a period were last computed, and with which thresholds."""

    __tablename__ = "region_figure_status"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(Timestamp())
    suppression_threshold: Mapped[int] = mapped_column(SmallInteger)
    sensitive_threshold: Mapped[int] = mapped_column(SmallInteger)
    # What the figures were counted from (coordinator/freshness.py): the same stamp means a
    # recount would write the same rows. NULL: unknown, the next request recounts.
    facts_stamp: Mapped[str | None] = mapped_column(String(64))


class RegionFigureRun(db.Model):
    """The region's refresh: when one was asked for, ran, finished or failed (and why)."""

    __tablename__ = "region_figure_runs"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"), primary_key=True)
    requested_at: Mapped[datetime | None] = mapped_column(Timestamp())
    started_at: Mapped[datetime | None] = mapped_column(Timestamp())
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp())
    failed_at: Mapped[datetime | None] = mapped_column(Timestamp())
    # Why the last attempt failed, for the server's log and the operator: never shown to the coordinator,
    # whose role may not read it (migration 0014); the page says what to do instead.
    failure_detail: Mapped[str | None] = mapped_column(Text)

    @property
    def pending(self) -> bool:
        return self.requested_at is not None and (self.finished_at is None or self.requested_at > self.finished_at)


class RegionFigurePattern(db.Model):
    """The suppression pattern of one period of a linked set (linked disclosure control, issue 11).

    Which cells of the period's figures are not published: the primary ones and their
    complements, decided for the whole linked set (a year's seven periods, or a reporting
    period). `stamp` says what it was computed from (the member periods' recounts, the
    thresholds, the algorithm): a pattern with another stamp is recomputed before use.
    Written and read by the coordinator role only (migration 0015).
    """

    __tablename__ = "region_figure_patterns"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    set_key: Mapped[str] = mapped_column(String(40))
    stamp: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(Timestamp())
    seconds: Mapped[float] = mapped_column(Float)
    # SHA-256 of the set's cells, places, thresholds and algorithm: an unchanged set reuses its pattern
    content_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # [[measure, dim_a, key_a, dim_b, key_b], ...]: hidden cells of one-way tables (and grand totals) ...
    one_way: Mapped[list] = mapped_column(JSONB)
    # ... and of cross-tables.
    cross: Mapped[list] = mapped_column(JSONB)
