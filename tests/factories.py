"""One factory per tenant-owned model: `make(model, tenant_id)` returns the id of a committed object.

The cross-tenant test looks up a factory for every model a route names in its URL;
a model without a factory fails that test, so new models cannot slip past it.
Factories build their own parents (an outcome gets an enrolment, a project, a participant).
"""
import hashlib
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from uuid6 import uuid7

from regionet.platform.accounts.models import MembershipRole
from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.coordinator.periods import reporting_key
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.group_sessions.models import GroupSession, SessionAttendance
from regionet.tenants.groups.models import (
    ActionItem,
    AgendaDocument,
    AgendaItem,
    GroupInstitution,
    GroupKind,
    GroupMember,
    Meeting,
    MemberRole,
    PartyStatus,
    WorkingGroup,
)
from regionet.tenants.imports.models import ImportBatch, ImportMode, ImportStatus
from regionet.tenants.participants.models import Isced, LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex
from regionet.tenants.partners.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    PartnerKind,
    PartnerOrganisation,
)
from regionet.tenants.periods.models import PeriodSubmission, SubmissionStatus
from regionet.tenants.plans.models import IndividualPlan, PlanKind, PlanReview, PlanStep
from regionet.tenants.practices.models import Practice, PracticePhoto, PracticeVersion, VersionState
from regionet.tenants.privacy.models import (
    Consent,
    ConsentBasis,
    ConsentPurpose,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from regionet.tenants.projects.models import Project
from regionet.tenants.referrals.models import Referral, ReferralState
from regionet.tenants.reports.models import InstitutionReport, ReportKind, RunStatus
from regionet.tenants.service_catalogue.models import Service, ServiceType
from regionet.tenants.staff.models import StaffInvitation
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

_sequence = itertools.count(1)


def _report(tenant_id: int) -> InstitutionReport:
    return InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.DONE, progress=100,
                             job_id=f"test-{tenant_id}", pdf=b"%PDF-1.4 test", file_name="test.pdf",
                             page_count=1, size_bytes=13, sha256="0" * 64)


def _participant(tenant_id: int) -> Participant:
    n = next(_sequence)
    return Participant(first_name="Anna", last_name=f"Testowa-{n}", pesel=None, birth_date=date(1980, 5, 14),
                       sex=Sex.FEMALE, education=Isced.UPPER_SECONDARY,
                       labour_status=LabourStatus.LONG_TERM_UNEMPLOYED, disability=SensitiveAnswer.NO,
                       migrant_or_minority=SensitiveAnswer.NO, homeless=SensitiveAnswer.REFUSED,
                       jobless_household=SensitiveAnswer.YES, legal_basis=LegalBasis.LEGAL_OBLIGATION,
                       legal_basis_date=date(2024, 1, 10), consent_given=False, commune_code="2610011")


def _project(tenant_id: int) -> Project:
    n = next(_sequence)
    return Project(title=f"Nowe Szanse {n}", code=f"POKL.07.01.01-26-{n:03d}/08", funding_source="pokl-7.1.1",
                   start_date=date(2008, 1, 1), end_date=date(2013, 12, 31), budget_total=Decimal("904150.00"),
                   eu_cofinancing=Decimal("876150.00"), own_contribution=Decimal("28000.00"))


def _enrolment(tenant_id: int) -> Enrolment:
    return Enrolment(project=_project(tenant_id), participant=_participant(tenant_id), entry_date=date(2012, 3, 1),
                     exit_date=date(2012, 9, 30), status_at_entry=LabourStatus.LONG_TERM_UNEMPLOYED)


def _episode(tenant_id: int) -> SupportEpisode:
    return SupportEpisode(enrolment=_enrolment(tenant_id), instrument=Instrument.INTERNSHIP,
                          start_date=date(2012, 4, 1), end_date=date(2012, 8, 31), hours=Decimal("480"))


def _outcome(tenant_id: int) -> Outcome:
    return Outcome(enrolment=_enrolment(tenant_id), kind=OutcomeKind.EMPLOYMENT_CONTRACT,
                   achieved_on=date(2012, 10, 15), evidence="umowa o pracę z 15.10.2012")


