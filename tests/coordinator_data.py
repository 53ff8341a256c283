"""Building participants with their support in the demo institutions, for the coordinator's tests."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import (
    LabourStatus,
    LegalBasis,
    Participant,
    SensitiveAnswer,
    Sex,
)
from regionet.tenants.participants.pseudonym import pseudonym_for
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import (
    Enrolment,
    Instrument,
    Outcome,
    OutcomeKind,
    SupportEpisode,
)

REGION = "26"
YEAR = today_in_poland().year


def institution_id(slug: str) -> int:
    return db.session.execute(select(Institution.id).where(Institution.slug == slug)).scalar_one()


@dataclass
class Person:
    first: str
    last: str
    pesel: str | None = None
    sex: str = "female"
    birth: date = date(1980, 5, 14)
    disability: str = "no"
    commune: str | None = "2610011"
    entry: date = date(YEAR, 2, 1)
    exit: date | None = None
    episodes: list = field(default_factory=lambda: [("internship", date(YEAR, 2, 10))])
    outcomes: list = field(default_factory=list)


def _project() -> Project:
    project = db.session.execute(select(Project).limit(1)).scalar_one_or_none()
    if project is None:
        project = Project(title="Aktywni razem", code="FESW.09.01-IZ.00-0001/26", funding_source="fes-2021-2027",
                          start_date=date(2024, 1, 1), end_date=date(2027, 12, 31),
                          budget_total=Decimal("904150.00"), eu_cofinancing=Decimal("876150.00"),
                          own_contribution=Decimal("28000.00"))
        db.session.add(project)
        db.session.flush()
    return project


def add_people(slug: str, people: list[Person]) -> list:
    """Create the people (with an enrolment, episodes and outcomes each) in one institution."""
    tenant = institution_id(slug)
    ids = []
    with tenant_scope(tenant):
        project = _project()
        for p in people:
            participant = Participant(
                first_name=p.first, last_name=p.last, pesel=p.pesel, pseudonym=pseudonym_for(p.pesel, REGION),
                birth_date=p.birth, sex=Sex(p.sex), labour_status=LabourStatus.LONG_TERM_UNEMPLOYED,
                disability=SensitiveAnswer(p.disability), migrant_or_minority=SensitiveAnswer.NO,
                homeless=SensitiveAnswer.NO, jobless_household=SensitiveAnswer.NO,
                legal_basis=LegalBasis.LEGAL_OBLIGATION, legal_basis_date=p.entry, commune_code=p.commune)
            enrolment = Enrolment(project=project, participant=participant, entry_date=p.entry, exit_date=p.exit,
                                  status_at_entry=LabourStatus.LONG_TERM_UNEMPLOYED)
            for instrument, start in p.episodes:
                enrolment.episodes.append(SupportEpisode(instrument=Instrument(instrument), start_date=start))
            for kind, achieved in p.outcomes:
                enrolment.outcomes.append(Outcome(kind=OutcomeKind(kind), achieved_on=achieved))
            db.session.add(enrolment)
            db.session.flush()
            ids.append(participant.id)
        db.session.commit()
    return ids


def refresh_figures(region: str = REGION) -> None:
    """What the workers do after changes: every institution's facts, then the region's figures."""
    from regionet.platform.coordinator.refresh import (
        do_refresh_region,
        do_refresh_tenant,
    )

    tenants = db.session.execute(select(Institution.id).where(Institution.region_code == region)).scalars().all()
    for tenant in tenants:
        with tenant_scope(tenant):
            do_refresh_tenant(tenant)
    do_refresh_region(region)


def truncate_region_figures(pg_database) -> None:
    engine = create_engine(pg_database["admin"])
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE region_figures, region_figure_status, region_figure_runs, region_figure_patterns,"
                          " reporting_periods"
                          " CASCADE"))
    engine.dispose()


@pytest.fixture(autouse=True)
def clean_region_tables(request):
    """Region-level tables are not truncated by conftest (no tenant_id): empty them around each test."""
    uses_postgresql = "app" in request.fixturenames
    if uses_postgresql:
        truncate_region_figures(request.getfixturevalue("pg_database"))
    yield
    if uses_postgresql:
        truncate_region_figures(request.getfixturevalue("pg_database"))
