"""Institutions: the tenants of the platform."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, false, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import Timestamp
from ..extensions import db
from ..regions.models import Region, TerytUnit


class InstitutionKind(enum.StrEnum):
    OPS = "ops"
    PCPR = "pcpr"
    PUP = "pup"
    OWES = "owes"
    CIS = "cis"
    KIS = "kis"
    ROPS = "rops"
    SOCIAL_COOPERATIVE = "social_cooperative"
    OTHER = "other"


class Institution(db.Model):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    short_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[InstitutionKind] = mapped_column(
        Enum(InstitutionKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e],
             validate_strings=True, create_constraint=True, name="institution_kind")
    )
    teryt_code: Mapped[str] = mapped_column(ForeignKey("teryt_units.code"), index=True)
    nip: Mapped[str | None] = mapped_column(String(10))
    regon: Mapped[str | None] = mapped_column(String(14))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Every member must sign in with a second factor (set by the institution's admin or the operator).
    require_second_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    # Set on the one workspace that holds what the region's coordinator owns (regional working groups,
    # platform/regional_groups/office.py): no members, never active, so no list offers it.
    office_of_region: Mapped[str | None] = mapped_column(ForeignKey("regions.teryt_code"), unique=True)

    region: Mapped[Region] = relationship(lazy="joined", foreign_keys=[region_code])
    teryt_unit: Mapped[TerytUnit] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Institution {self.slug}>"
