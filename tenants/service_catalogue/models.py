"""Services an institution offers to other institutions' clients, published to its region.

Shaped after Open Referral HSDS 3.x (organization -> service -> location, schedule, service area,
contact, required documents; eligibility as description + ages, as HSDS 3.0 keeps it), one location
and one contact per service. Polish extensions: the service type (the platform's support instruments
plus what a PUP and an OWES offer), the expected outcome, TERYT areas, and what a referral through
the platform needs: whether one is accepted, its legal basis, the minimum data set the receiver
gets, and the days the receiver has to accept it. Rows are the institution's (`TenantScoped`) and
readable by the institutions of its region once published (`RegionPublished`, tenancy/sharing.py).
"""
import enum
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import Computed

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped
from regionet.platform.tenancy.sharing import RegionPublished

STALE_AFTER_DAYS = 365


class ServiceType(enum.StrEnum):
    # the platform's support instruments (tenants/support/models.Instrument)
    INTERNSHIP = "internship"
    SOCIALLY_USEFUL_WORK = "socially_useful_work"
    KIS = "kis"
    CIS = "cis"
    VOCATIONAL_COURSE = "vocational_course"
    FAMILY_ASSISTANT = "family_assistant"
    DISABILITY_ASSISTANT = "disability_assistant"
    SPECIALIST_COUNSELLING = "specialist_counselling"
    SOCIAL_CONTRACT = "social_contract"
    INDIVIDUAL_ACTION_PLAN = "individual_action_plan"
    ACTIVATION_PROGRAMME = "activation_programme"
    LOCAL_ACTIVITY_PROGRAMME = "local_activity_programme"
    TUTORING = "tutoring"
    ART_THERAPY = "art_therapy"
    # what a PUP offers (forms of activation)
    JOB_PLACEMENT = "job_placement"
    CAREER_GUIDANCE = "career_guidance"
    TRAINING_VOUCHER = "training_voucher"
    EMPLOYMENT_GRANT = "employment_grant"
    # what an OWES offers
    SOCIAL_ENTERPRISE_ADVICE = "social_enterprise_advice"
    SOCIAL_ENTERPRISE_GRANT = "social_enterprise_grant"
    # what an OPS offers
    SOCIAL_WORK = "social_work"
    OTHER = "other"


class ServiceStatus(enum.StrEnum):
    """HSDS service.status."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class ReferralBasis(enum.StrEnum):
    """On what a referral to the service rests: a statute named here, or the person's consent."""

    STATUTE = "statute"
    CONSENT = "consent"


class DataItem(enum.StrEnum):
    """What a referral may carry to the receiver: the service's minimum data set picks from these."""

    NAME = "name"
    PESEL = "pesel"
    BIRTH_DATE = "birth_date"
    CONTACT = "contact"
    ADDRESS = "address"
    LABOUR_STATUS = "labour_status"
    ELIGIBILITY = "eligibility"   # the eligibility category the sender states (never a diagnosis)


class Service(RegionPublished, TenantScoped, db.Model):
    __tablename__ = "catalogue_services"
    __url_arg__ = "service_id"
    __audited__ = True
    __table_args__ = (
        Index("ix_catalogue_services_region_name", "region_code", "name_key"),
        CheckConstraint("minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age",
                        name="ck_catalogue_services_ages"),
        CheckConstraint("accept_within_days BETWEEN 1 AND 90", name="ck_catalogue_services_accept_days"),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    service_type: Mapped[ServiceType] = mapped_column(str_enum(ServiceType, "catalogue_service_type"))
    status: Mapped[ServiceStatus] = mapped_column(str_enum(ServiceStatus, "catalogue_service_status", 20),
                                                  default=ServiceStatus.ACTIVE)
    # eligibility (HSDS 3: description and ages; Polish extension: statuses and residence)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(SmallInteger)
    maximum_age: Mapped[int | None] = mapped_column(SmallInteger)
    required_documents: Mapped[str | None] = mapped_column(Text)   # one document a line
    application_process: Mapped[str | None] = mapped_column(Text)
    # service area: TERYT codes of counties (4 digits) or communes (7); none = the whole region
    area_codes: Mapped[list[str]] = mapped_column(ARRAY(String(7)), default=list, server_default="{}")
    # where and when
    location_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    schedule: Mapped[str | None] = mapped_column(String(300))
    # contact (a role, not a person: "Dział Aktywizacji")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    capacity: Mapped[int | None] = mapped_column(SmallInteger)
    waiting_days: Mapped[int | None] = mapped_column(SmallInteger)
    # referrals through the platform
    accepts_referrals: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    referral_basis: Mapped[ReferralBasis] = mapped_column(str_enum(ReferralBasis, "catalogue_referral_basis", 10),
                                                          default=ReferralBasis.CONSENT)
    legal_reference: Mapped[str | None] = mapped_column(String(300))   # e.g. "art. 12 ustawy o zatrudnieniu socjalnym"
    data_set: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list, server_default="{}")
    accept_within_days: Mapped[int] = mapped_column(SmallInteger, default=7, server_default="7")

    assured_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept by the database: the Polish alphabetical order of the name, and the text search compares.
    name_key: Mapped[bytes | None] = mapped_column(
        LargeBinary, Computed("polish_sort_key(name)", persisted=True), deferred=True)

    def is_stale(self, today: date) -> bool:
        """Not checked for a year (or never): the catalogue warns that the entry may be out of date."""
        return self.assured_date is None or (today - self.assured_date).days > STALE_AFTER_DAYS
