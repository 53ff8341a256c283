"""Projects: EU-funded and own programmes, their budgets, partners and indicator targets."""
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.platform.ui.polish import polish_order

project_partners = Table(
    "project_partners", db.metadata,
    Column("tenant_id", Integer, primary_key=True),
    Column("project_id", db.Uuid, primary_key=True),
    Column("partner_id", db.Uuid, primary_key=True),
    tenant_foreign_key("project_id", "projects", ondelete="CASCADE"),
    tenant_foreign_key("partner_id", "partner_organisations", ondelete="CASCADE"),
)



def _partners_in_polish_order():
    from regionet.tenants.partners.models import PartnerOrganisation  # defined after this module

    return polish_order(PartnerOrganisation.name)

class Project(TenantScoped, db.Model):
    __tablename__ = "projects"
    __url_arg__ = "project_id"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_projects_tenant_code"),
        CheckConstraint("end_date >= start_date", name="period_order"),
        CheckConstraint("budget_total >= 0 AND eu_cofinancing >= 0 AND own_contribution >= 0", name="budget_positive"),
        CheckConstraint("eu_cofinancing + own_contribution = budget_total", name="budget_adds_up"),
    )

    title: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(60))
    # A key of tenants.projects.catalogues.FUNDING_SOURCES (programme and measure).
    funding_source: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    budget_total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    eu_cofinancing: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    own_contribution: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    description: Mapped[str | None] = mapped_column(Text)
    # How long the participants' records are kept (tenants/privacy/retention.py): the funding
    # rules' default unless set here, with the reason.
    retention_until: Mapped[date | None] = mapped_column(Date)
    retention_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())

    partners = relationship("PartnerOrganisation", secondary=project_partners, lazy="selectin",
                            order_by=_partners_in_polish_order)
    targets = relationship("ProjectTarget", back_populates="project", cascade="all, delete-orphan",
                           lazy="selectin")

    @property
    def eu_share(self) -> Decimal | None:
        """EU co-financing as a percentage of the budget, derived, never stored."""
        return None if not self.budget_total else (self.eu_cofinancing * 100 / self.budget_total)

    @property
    def own_share(self) -> Decimal | None:
        return None if not self.budget_total else (self.own_contribution * 100 / self.budget_total)


class ProjectTarget(TenantScoped, db.Model):
    """A target value for one indicator of a project (keys: tenants.projects.catalogues.INDICATORS)."""

    __tablename__ = "project_targets"
    __table_args__ = (
        tenant_foreign_key("project_id", "projects", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "project_id", "indicator", name="uq_project_targets_indicator"),
        CheckConstraint("target_value >= 0", name="target_positive"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    indicator: Mapped[str] = mapped_column(String(40))
    target_value: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    project = relationship(Project, back_populates="targets")
