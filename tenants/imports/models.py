"""Imports of participants, enrolments, support and outcomes from spreadsheets, run by a worker."""
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, SmallInteger, String, Text, func
from sqlalchemy.orm import Mapped, deferred, mapped_column

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    NEEDS_DECISION = "needs_decision"   # errors found: import nothing, or only the valid rows
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ImportMode(enum.StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ROWS = "valid_rows"


class ImportBatch(TenantScoped, db.Model):
    __tablename__ = "import_batches"
    __url_arg__ = "import_id"

    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, "import_status", 20))
    mode: Mapped[ImportMode] = mapped_column(str_enum(ImportMode, "import_mode", 20))
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    file_name: Mapped[str] = mapped_column(String(255))
    file_data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    total_rows: Mapped[int | None] = mapped_column(Integer)
    valid_rows: Mapped[int | None] = mapped_column(Integer)
    imported_rows: Mapped[int | None] = mapped_column(Integer)   # participants
    # Records of the other kinds a whole-project import stored: {"enrolments": n, "episodes": n, "outcomes": n}.
    imported_counts: Mapped[dict | None] = mapped_column(JSON)
    # [{"sheet": "Wsparcie", "row": 7, "column": "PESEL", "value": "...", "message": "..."}] ("sheet" when named)
    errors: Mapped[list | None] = mapped_column(JSON)
    # `failure`: why the file was refused, in Polish, for the user; `failure_detail`: why a job attempt
    # failed, for the server's log only (the page says what to do instead).
    failure: Mapped[str | None] = mapped_column(Text)
    failure_detail: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp())
