import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Enum,
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

from regionet.platform.accounts.models import User
from regionet.platform.db_types import Timestamp
from regionet.platform.extensions import db
from regionet.platform.run_status import RunStatus
from regionet.platform.tenancy import TenantScoped


class ReportKind(enum.StrEnum):
    INSTITUTION_SUMMARY = "institution_summary"
    INSTITUTION_PROJECTS = "institution_projects"   # projects with their figures, and the practices


def _enum(cls, name):
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True, name=name)


class InstitutionReport(TenantScoped, db.Model):
    """One requested PDF and its life: queued, running, done or failed; the PDF itself.

    The PDF is kept in the database so that any web process can serve it.
    """

    __tablename__ = "institution_reports"
    __table_args__ = (
        Index("ix_institution_reports_tenant_requested", "tenant_id", "requested_at"),
        # Reports built from collected data: the same data builds one report.
        UniqueConstraint("tenant_id", "kind", "data_sha256", name="uq_institution_reports_data"),
    )
    __url_arg__ = "report_id"

    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind, "report_kind"))
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus, "report_status"))
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    job_id: Mapped[str] = mapped_column(String(120))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
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
    # For reports built from data collected at request time (the project report): that data and its hash.
    data_sha256: Mapped[str | None] = mapped_column(String(64))
    dataset: Mapped[dict | None] = deferred(mapped_column(JSON))

    requested_by: Mapped[User | None] = relationship(lazy="joined")

    @staticmethod
    def job_id_for(tenant_id: int, report_id: uuid.UUID) -> str:
        # RQ job ids allow letters, digits, "_" and "-" only.
        from regionet.workers.queues import job_id

        return job_id(f"institution-summary-{tenant_id}-{report_id.hex}")