def _group_session(tenant_id: int) -> GroupSession:
    episode = SupportEpisode(enrolment=_enrolment(tenant_id), instrument=Instrument.KIS, start_date=date(2012, 5, 8),
                             end_date=date(2012, 5, 8), hours=Decimal("3"), notes="Zajęcia grupowe: CV")
    session = GroupSession(project=episode.enrolment.project, instrument=Instrument.KIS, held_on=date(2012, 5, 8),
                           hours=Decimal("3"), topic="Jak napisać CV", place="Świetlica KIS",
                           instructor="Beata Adaś")
    session.attendance.append(SessionAttendance(enrolment=episode.enrolment, episode=episode))
    return session


def _plan(tenant_id: int) -> IndividualPlan:
    enrolment = _enrolment(tenant_id)
    plan = IndividualPlan(participant=enrolment.participant, enrolment=enrolment, kind=PlanKind.SOCIAL_CONTRACT,
                          number=f"KS/{next(_sequence)}/2012", start_date=date(2012, 3, 15),
                          planned_end_date=date(2012, 9, 30), goals="Podjęcie zatrudnienia.",
                          institution_obligations="Opłacenie kursu.", participant_obligations="Udział w kursie.",
                          version=1)
    plan.steps.append(PlanStep(description="Zapis na kurs", owner="Uczestniczka", due_on=date(2012, 4, 1)))
    plan.reviews.append(PlanReview(due_on=date(2012, 6, 15)))
    return plan


def _plan_step(tenant_id: int) -> PlanStep:
    return _plan(tenant_id).steps[0]


def _plan_review(tenant_id: int) -> PlanReview:
    return _plan(tenant_id).reviews[0]


def _partner(tenant_id: int) -> PartnerOrganisation:
    return PartnerOrganisation(name=f"Stowarzyszenie Razem {next(_sequence)}", kind=PartnerKind.NGO)


def _attachment(tenant_id: int) -> Attachment:
    data = b"%PDF-1.4 porozumienie"
    return Attachment(file_name="porozumienie.pdf", content_type="application/pdf", size_bytes=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), data=data)


def _agreement(tenant_id: int) -> Agreement:
    """An agreement of its owner and an outside partner: no other institution is a party."""
    partner = _partner(tenant_id)
    db.session.add(partner)
    db.session.flush()
    agreement_id = uuid7()
    document = _attachment(tenant_id)
    document.party_set_id = agreement_id
    return Agreement(id=agreement_id, title="Porozumienie o współpracy MOPS–PUP", kind=AgreementKind.COOPERATION,
                     scope="Wspólna realizacja programu aktywizacji i integracji", valid_from=date(2024, 1, 1),
                     parties=[AgreementParty(institution_id=tenant_id, name="Właściciel", position=0),
                              AgreementParty(partner_id=partner.id, name=partner.name, position=1)],
                     document=document)


def _import(tenant_id: int) -> ImportBatch:
    return ImportBatch(status=ImportStatus.DONE, mode=ImportMode.ALL_OR_NOTHING, progress=100,
                       file_name="uczestnicy.csv", file_data=b"imie;nazwisko\n", total_rows=0, valid_rows=0,
                       imported_rows=0, errors=[])


