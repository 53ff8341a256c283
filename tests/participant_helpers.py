"""Shared data for the participant tests: a valid form, and participants stored directly."""
from datetime import date

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Isced, LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.participants.pseudonym import pseudonym_for

from .test_isolation import TENANT_A, _institution_id

BASE = f"/i/{TENANT_A}/participants"
ANNA_PESEL = make_pesel(date(1985, 3, 14), Sex.FEMALE, 123)


def form_data(**changes) -> dict:
    data = {
        "first_name": "Anna", "last_name": "Kowalska", "pesel": ANNA_PESEL, "street": "ul. Słoneczna 4",
        "postal_code": "26-110", "locality": "Skarżysko-Kamienna", "commune_code": "2610011",
        "phone": "600 100 200", "email": "anna.kowalska@example.pl", "education": "isced3",
        "labour_status": "long_term_unemployed", "disability": "refused", "migrant_or_minority": "no",
        "homeless": "no", "jobless_household": "yes", "legal_basis": "consent", "legal_basis_date": "2024-03-01",
        "consent_given": "y", "consent_date": "01.03.2024", "notes": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def add_participant(app, slug: str = TENANT_A, **fields) -> Participant:
    """A participant stored directly (no form), e.g. to fill a list quickly."""
    tenant = _institution_id(app, slug)
    values = dict(first_name="Jan", last_name="Nowak", pesel=None, birth_date=date(1970, 1, 1), sex=Sex.MALE,
                  commune_code="2610011", education=Isced.PRIMARY, labour_status=LabourStatus.INACTIVE,
                  disability=SensitiveAnswer.NO, migrant_or_minority=SensitiveAnswer.NO, homeless=SensitiveAnswer.NO,
                  jobless_household=SensitiveAnswer.NO, legal_basis=LegalBasis.PUBLIC_TASK,
                  legal_basis_date=date(2024, 1, 2), consent_given=False)
    values.update(fields)
    with app.app_context(), tenant_scope(tenant):
        participant = Participant(**values, pseudonym=pseudonym_for(values["pesel"], "26"))
        db.session.add(participant)
        db.session.commit()
        db.session.refresh(participant)
        db.session.expunge(participant)
        return participant


def participant_count(app, slug: str = TENANT_A) -> int:
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        return db.session.execute(select(func.count()).select_from(Participant)).scalar_one()


def stored(app, slug: str = TENANT_A, **where) -> list[Participant]:
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        statement = select(Participant).filter_by(**where).order_by(Participant.last_name)
        found = list(db.session.execute(statement).scalars())
        for participant in found:
            db.session.expunge(participant)
        return found


def pseudonym(app, pesel: str) -> str:
    with app.app_context():
        return pseudonym_for(pesel, "26")
