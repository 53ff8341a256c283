"""Erasure and anonymisation reach every place a person's data is kept.

A person is registered, viewed, searched for, enrolled and supported through the pages; their
consent has a scanned form, they asked for their data, an import's error list and file name them,
and the coordinator's facts carry their pseudonym. After the erasure, their PESEL, names, address
and contact data, and the pseudonym, are in no table of the database (text, JSON and bytes).
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, select

from regionet.platform.coordinator.refresh import do_refresh_tenant
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.audit.models import REDACTED
from regionet.tenants.figures.models import FigureParticipation
from regionet.tenants.imports.models import ImportBatch, ImportMode, ImportStatus
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.privacy.erasure import ErasureOutcome, do_erase_participant
from regionet.tenants.privacy.models import (
    Consent,
    ConsentBasis,
    ConsentPurpose,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from regionet.tenants.referrals.models import Referral, ReferralEvent, ReferralState
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

from .factories import _receiver_for, _service
from .participant_helpers import BASE, form_data
from .privacy_helpers import traces
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, project

TENANT_URL = f"/i/{TENANT_A}"
PESEL = make_pesel(date(1979, 2, 11), Sex.FEMALE, 417)
PERSON = dict(first_name="Bożysława", last_name="Kwiatkowska-Wróblewiczowa", pesel=PESEL,
              street="ul. Jarzębinowa 17", phone="601 202 303", email="bozyslawa.kz@example.pl",
              notes="Bożysława prosi o kontakt", consent_given=None, consent_date=None, legal_basis="public_task")
TERMS = [PESEL, "Bożysław", "Wróblewicz", "Jarzębinowa", "601 202 303", "bozyslawa.kz@example.pl",
         "bozyslaw", "wroblewicz"]   # the last two: as the search column folds them


@pytest.fixture
def admin_engine(pg_database):
    engine = create_engine(pg_database["admin"])
    yield engine
    engine.dispose()


def register_and_use(app, client, auth, project_id=None) -> str:
    """The person through the pages and every side table; returns their id."""
    tenant = _institution_id(app, TENANT_A)
    auth.login_as(TENANT_A, "admin")
    created = client.post(f"{BASE}/new", data=form_data(**PERSON))
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    person_id = created.location.rstrip("/").rsplit("/", 1)[1]
    assert client.get(created.location).status_code == 200
    assert client.get(f"{BASE}/?q=Wróblewiczowa").status_code == 200
    if project_id:
        enrolled = client.post(f"{TENANT_URL}/projects/{project_id}/enrol", data={
            "participant_id": person_id, "entry_date": "2023-02-01", "exit_date": "2023-09-30",
            "status_at_entry": ""})
        assert enrolled.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        if project_id:
            enrolment = db.session.execute(select(Enrolment)).scalar_one()
            db.session.add_all([
                SupportEpisode(enrolment=enrolment, instrument=Instrument.KIS, start_date=date(2023, 2, 2),
                               notes="Bożysława Kwiatkowska-Wróblewiczowa przyszła z córką"),
                Outcome(enrolment=enrolment, kind=OutcomeKind.EMPLOYMENT_CONTRACT, achieved_on=date(2023, 10, 2),
                        evidence=f"umowa o pracę, PESEL {PESEL}")])
        form = Attachment(file_name="zgoda-kwiatkowska.pdf", content_type="application/pdf", size_bytes=40,
                          sha256="0" * 64, data=f"%PDF-1.4 zgoda {PESEL} Bożysława".encode())
        db.session.add(form)
        db.session.flush()
        db.session.add_all([
            Consent(participant_id=person_id, purpose=ConsentPurpose.FOLLOW_UP, basis=ConsentBasis.CONSENT,
                    given_on=date(2023, 2, 1), evidence_id=form.id),
            SubjectRequest(participant_id=person_id, requester="Bożysława Kwiatkowska-Wróblewiczowa",
                           kind=RequestKind.ERASURE, status=RequestStatus.OPEN, received_on=today_in_poland(),
                           due_on=today_in_poland() + timedelta(days=30), details="tel. 601 202 303"),
            ImportBatch(status=ImportStatus.NEEDS_DECISION, mode=ImportMode.ALL_OR_NOTHING, file_name="lista.csv",
                        file_data=f"imie;nazwisko;pesel\nBożysława;Kwiatkowska-Wróblewiczowa;{PESEL}\n".encode(),
                        errors=[{"row": 2, "column": "PESEL", "value": PESEL, "message": "PESEL już jest"}]),
        ])
        db.session.commit()
        if project_id:
            do_refresh_tenant(tenant)
    return person_id


def erase(app, person_id: str) -> ErasureOutcome:
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        return do_erase_participant(db.session.get(Participant, (_institution_id(app, TENANT_A), person_id)),
                                    "wniosek z 1.12.2026")


def test_anonymising_after_the_retention_leaves_no_trace_in_any_table(app, client, auth, admin_engine):
    tenant = _institution_id(app, TENANT_A)
    ended = project(code="FEŚ.09.01-IZ.00-0001/22", start=date(2022, 6, 1), end=date(2023, 12, 31))
    ended.funding_source, ended.retention_until = "fes-2021-2027", today_in_poland() - timedelta(days=1)
    ended.retention_reason = "umowa o dofinansowanie, § 12"
    with app.app_context():
        [project_id] = add(tenant, ended)
    person_id = register_and_use(app, client, auth, project_id)
    with app.app_context(), tenant_scope(tenant):
        pseudonym = db.session.get(Participant, (tenant, person_id)).pseudonym
        facts = db.session.execute(select(FigureParticipation.person_key)).scalars().all()
    assert facts and set(facts) == {pseudonym}
    before = {(table, term) for table, _column, term in traces(admin_engine, [*TERMS, pseudonym])}
    for table in ("participants", "change_records", "access_records", "support_episodes", "outcomes",
                  "attachments", "subject_requests", "import_batches", "figure_participations"):
        assert any(t == table for t, _term in before), f"the test put no trace into {table}"

    assert erase(app, person_id) is ErasureOutcome.ANONYMISED

    assert traces(admin_engine, [*TERMS, pseudonym]) == []
    with app.app_context(), tenant_scope(tenant):
        person = db.session.get(Participant, (tenant, person_id))
        assert person.anonymised_at and person.pesel is None and person.pseudonym is None
        assert person.birth_date == date(1979, 7, 1) and person.sex is Sex.FEMALE   # what the figures need
        assert db.session.execute(select(Enrolment)).scalar_one().participant_id == person.id
        assert db.session.execute(select(FigureParticipation.person_key)).scalars().all() == [f"p:{person_id}"] * len(facts)
        request = db.session.execute(select(SubjectRequest)).scalar_one()
        assert request.requester == REDACTED and request.kind is RequestKind.ERASURE
        assert db.session.execute(select(Consent)).first() is None
        assert db.session.execute(select(Attachment)).first() is None
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert batch.file_data == b"" and batch.status is ImportStatus.CANCELLED
        assert batch.errors[0]["value"] == REDACTED and batch.errors[0]["row"] == 2
    page = client.get(f"{BASE}/{person_id}")
    assert page.status_code == 200 and PESEL not in page.get_data(as_text=True)


def test_a_person_enrolled_nowhere_is_deleted_with_every_trace(app, client, auth, admin_engine):
    person_id = register_and_use(app, client, auth)
    assert traces(admin_engine, TERMS)
    assert erase(app, person_id) is ErasureOutcome.DELETED
    assert traces(admin_engine, TERMS) == []
    assert client.get(f"{BASE}/{person_id}").status_code == 404


def test_erasure_becomes_restriction_while_a_retention_runs(app, client, auth, admin_engine):
    tenant = _institution_id(app, TENANT_A)
    running = project(code="FEŚ.09.01-IZ.00-0002/22", start=date(2022, 6, 1), end=date(2023, 12, 31))
    running.funding_source = "fes-2021-2027"   # default: until 31.12.2028
    with app.app_context():
        [project_id] = add(tenant, running)
    person_id = register_and_use(app, client, auth, project_id)
    assert erase(app, person_id) is ErasureOutcome.RESTRICTED
    with app.app_context(), tenant_scope(tenant):
        person = db.session.get(Participant, (tenant, person_id))
        assert person.pesel == PESEL and person.restricted_at is not None and person.anonymised_at is None
        assert "31.12.2028" in person.restriction_reason and "FEŚ.09.01-IZ.00-0002/22" in person.restriction_reason


def test_anonymising_clears_what_the_person_s_referrals_carried(app, client, auth, admin_engine):
    """A completed referral under a statute keeps no consent to withdraw: its data set (PESEL,
    name, address) and the texts that name the person must still go."""
    tenant = _institution_id(app, TENANT_A)
    ended = project(code="FEŚ.09.01-IZ.00-0002/22", start=date(2022, 6, 1), end=date(2023, 12, 31))
    ended.funding_source, ended.retention_until = "fes-2021-2027", today_in_poland() - timedelta(days=1)
    ended.retention_reason = "umowa o dofinansowanie, § 12"
    with app.app_context():
        [project_id] = add(tenant, ended)
    person_id = register_and_use(app, client, auth, project_id)
    with app.app_context():
        with tenant_scope(tenant):
            receiver = _receiver_for(tenant)
        with tenant_scope(receiver):
            service = _service(receiver)
            service.published = True
            db.session.add(service)
            db.session.commit()
            service_id, service_name = service.id, service.name
        with tenant_scope(tenant):
            referral = Referral(participant_id=person_id, receiver_tenant_id=receiver, service_id=service_id,
                                service_name=service_name, state=ReferralState.COMPLETED,
                                reason="Bożysława Kwiatkowska-Wróblewiczowa szuka pracy", legal_basis="statute",
                                payload={"first_name": "Bożysława", "last_name": "Kwiatkowska-Wróblewiczowa",
                                         "pesel": PESEL, "street": "ul. Jarzębinowa 17"},
                                due_on=date(2023, 3, 8))
            db.session.add(referral)
            db.session.flush()
            db.session.add(ReferralEvent(tenant_id=tenant, receiver_tenant_id=receiver, referral_id=referral.id,
                                         state="completed", actor_tenant_id=receiver,
                                         note="Pani Bożysława podjęła pracę, tel. 601 202 303"))
            db.session.commit()
    assert {table for table, _column, _term in traces(admin_engine, TERMS)} >= {"referrals", "referral_events"}

    assert erase(app, person_id) is ErasureOutcome.ANONYMISED

    assert traces(admin_engine, TERMS) == []
    with app.app_context(), tenant_scope(tenant):
        kept = db.session.execute(select(Referral)).scalar_one()
        assert kept.payload == {} and kept.reason == REDACTED and kept.state is ReferralState.COMPLETED
