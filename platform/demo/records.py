"""The one way demo records are made: projects, participants, enrolments, support, outcomes.

* `new_project` and `new_participant` build every demo project and participant (the demo
  workspaces in workspace.py, the projects behind the demo practices, the tests), with
  people drawn by `people.PeopleFactory` (Polish names, PESEL numbers that agree with the
  birth date and sex).
* `do_create_project_records` enrols a cohort exactly as a `CohortSpec` says, so that a
  practice's results (computed from these records) are known in advance. Its people are
  fictional and keep no PESEL, so cohorts never clash with each other or with the
  workspaces' people (PESEL is unique per institution).

Runs in the current tenant scope.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.participants.models import Isced, LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex
from regionet.tenants.participants.pseudonym import pseudonym_for
from regionet.tenants.projects.models import Project, ProjectTarget
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

from .people import PeopleFactory, Person


@dataclass(frozen=True)
class CohortSpec:
    """How many participants have each property; participant i has it when i < the count."""

    participants: int
    women: int = 0
    disability: int = 0
    long_term_unemployed: int = 0
    aged_50_plus: int = 0
    exited: int = 0
    employed_within_4_weeks: int = 0   # among the first `exited`
    employed_later: int = 0            # after the 4 weeks, among the exited ones that follow
    qualified: int = 0
    independent: int = 0
    instruments: tuple[tuple[str, int], ...] = ()   # (instrument, participants), the first n get it
    entry: date = date(2013, 6, 3)
    commune_code: str | None = None


def new_project(*, code: str, title: str, funding_source: str, start: date, end: date, budget: str, eu: str,
                description: str | None = None, partners=(), targets: dict | None = None) -> Project:
    """A demo project (not yet added to the session); money as strings, targets {indicator: value}."""
    budget_total, eu_part = Decimal(budget), Decimal(eu)
    return Project(title=title, code=code, funding_source=funding_source, start_date=start, end_date=end,
                   budget_total=budget_total, eu_cofinancing=eu_part, own_contribution=budget_total - eu_part,
                   description=description, partners=list(partners),
                   targets=[ProjectTarget(indicator=k, target_value=Decimal(str(v)))
                            for k, v in (targets or {}).items()])


def new_participant(person: Person, region_code: str, *, keep_pesel: bool = True, commune_code: str | None,
                    labour_status: LabourStatus, education: Isced, disability: SensitiveAnswer,
                    migrant_or_minority: SensitiveAnswer = SensitiveAnswer.NO,
                    homeless: SensitiveAnswer = SensitiveAnswer.NO,
                    jobless_household: SensitiveAnswer = SensitiveAnswer.NO,
                    legal_basis_date: date, consent: bool = False, postal_code: str | None = None,
                    phone: str | None = None) -> Participant:
    """A participant record for a drawn person (the pseudonym follows the PESEL, as in the app)."""
    pesel = person.pesel if keep_pesel else None
    return Participant(
        first_name=person.first_name, last_name=person.last_name, pesel=pesel, birth_date=person.birth_date,
        sex=Sex(person.sex), pseudonym=pseudonym_for(pesel, region_code),
        street=person.street, postal_code=postal_code, locality=None,
        commune_code=commune_code, phone=phone, education=education, labour_status=labour_status,
        disability=disability, migrant_or_minority=migrant_or_minority, homeless=homeless,
        jobless_household=jobless_household, legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_basis_date=legal_basis_date, consent_given=consent, consent_date=legal_basis_date if consent else None)


def do_create_project_records(project: Project, spec: CohortSpec, seed: int = 0) -> None:
    """Participants enrolled in `project` exactly as `spec` says (current tenant)."""
    employed_until = spec.employed_within_4_weeks + spec.employed_later
    if employed_until > spec.exited:
        raise ValueError("employment outcomes need exited participants")
    region_code = db.session.get(Institution, current_tenant_id()).region_code
    people = PeopleFactory(f"cohort/{project.code}/{seed}")
    for i in range(spec.participants):
        entry = spec.entry + timedelta(days=(i * 3) % 60)
        birth_year = entry.year - (55 if i < spec.aged_50_plus else 34) - (i % 5)
        person = people.person(female=i < spec.women, birth=date(birth_year, 1 + i % 12, 1 + i % 27))
        status = LabourStatus.LONG_TERM_UNEMPLOYED if i < spec.long_term_unemployed \
            else LabourStatus.REGISTERED_UNEMPLOYED
        participant = new_participant(
            person, region_code, keep_pesel=False, commune_code=spec.commune_code, labour_status=status,
            education=(Isced.LOWER_SECONDARY, Isced.UPPER_SECONDARY, Isced.POST_SECONDARY)[i % 3],
            disability=SensitiveAnswer.YES if i < spec.disability else SensitiveAnswer.NO,
            jobless_household=SensitiveAnswer.REFUSED if i % 9 == 0 else SensitiveAnswer.NO, legal_basis_date=entry)
        exit_date = entry + timedelta(days=150) if i < spec.exited else None
        enrolment = Enrolment(project=project, participant=participant, entry_date=entry, exit_date=exit_date,
                              status_at_entry=status)
        for instrument, count in spec.instruments:
            if i < count:
                enrolment.episodes.append(SupportEpisode(instrument=Instrument(instrument),
                                                         start_date=entry + timedelta(days=7),
                                                         end_date=entry + timedelta(days=120)))
        if i < spec.employed_within_4_weeks:
            enrolment.outcomes.append(Outcome(kind=OutcomeKind.EMPLOYMENT_CONTRACT,
                                              achieved_on=exit_date + timedelta(days=10)))
        elif i < employed_until:
            enrolment.outcomes.append(Outcome(kind=OutcomeKind.CIVIL_CONTRACT,
                                              achieved_on=exit_date + timedelta(days=70)))
        if i < spec.qualified:
            enrolment.outcomes.append(Outcome(kind=OutcomeKind.QUALIFICATION, achieved_on=entry + timedelta(days=100)))
        if i < spec.independent:
            enrolment.outcomes.append(Outcome(kind=OutcomeKind.INDEPENDENT_OF_ASSISTANCE,
                                              achieved_on=entry + timedelta(days=140)))
        db.session.add(enrolment)
    db.session.flush()
