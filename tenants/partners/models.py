"""Partner organisations of an institution and its cooperation agreements (porozumienia)."""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.platform.ui.polish import polish_order


class PartnerKind(enum.StrEnum):
    PLATFORM_INSTITUTION = "platform_institution"  # another institution on this platform
    PUBLIC_INSTITUTION = "public_institution"
    NGO = "ngo"
    EMPLOYER = "employer"
    SCHOOL = "school"
    SOCIAL_ECONOMY_ENTITY = "social_economy_entity"
    OTHER = "other"


class AgreementKind(enum.StrEnum):
    COOPERATION = "cooperation"      # porozumienie o współpracy
    PARTNERSHIP = "partnership"      # umowa partnerska (EU project, with a lead partner)
    EMPLOYMENT_PACT = "employment_pact"
    OTHER = "other"


class PartnerOrganisation(TenantScoped, db.Model):
    __tablename__ = "partner_organisations"
    __url_arg__ = "partner_id"
    __audited__ = True
    __table_args__ = (
        # Natural keys the forms promise unique within an institution (migration 0019).
        Index("uq_partner_organisations_nip", "tenant_id", "nip", unique=True, postgresql_where=text("nip IS NOT NULL")),
        Index("uq_partner_organisations_institution", "tenant_id", "institution_id", unique=True,
              postgresql_where=text("institution_id IS NOT NULL")),
    )

    name: Mapped[str] = mapped_column(String(250))
    kind: Mapped[PartnerKind] = mapped_column(str_enum(PartnerKind, "partner_kind"))
    # Set when the partner is itself an institution on the platform.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    nip: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    institution: Mapped[Institution | None] = relationship(lazy="joined", foreign_keys=[institution_id])

    @property
    def display_name(self) -> str:
        """A platform institution is shown under its current platform name; others under their own."""
        return self.institution.name if self.institution is not None else self.name


agreement_parties = Table(
    "agreement_parties", db.metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("agreement_id", db.Uuid, primary_key=True),
    Column("partner_id", db.Uuid, primary_key=True),
    tenant_foreign_key("agreement_id", "agreements", ondelete="CASCADE"),
    tenant_foreign_key("partner_id", "partner_organisations", ondelete="CASCADE"),
    # The primary key serves "parties of an agreement"; this serves "agreements of a partner"
    # (partner pages, the deletion check, sorting partners by their number of agreements).
    Index("ix_agreement_parties_partner", "tenant_id", "partner_id"),
)


class Agreement(TenantScoped, db.Model):
    __tablename__ = "agreements"
    __url_arg__ = "agreement_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("document_id", "attachments", ondelete="SET NULL"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_order"),
    )

    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[AgreementKind] = mapped_column(str_enum(AgreementKind, "agreement_kind"))
    scope: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    parties = relationship(PartnerOrganisation, secondary=agreement_parties, lazy="selectin",
                           order_by=lambda: polish_order(PartnerOrganisation.name))
    # Only document_id follows the document: tenant_id is part of the primary key and must never
    # be cleared when a document is replaced or removed.
    document = relationship("Attachment", lazy="joined", foreign_keys=[document_id],
                            primaryjoin="and_(Agreement.tenant_id == Attachment.tenant_id, "
                                        "Agreement.document_id == Attachment.id)")
