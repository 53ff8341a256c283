"""Synthetic records behind a project's figures: participants, enrolments, support, outcomes.

Used by the demo seed (so that the demo practices' results come from records) and by the
tests. Fictional people: names from short lists, no PESEL. Runs in the current tenant scope.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from regionet.platform.extensions import db
from regionet.tenants.participants.models import Isced, LabourStatus, LegalBasis, Participant, SensitiveAnswer, Sex
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

FIRST_NAMES_F = ("Anna", "Katarzyna", "Maria", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
                 "Zofia", "Teresa", "Danuta", "Jolanta", "Halina", "Grażyna", "Beata")
FIRST_NAMES_M = ("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marek", "Michał", "Grzegorz", "Józef",
                 "Stanisław", "Łukasz", "Zbigniew", "Jerzy", "Wojciech", "Ryszard", "Dariusz")
SURNAMES = ("Nowak", "Kowalczyk", "Wiśniewsk", "Wójcik", "Kamińsk", "Lewandowsk", "Zieliński", "Szymańsk",
            "Woźniak", "Dąbrowsk", "Kozłowsk", "Jankowsk", "Mazur", "Kwiatkowsk", "Krawczyk", "Piotrowsk",
            "Grabowsk", "Pawłowsk", "Michalsk", "Król", "Wieczorek", "Jabłońsk", "Wróbel", "Nowakowsk")


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


def _surname(i: int, female: bool) -> str:
    stem = SURNAMES[(i * 7) % len(SURNAMES)]
    return stem + ("a" if female else "i") if stem.endswith(("sk", "ck")) else stem


def do_create_project_records(project: Project, spec: CohortSpec, seed: int = 0) -> None:
    """Participants enrolled in `project` exactly as `spec` says (current tenant)."""
    employed_until = spec.employed_within_4_weeks + spec.employed_later
    if employed_until > spec.exited:
        raise ValueError("employment outcomes need exited participants")
    for i in range(spec.participants):
        female = i < spec.women
        names = FIRST_NAMES_F if female else FIRST_NAMES_M
        entry = spec.entry + timedelta(days=(i * 3) % 60)
        birth_year = entry.year - (55 if i < spec.aged_50_plus else 34) - (i % 5)
        status = LabourStatus.LONG_TERM_UNEMPLOYED if i < spec.long_term_unemployed \
            else LabourStatus.REGISTERED_UNEMPLOYED
        person = Participant(
            first_name=names[(i + seed) % len(names)], last_name=_surname(i + seed, female), pesel=None,
            birth_date=date(birth_year, 1 + i % 12, 1 + i % 27), sex=Sex.FEMALE if female else Sex.MALE,
            education=(Isced.LOWER_SECONDARY, Isced.UPPER_SECONDARY, Isced.POST_SECONDARY)[i % 3],
            labour_status=status, disability=SensitiveAnswer.YES if i < spec.disability else SensitiveAnswer.NO,
            migrant_or_minority=SensitiveAnswer.NO, homeless=SensitiveAnswer.NO,
            jobless_household=SensitiveAnswer.REFUSED if i % 9 == 0 else SensitiveAnswer.NO,
            legal_basis=LegalBasis.LEGAL_OBLIGATION, legal_basis_date=entry, commune_code=spec.commune_code)
        exit_date = entry + timedelta(days=150) if i < spec.exited else None
        enrolment = Enrolment(project=project, participant=person, entry_date=entry, exit_date=exit_date,
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
