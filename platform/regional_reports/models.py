"""The region's generated reports (PDF) and their quarterly schedule.

A report row is the job's state machine and its result: queued → running → done (the PDF
stored here, with its provenance) or retrying/failed with the reason. The data the PDF is
built from is collected and hashed before the job is queued and stored with the row, so
the job id, the row and the file all derive from the same, verifiable data.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column
from uuid6 import uuid7

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.run_status import RunStatus  # noqa: F401  (the regional reports' status)


class RegionalReportKind(enum.StrEnum):
    CATALOGUE = "catalogue"   # the regional catalogue of good practices


class ReportTrigger(enum.StrEnum):
    COORDINATOR = "coordinator"
    SCHEDULE = "schedule"
    OPERATOR = "operator"     # the `flask report regional` command
    WITHDRAWAL = "withdrawal"  # built again without a photo whose consent is gone (withdrawal.py)


class RegionalReport(db.Model):
    __tablename__ = "regional_reports"
    __table_args__ = (
        # The same data builds one report: a second request for it finds this row.
        UniqueConstraint("region_code", "kind", "data_sha256", name="uq_regional_reports_data"),
        Index("ix_regional_reports_region_requested", "region_code", "requested_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    kind: Mapped[RegionalReportKind] = mapped_column(str_enum(RegionalReportKind, "regional_report_kind", 20))
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "regional_report_status", 12))
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    job_id: Mapped[str] = mapped_column(String(160))
    trigger: Mapped[ReportTrigger] = mapped_column(str_enum(ReportTrigger, "regional_report_trigger", 12))
    # Provenance: the data behind the report, its hash, when it was taken, for which period.
    data_sha256: Mapped[str] = mapped_column(String(64))
    dataset: Mapped[dict] = deferred(mapped_column(JSON))
    data_taken_at: Mapped[datetime] = mapped_column(Timestamp())
    period_label: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_sign_off: Mapped[str | None] = mapped_column(String(60))
    practice_count: Mapped[int] = mapped_column(Integer)
    suppression_rule: Mapped[str] = mapped_column(String(300))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_by_name: Mapped[str | None] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(Timestamp())
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp())
    # Why the last attempt failed, for the server's log and the operator; never shown on a page (migration 0014).
    error_detail: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(200))
    page_count: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # A built report taken out of use (its PDF deleted): when and why (withdrawal.py, migration 0025f).
    withdrawn_at: Mapped[datetime | None] = mapped_column(Timestamp())
    withdrawn_reason: Mapped[str | None] = mapped_column(String(40))
    # The report requested in its place (set by the rebuild's job; migration 0025g).
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(
        db.Uuid, ForeignKey("regional_reports.id", ondelete="SET NULL"))


class ReportSchedule(db.Model):
    """A standing request: build the region's report at the start of every quarter."""

    __tablename__ = "report_schedules"
    __table_args__ = (
        Index("uq_report_schedules_active", "region_code", "kind", unique=True,
              postgresql_where=text("cancelled_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(db.Uuid, primary_key=True, default=uuid7)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"))
    kind: Mapped[RegionalReportKind] = mapped_column(str_enum(RegionalReportKind, "report_schedule_kind", 20))
    cadence: Mapped[str] = mapped_column(String(20), default="quarterly")
    next_run_at: Mapped[datetime] = mapped_column(Timestamp())
    job_id: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp())
    last_run_at: Mapped[datetime | None] = mapped_column(Timestamp())
    last_report_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