def png_bytes(width: int = 8, height: int = 6, colour=(29, 78, 137)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def practice_version(number: int = 1, state: VersionState = VersionState.DRAFT, **fields) -> PracticeVersion:
    """A complete version (every section a submission needs), fields overridable."""
    values = dict(
        title="Klub Integracji Społecznej przy MOPS", period_start=date(2013, 6, 1), period_end=date(2015, 6, 30),
        problem="Długotrwałe bezrobocie wśród klientów pomocy społecznej.",
        local_figures="Stopa bezrobocia ok. 26%, z czego ok. 67% to bezrobotni długotrwale (2008).",
        target_group_description="Osoby bezrobotne korzystające z pomocy społecznej.", target_group_size=219,
        target_groups=["long_term_unemployed", "social_assistance_clients"], instruments=["kis", "internship"],
        cooperation="Porozumienie z Powiatowym Urzędem Pracy; wspólny zespół.", funding_source="pokl-7.2.1",
        funding_total=Decimal("904150.00"), funding_eu=Decimal("876150.00"), funding_own=Decimal("28000.00"),
        results_narrative="Zatrudnienie podjęło 53 uczestników.", contact_name="Beata Adaś",
        contact_email="kis@mops.example")
    values.update(fields)
    return PracticeVersion(number=number, state=state, **values)


def _practice(tenant_id: int) -> Practice:
    practice = Practice()
    practice.versions.append(practice_version())
    return practice


def _practice_version(tenant_id: int) -> PracticeVersion:
    version = practice_version()
    version.practice = Practice()
    return version


def _practice_photo(tenant_id: int) -> PracticePhoto:
    data = png_bytes()
    version = _practice_version(tenant_id)
    attachment = Attachment(file_name="zdjecie.png", content_type="image/png", size_bytes=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), data=data)
    return PracticePhoto(version=version, attachment=attachment, caption="Spotkanie klubu", width=8, height=6)
def _submission(tenant_id: int) -> PeriodSubmission:
    period_id, n = uuid7(), next(_sequence)
    # A region has one period per dates (uq_reporting_periods_dates), and these rows outlive a test.
    period = ReportingPeriod(id=period_id, period_key=reporting_key(period_id), name=f"Okres {n}",
                             region_code=db.session.get(Institution, tenant_id).region_code,
                             start_date=date(2026, 1, 1) - timedelta(days=n), end_date=date(2026, 6, 30))
    return PeriodSubmission(period=period, status=SubmissionStatus.OPEN)


def _invitation(tenant_id: int) -> StaffInvitation:
    n = next(_sequence)
    now = datetime.now(UTC)
    return StaffInvitation(email=f"zaproszona-{n}@example.org", full_name="Zaproszona Osoba", role=MembershipRole.STAFF,
                           token_hash=hashlib.sha256(f"invitation-{tenant_id}-{n}".encode()).hexdigest(),
                           created_at=now, expires_at=now + timedelta(days=7))


def _person_id(tenant_id: int):
    person = _participant(tenant_id)
    db.session.add(person)
    db.session.flush()
    return person.id


def _consent(tenant_id: int) -> Consent:
    return Consent(participant_id=_person_id(tenant_id), purpose=ConsentPurpose.FOLLOW_UP, basis=ConsentBasis.CONSENT,
                   given_on=date(2024, 1, 10))


def _subject_request(tenant_id: int) -> SubjectRequest:
    return SubjectRequest(participant_id=_person_id(tenant_id), requester="Anna Testowa", kind=RequestKind.ACCESS,
                          status=RequestStatus.OPEN, received_on=date(2026, 11, 2), due_on=date(2026, 12, 2))
def _service(tenant_id: int) -> Service:
    """An unpublished service: only its owner sees it (published ones have their own tests)."""
    return Service(name=f"Klub integracji {next(_sequence)}", description="Warsztaty i doradztwo.",
                   service_type=ServiceType.KIS, data_set=["name", "contact"], area_codes=[],
                   region_code=db.session.get(Institution, tenant_id).region_code, published=False)


# The isolation test asks as this institution: a referral's receiver is always a third one.
ISOLATION_OUTSIDER = "owes-kielce"


def _receiver_for(tenant_id: int) -> int:
    from sqlalchemy import select

    region = db.session.get(Institution, tenant_id).region_code
    return db.session.execute(select(Institution.id).where(
        Institution.region_code == region, Institution.id != tenant_id,
        Institution.slug != ISOLATION_OUTSIDER).order_by(Institution.id)).scalars().first()


