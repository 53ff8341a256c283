"""The workspace that holds what the region's coordinator owns (regional working groups).

Working groups are tenant rows: every row of a group carries its owner's `tenant_id`, and row-level
security and the party sets (platform/tenancy/sharing.py) are written in those terms. So "owned by
the region" is "owned by the region's office": one institution row per region (`office_of_region`),
created with the first regional group. It has no members (nobody enters /i/<slug>/) and is not
active, so no list of institutions offers it (invitations, referrals, reporting periods, partners);
the coordinator's group pages work in its tenant scope, as the coordinator's decisions on a
submission work in the institution's.
"""
from sqlalchemy import select

from ..extensions import db
from ..institutions.models import Institution, InstitutionKind
from ..regions.models import Region


def region_office(region: Region) -> Institution | None:
    return db.session.execute(select(Institution).where(
        Institution.office_of_region == region.teryt_code)).scalar_one_or_none()


def do_region_office(region: Region) -> Institution:
    """The region's office, created on first use."""
    office = region_office(region)
    if office is None:
        office = Institution(region_code=region.teryt_code, slug=f"koordynator-{region.slug}"[:80],
                             name=f"Koordynator regionalny ekonomii społecznej – {region.name}"[:250],
                             short_name="Koordynator regionalny", kind=InstitutionKind.ROPS,
                             teryt_code=region.teryt_code, is_active=False, office_of_region=region.teryt_code)
        db.session.add(office)
        db.session.flush()
    return office


def is_region_office(institution: Institution | None) -> bool:
    return institution is not None and institution.office_of_region is not None
