"""Building workspace records directly (participants, projects, enrolments) for the tests."""
from datetime import date
from decimal import Decimal

from regionet.platform.demo.people import make_pesel
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import (
    Isced,
    LabourStatus,
    LegalBasis,
    Participant,
    SensitiveAnswer,
    Sex,
)
from regionet.tenants.projects.models import Project


def participant(first="Jan", last="Kowalski", birth=date(1980, 5, 14), sex=Sex.MALE, serial=1,
                status=LabourStatus.LONG_TERM_UNEMPLOYED, disability=SensitiveAnswer.NO) -> Participant:
    return Participant(first_name=first, last_name=last, pesel=make_pesel(birth, sex is Sex.FEMALE, serial),
                       birth_date=birth, sex=sex, education=Isced.UPPER_SECONDARY, labour_status=status,
                       disability=disability, migrant_or_minority=SensitiveAnswer.NO, homeless=SensitiveAnswer.NO,
                       jobless_household=SensitiveAnswer.NO, legal_basis=LegalBasis.LEGAL_OBLIGATION,
                       legal_basis_date=date(2013, 1, 1), commune_code="2610011")


def project(code="POKL.07.02.01-24-001/13", start=date(2013, 6, 1), end=date(2015, 6, 30)) -> Project:
    return Project(title="Klub Integracji Społecznej", code=code, funding_source="pokl-7.2.1", start_date=start,
                   end_date=end, budget_total=Decimal("500000.00"), eu_cofinancing=Decimal("425000.00"),
                   own_contribution=Decimal("75000.00"))


def add(tenant_id: int, *objects) -> list:
    """Commit objects in the tenant; return their ids."""
    with tenant_scope(tenant_id):
        db.session.add_all(objects)
        db.session.commit()
        return [o.id for o in objects]
