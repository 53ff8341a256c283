"""The figures behind the institution summary, read in the job's tenant scope."""
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from regionet.platform.accounts.models import Membership, MembershipRole
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution


@dataclass
class SummaryData:
    institution: Institution
    members_by_role: dict[MembershipRole, int] = field(default_factory=dict)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def collect_summary_data(institution: Institution) -> SummaryData:
    counts = db.session.execute(
        select(Membership.role, func.count()).where(Membership.institution_id == institution.id)
        .group_by(Membership.role)).all()
    return SummaryData(institution=institution, members_by_role={role: n for role, n in counts})
