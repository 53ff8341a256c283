"""The history of changes and the append-only trail of access to personal data."""
import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.accounts.models import User
from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped

# What an erased person's values in the history become (history_api.redact_person, migration 0017).
REDACTED = "[redacted]"


class ChangeAction(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class ChangeRecord(TenantScoped, db.Model):
    """Who changed what, when: one row per created, changed or deleted audited object.

    Append-only for the runtime role (no UPDATE, DELETE or TRUNCATE); only the erasure of a
    person rewrites values, to REDACTED (tenants/audit/services.do_redact_person_history)."""

    __tablename__ = "change_records"
    __table_args__ = (
        Index("ix_change_records_tenant_entity", "tenant_id", "entity_type", "entity_id"),
        # Erasure finds a person's entries through these (history_api.redact_person, migration 0020d).
        Index("ix_change_records_tenant_participant", "tenant_id", text("(changes->>'participant_id')")),
        Index("ix_change_records_tenant_enrolment", "tenant_id", text("(changes->>'enrolment_id')")),
        Index("ix_change_records_tenant_entity_id", "tenant_id", "entity_id"),
        Index("ix_change_records_moved_participant", "tenant_id",
              postgresql_where=text("json_typeof(changes->'participant_id') = 'array'")),
    )

    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    action: Mapped[ChangeAction] = mapped_column(str_enum(ChangeAction, "change_action", 10))
    # {field: [old, new]} for updates; {field: value} for creates and deletes.
    changes: Mapped[dict] = mapped_column(JSON)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    user: Mapped[User | None] = relationship(lazy="joined")


class AccessAction(enum.StrEnum):
    VIEW = "view"
    EXPORT = "export"
    IMPORT = "import"
    DOWNLOAD = "download"


class AccessRecord(TenantScoped, db.Model):
    """One view or export of personal data. Append-only: the runtime role may not update or delete."""

    __tablename__ = "access_records"
    __url_arg__ = None
    __table_args__ = (Index("ix_access_records_tenant_at", "tenant_id", "at"),
                      Index("ix_access_records_tenant_subject", "tenant_id", "subject_id"))

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[AccessAction] = mapped_column(str_enum(AccessAction, "access_action", 10))
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    detail: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    user: Mapped[User | None] = relationship(lazy="joined")
