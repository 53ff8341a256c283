"""Consent records: a person's consent, recorded with its evidence, kept apart from the
participant's own legal basis.

Two kinds, never mixed (network.md, "consent confusion"): consent to sharing the person's data
with a named recipient (GDPR art. 6(1)(a), and 9(2)(a) for special categories), and consent to a
measure (e.g. art. 12 of the act on social employment), which is not a GDPR basis. Withdrawal is
recorded (date, note) and never deletes the record: it stops further sharing from then on.
The privacy work can adopt this table as the institution's consent register.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import str_enum
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key


class ConsentKind(enum.StrEnum):
    DATA_SHARING = "data_sharing"   # GDPR art. 6(1)(a) / 9(2)(a): sharing data with the recipient
    MEASURE = "measure"             # consent to the measure itself (e.g. UZS art. 12); not a GDPR basis


class ConsentRecord(TenantScoped, db.Model):
    __tablename__ = "consent_records"
    __url_arg__ = "consent_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("participant_id", "participants", ondelete="CASCADE"),
        Index("ix_consent_records_participant", "tenant_id", "participant_id"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind, "consent_kind", 20))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"))
    scope: Mapped[str] = mapped_column(Text)              # what is shared, for what purpose
    given_on: Mapped[date] = mapped_column(Date)
    notice_version: Mapped[str] = mapped_column(String(60))   # the information notice the person was given
    evidence: Mapped[str] = mapped_column(String(300))        # e.g. "signed form no. 12/2026 in the file"
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_note: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    recipient: Mapped[Institution | None] = relationship(foreign_keys=[recipient_id], lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