def _referral(tenant_id: int) -> Referral:
    """A referral from `tenant_id` to a third institution of the region (its service published)."""
    receiver = _receiver_for(tenant_id)
    with tenant_scope(receiver):
        service = _service(receiver)
        service.published = True
        db.session.add(service)
        db.session.commit()
        service_id, service_name = service.id, service.name
    participant = _participant(tenant_id)
    db.session.add(participant)
    db.session.flush()
    return Referral(participant_id=participant.id, receiver_tenant_id=receiver, service_id=service_id,
                    service_name=service_name, state=ReferralState.SENT, reason="Wsparcie w klubie.",
                    payload={"first_name": "Anna", "last_name": "Testowa"}, legal_basis="consent",
                    due_on=date(2026, 1, 8))
def _group(tenant_id: int) -> WorkingGroup:
    """A group of one institution only: nobody else is a party, so nobody else may see it."""
    group = WorkingGroup(id=uuid7(), name=f"Grupa robocza {next(_sequence)}", kind=GroupKind.WORKING,
                         purpose="Współpraca MOPS i PUP.")
    group.institutions.append(GroupInstitution(tenant_id=tenant_id, group_id=group.id, institution_id=tenant_id,
                                               status=PartyStatus.MEMBER))
    return group


def _group_member(tenant_id: int) -> GroupMember:
    group = _group(tenant_id)
    member = GroupMember(tenant_id=tenant_id, group_id=group.id, full_name="Beata Adaś", institution_id=tenant_id,
                         role=MemberRole.SECRETARY)
    group.members.append(member)
    return member


def _meeting(tenant_id: int) -> Meeting:
    group = _group(tenant_id)
    meeting = Meeting(tenant_id=tenant_id, group_id=group.id, title="Analiza narzędzi badawczych",
                      starts_at=datetime(2026, 5, 16, 11, 0, tzinfo=UTC), place="Sala konferencyjna MOPS")
    group.meetings.append(meeting)
    return meeting


def _agenda_item(tenant_id: int) -> AgendaItem:
    meeting = _meeting(tenant_id)
    item = AgendaItem(tenant_id=tenant_id, group_id=meeting.group_id, position=1,
                      title="Prezentacja katalogu usług PUP", presenter="PUP Skarżysko-Kamienna")
    meeting.agenda.append(item)
    return item


def _agenda_document(tenant_id: int) -> AgendaDocument:
    item = _agenda_item(tenant_id)
    data = b"%PDF-1.4\n% katalog uslug\n"
    document = AgendaDocument(tenant_id=tenant_id, group_id=item.group_id, file_name="katalog-uslug.pdf",
                              content_type="application/pdf", size_bytes=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), data=data)
    item.documents.append(document)
    return document


def _action(tenant_id: int) -> ActionItem:
    meeting = _meeting(tenant_id)
    action = ActionItem(tenant_id=tenant_id, group_id=meeting.group_id, title="Projekt porozumienia MOPS–PUP",
                        owner_institution_id=tenant_id, deadline=date(2026, 9, 30))
    meeting.group.actions.append(action)
    db.session.add(meeting)
    db.session.flush()
    action.meeting_id = meeting.id
    return action


FACTORIES = {
    Consent: _consent,
    SubjectRequest: _subject_request,
    InstitutionReport: _report,
    Participant: _participant,
    Project: _project,
    Enrolment: _enrolment,
    SupportEpisode: _episode,
    Outcome: _outcome,
    GroupSession: _group_session,
    IndividualPlan: _plan,
    PlanStep: _plan_step,
    PlanReview: _plan_review,
    PartnerOrganisation: _partner,
    Agreement: _agreement,
    Attachment: _attachment,
    ImportBatch: _import,
    Practice: _practice,
    PracticeVersion: _practice_version,
    PracticePhoto: _practice_photo,
    PeriodSubmission: _submission,
    StaffInvitation: _invitation,
    Service: _service,
    Referral: _referral,
    WorkingGroup: _group,
    GroupMember: _group_member,
    Meeting: _meeting,
    AgendaItem: _agenda_item,
    AgendaDocument: _agenda_document,
    ActionItem: _action,
}


def make(model, tenant_id: int):
    """Create and commit one object of `model` in `tenant_id`; returns its id."""
    with tenant_scope(tenant_id):
        obj = FACTORIES[model](tenant_id)
        db.session.add(obj)
        db.session.commit()
        return obj.id
