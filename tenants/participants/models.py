"""Participants: the people an institution supports (ESF participant record)."""
import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Computed, Date, ForeignKey, Index, LargeBinary, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Isced(enum.StrEnum):
    """Highest completed education, ESF grouping of ISCED 2011 levels."""

    NONE = "isced0"        # below primary
    PRIMARY = "isced1"
    LOWER_SECONDARY = "isced2"
    UPPER_SECONDARY = "isced3"
    POST_SECONDARY = "isced4"
    TERTIARY = "isced5_8"


class LabourStatus(enum.StrEnum):
    REGISTERED_UNEMPLOYED = "registered_unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    UNREGISTERED_UNEMPLOYED = "unregistered_unemployed"
    INACTIVE = "inactive"
    EMPLOYED = "employed"

    @property
    def is_unemployed(self) -> bool:
        return self in (LabourStatus.REGISTERED_UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED,
                        LabourStatus.UNREGISTERED_UNEMPLOYED)


class SensitiveAnswer(enum.StrEnum):
    """ESF sensitive characteristics: refusing to answer never blocks enrolment."""

    YES = "yes"
    NO = "no"
    REFUSED = "refused"


class Citizenship(enum.StrEnum):
    """ESF+ 2021-27: whose citizen the person is (a third-country national is asked separately)."""

    POLISH = "polish"
    OTHER_EU = "other_eu"
    THIRD_COUNTRY = "third_country"
    STATELESS = "stateless"


class LegalBasis(enum.StrEnum):
    CONSENT = "consent"                      # art. 6(1)(a) and 9(2)(a) GDPR
    LEGAL_OBLIGATION = "legal_obligation"    # art. 6(1)(c): e.g. CPR 2021/1060 art. 4 for ESF indicators
    PUBLIC_TASK = "public_task"              # art. 6(1)(e): statutory tasks of the institution


class Participant(TenantScoped, db.Model):
    __tablename__ = "participants"
    __url_arg__ = "participant_id"
    __audited__ = True
    __table_args__ = (
        # A PESEL is registered once per institution (other institutions may register the same person).
        Index("uq_participants_tenant_pesel", "tenant_id", "pesel", unique=True,
              postgresql_where=text("pesel IS NOT NULL")),
        # The list in Polish name order reads this index; search reads the trigram index.
        Index("ix_participants_tenant_name_key", "tenant_id", "name_key"),
        Index("ix_participants_search_text", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
        Index("ix_participants_tenant_pseudonym", "tenant_id", "pseudonym"),
    )

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    pesel: Mapped[str | None] = mapped_column(String(11))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "participant_sex", 10))
    # Keyed pseudonym of the PESEL (HMAC under the region's secret): counts a person once
    # across institutions without revealing who they are. Never shown or exported.
    pseudonym: Mapped[str | None] = mapped_column(String(64))

    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    locality: Mapped[str | None] = mapped_column(String(100))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("teryt_units.code"))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))

    education: Mapped[Isced | None] = mapped_column(str_enum(Isced, "participant_isced", 10))
    labour_status: Mapped[LabourStatus] = mapped_column(str_enum(LabourStatus, "participant_labour_status"))
    disability: Mapped[SensitiveAnswer] = mapped_column(str_enum(SensitiveAnswer, "participant_disability", 10))
    migrant_or_minority: Mapped[SensitiveAnswer] = mapped_column(str_enum(SensitiveAnswer, "participant_migrant", 10))
    homeless: Mapped[SensitiveAnswer] = mapped_column(str_enum(SensitiveAnswer, "participant_homeless", 10))
    jobless_household: Mapped[SensitiveAnswer] = mapped_column(
        str_enum(SensitiveAnswer, "participant_jobless_household", 10))
    # ESF+ 2021-27 asks these apart (SL2014's merged question stays above for older records);
    # empty means "not asked yet".
    citizenship: Mapped[Citizenship | None] = mapped_column(str_enum(Citizenship, "participant_citizenship", 20))
    foreign_origin: Mapped[SensitiveAnswer | None] = mapped_column(
        str_enum(SensitiveAnswer, "participant_foreign_origin", 10))
    third_country_national: Mapped[SensitiveAnswer | None] = mapped_column(
        str_enum(SensitiveAnswer, "participant_third_country", 10))
    minority: Mapped[SensitiveAnswer | None] = mapped_column(str_enum(SensitiveAnswer, "participant_minority", 10))

    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis, "participant_legal_basis"))
    legal_basis_date: Mapped[date] = mapped_column(Date)
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Data protection (tenants/privacy): an anonymised record has no identifying value left; a
    # restricted one (GDPR art. 18, or erasure refused while a retention runs) cannot be changed.
    anonymised_at: Mapped[datetime | None] = mapped_column(Timestamp())
    restricted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    restriction_reason: Mapped[str | None] = mapped_column(Text)

    # Kept by the database (migration 0013), never written by the application nor loaded with a
    # participant: the Polish alphabetical order of "last first", and the name as search compares it.
    name_key: Mapped[bytes | None] = mapped_column(
        LargeBinary, Computed("polish_sort_key(last_name || ' ' || first_name)", persisted=True), deferred=True)
    search_text: Mapped[str | None] = mapped_column(
        Text, Computed("search_fold(first_name || ' ' || last_name)", persisted=True), deferred=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
