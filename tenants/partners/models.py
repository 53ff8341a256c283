"""Partner organisations of an institution and its cooperation agreements (porozumienia)."""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.platform.tenancy.sharing import PartySetShared


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


class Agreement(PartySetShared, TenantScoped, db.Model):
    """One agreement of several parties, one record for all of them.

    The institution that recorded it owns the row (`tenant_id`, it edits and deletes it); every
    other party institution of the platform is in the agreement's party set (`shared_parties`,
    keyed by the agreement's id), so it reads the agreement, its parties and its signed document in
    its own workspace and confirms it there. Nobody else sees it (ORM criterion and row-level
    security). An agreement may come from a working group's action item (`origin_action_*`).
    """

    __tablename__ = "agreements"
    __url_arg__ = "agreement_id"
    __audited__ = True
    __party_set__ = "id"
    __table_args__ = (
        tenant_foreign_key("document_id", "attachments", ondelete="SET NULL"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_order"),
        # The action item lives in its group's owner's rows, which may be another institution's.
        ForeignKeyConstraint(["origin_action_tenant_id", "origin_action_id"],
                             ["group_action_items.tenant_id", "group_action_items.id"], ondelete="SET NULL",
                             name="fk_agreements_origin_action"),
        Index("ix_agreements_origin_action", "origin_action_tenant_id", "origin_action_id"),
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
    origin_action_tenant_id: Mapped[int | None] = mapped_column(Integer)
    origin_action_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)

    parties = relationship("AgreementParty", back_populates="agreement", cascade="all, delete-orphan",
                           lazy="selectin", order_by="AgreementParty.position")
    # Only document_id follows the document: tenant_id is part of the primary key and must never
    # be cleared when a document is replaced or removed.
    document = relationship("Attachment", lazy="joined", foreign_keys=[document_id],
                            primaryjoin="and_(Agreement.tenant_id == Attachment.tenant_id, "
                                        "Agreement.document_id == Attachment.id)")

    @property
    def platform_parties(self) -> list["AgreementParty"]:
        return [p for p in self.parties if p.institution_id is not None]

    @property
    def awaiting_confirmation(self) -> bool:
        """Until every party institution of the platform confirms, the agreement awaits confirmation."""
        return any(p.confirmed_at is None for p in self.platform_parties)

    def party_of(self, institution_id: int) -> "AgreementParty | None":
        return next((p for p in self.parties if p.institution_id == institution_id), None)


class AgreementParty(PartySetShared, TenantScoped, db.Model):
    """A party to an agreement: an institution of the platform (which confirms the agreement from its
    own workspace: who and when) or an organisation outside it (a partner of the owner, by name).

    `name` keeps the party's name as it was written, so every party reads it even without access to
    the owner's partner list; `partner_id` links the owner's partner record when there is one."""

    __tablename__ = "agreement_parties"
    __party_set__ = "agreement_id"
    __table_args__ = (
        tenant_foreign_key("agreement_id", "agreements", ondelete="CASCADE"),
        tenant_foreign_key("partner_id", "partner_organisations"),
        UniqueConstraint("tenant_id", "agreement_id", "institution_id", name="uq_agreement_parties_institution"),
        # "agreements of a partner" (partner pages, the deletion check, sorting partners by agreements).
        Index("ix_agreement_parties_partner", "tenant_id", "partner_id"),
        CheckConstraint("institution_id IS NOT NULL OR partner_id IS NOT NULL", name="who"),
        CheckConstraint("institution_id IS NOT NULL OR confirmed_at IS NULL", name="confirm"),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"),
                                                       index=True)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(db.Uuid)
    name: Mapped[str] = mapped_column(String(250))
    confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_by_name: Mapped[str | None] = mapped_column(String(200))

    agreement = relationship(Agreement, back_populates="parties")
    institution: Mapped[Institution | None] = relationship(lazy="joined", foreign_keys=[institution_id])

    @property
    def display_name(self) -> str:
        return self.institution.name if self.institution is not None else self.name

    @property
    def on_platform(self) -> bool:
        return self.institution_id is not None
