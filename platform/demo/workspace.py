"""The demo institutions' daily work: projects, participants, enrolments, support and outcomes.

Each demo institution gets a project or two with a few dozen participants who look real:
Polish names, valid PESEL numbers, communes of the institution's area, support that fits
the kind of institution and outcomes dated after it. Some people are deliberately known
to two institutions (the same PESEL at MOPS and at PUP), as in life, so that counting
unique people across the region has something to do.

Idempotent: an institution whose demo projects exist is left alone.
"""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import TerytUnit
from ..tenancy import tenant_scope
from .people import PeopleFactory, Person
from .records import new_participant, new_project


@dataclass(frozen=True)
class DemoProject:
    code: str
    title: str
    funding_source: str
    start: date
    end: date
    budget: str
    eu: str
    description: str
    participants: int
    partners: tuple[str, ...] = ()
    targets: dict = field(default_factory=dict)


DEMO_PROJECTS: dict[str, tuple[DemoProject, ...]] = {
    "mops-skarzysko-kamienna": (
        DemoProject("POKL.07.01.01-26-003/08", "Nowe Szanse w MOPS", "pokl-7.1.1", date(2008, 1, 1),
                    date(2013, 12, 31), "904150.00", "876150.00",
                    "Projekt systemowy: aktywizacja społeczna i zawodowa klientów MOPS i PUP z terenu miasta "
                    "Skarżyska-Kamiennej przez instrumenty aktywnej integracji; partner formalny od 2010 r.: PUP.",
                    36, ("pup-skarzysko-kamienna",),
                    {"participants_total": "35", "participants_disability": "5", "employed": "8",
                     "employment_rate": "20"}),
        DemoProject("FESW.09.03-IZ.00-0031/24", "Aktywni razem w Skarżysku", "fes-2021-2027", date(2024, 3, 1),
                    date(2027, 2, 28), "1250000.00", "1062500.00",
                    "Usługi aktywnej integracji dla osób korzystających z pomocy społecznej; KIS i kontrakty socjalne.",
                    22, ("pup-skarzysko-kamienna",), {"participants_total": "40", "employed": "10"}),
    ),
    "gops-blizyn": (
        DemoProject("GOPS-KIS-2023", "Klub Integracji Społecznej w Bliżynie", "own", date(2023, 1, 1),
                    date(2025, 12, 31), "186000.00", "0.00",
                    "Klub Integracji Społecznej prowadzony przez GOPS: warsztaty, PSU, poradnictwo.", 18,
                    ("pup-skarzysko-kamienna",), {"participants_total": "20"}),
    ),
    "pup-skarzysko-kamienna": (
        DemoProject("PUP-PAI-2025", "Program Aktywizacja i Integracja 2025", "fp", date(2025, 2, 1),
                    date(2025, 11, 30), "240000.00", "0.00",
                    "PAI dla bezrobotnych korzystających z pomocy społecznej, z MOPS i GOPS: PSU i zajęcia grupowe.",
                    24, ("mops-skarzysko-kamienna", "gops-blizyn"), {"participants_total": "25", "employed": "5"}),
        DemoProject("POWR.04.03.00-00-0087/16", "Pakt zatrudnieniowy 50+", "power-4.3", date(2016, 9, 1),
                    date(2018, 8, 31), "1487300.00", "1253500.00",
                    "Testowanie modelu JOBfirma: aktywizacja osób bezrobotnych po 50. roku życia.", 20, (),
                    {"participants_50_plus": "20", "employed": "6"}),
    ),
    "owes-kielce": (
        DemoProject("FESW.09.06-IZ.00-0004/23", "Świętokrzyska Ekonomia Społeczna", "fes-2021-2027",
                    date(2023, 1, 1), date(2026, 12, 31), "6500000.00", "5525000.00",
                    "Wsparcie OWES: animacja, tworzenie przedsiębiorstw społecznych, reintegracja i miejsca pracy.",
                    26, (), {"participants_total": "60", "employed": "20"}),
    ),
    "mopr-kielce": (
        DemoProject("RPSW.09.01.00-26-0045/17", "Aktywna integracja w Kielcach", "rpo-ws-2014-2020",
                    date(2017, 4, 1), date(2020, 12, 31), "2115000.00", "1797750.00",
                    "Kontrakty socjalne, KIS i staże dla klientów MOPR.", 30, (),
                    {"participants_total": "30", "employed": "7"}),
    ),
}

# Where the institution's participants live: TERYT prefixes of their communes.
AREAS = {"mops-skarzysko-kamienna": ("2610011",), "gops-blizyn": ("2610022",), "pup-skarzysko-kamienna": ("2610",),
         "owes-kielce": ("2661", "2604"), "mopr-kielce": ("2661011",)}
# The same people at two institutions: (first institution, second institution, how many).
SHARED_PEOPLE = (("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", 8), ("gops-blizyn", "pup-skarzysko-kamienna", 3),
                 ("mopr-kielce", "owes-kielce", 4))

INSTRUMENTS_BY_KIND = {
    "ops": ("social_contract", "kis", "specialist_counselling", "family_assistant", "socially_useful_work",
            "vocational_course", "internship", "local_activity_programme", "disability_assistant"),
    "pup": ("individual_action_plan", "internship", "vocational_course", "activation_programme",
            "socially_useful_work", "specialist_counselling"),
    "owes": ("vocational_course", "specialist_counselling", "cis", "other", "internship"),
}
HOURS = {"internship": (480, 960), "vocational_course": (60, 200), "socially_useful_work": (120, 400),
         "kis": (40, 160), "cis": (400, 900), "activation_programme": (80, 160)}


def do_seed_demo_workspaces(today: date) -> list[str]:
    """Add the demo projects and their people to every demo institution that lacks them."""
    from .seed import DEMO_INSTITUTIONS

    institutions = {i.slug: i for i in db.session.execute(
        select(Institution).where(Institution.slug.in_([s.slug for s in DEMO_INSTITUTIONS]))).scalars()}
    people = _people_by_institution(list(institutions))
    created = []
    for slug, projects in DEMO_PROJECTS.items():
        institution = institutions.get(slug)
        if institution is None:
            continue
        with tenant_scope(institution.id):
            created += _seed_institution(institution, projects, people[slug], institutions, today)
    return created


def _people_by_institution(slugs: list[str]) -> dict[str, list[Person]]:
    """Each institution's own people, plus the ones it shares with another institution."""
    # Born 1960–1990: adults of working age both in the 2008 projects and in today's.
    born = {"oldest": date(1960, 1, 1), "youngest": date(1990, 12, 31)}
    own = {slug: PeopleFactory(f"demo/{slug}", **born) for slug in slugs}
    shared_factory = PeopleFactory("demo/shared", **born)
    needed = {slug: sum(p.participants for p in DEMO_PROJECTS.get(slug, ())) for slug in slugs}
    lists: dict[str, list[Person]] = {slug: [] for slug in slugs}
    for first, second, count in SHARED_PEOPLE:
        shared = [shared_factory.person() for _ in range(count)]
        for slug in (first, second):
            if slug in lists:
                lists[slug] += shared
    for slug in slugs:
        while len(lists[slug]) < needed[slug]:
            lists[slug].append(own[slug].person())
    return lists


def _communes(prefixes: tuple[str, ...]) -> list[str]:
    codes = []
    for prefix in prefixes:
        codes += db.session.execute(
            select(TerytUnit.code).where(TerytUnit.code.startswith(prefix), TerytUnit.commune_kind.in_(("1", "2", "3")))
            .order_by(TerytUnit.code)).scalars().all()
    return codes


def _seed_institution(institution, projects, people, institutions, today) -> list[str]:
    from regionet.tenants.participants.models import Participant
    from regionet.tenants.projects.models import Project

    codes = [p.code for p in projects]
    existing = set(db.session.execute(select(Project.code).where(Project.code.in_(codes))).scalars())
    missing = [p for p in projects if p.code not in existing]
    if not missing:
        return []
    rnd = random.Random(f"demo/{institution.slug}/records")
    communes = _communes(AREAS[institution.slug])
    known = {p.pesel: p for p in db.session.execute(select(Participant)).scalars() if p.pesel}
    created = []
    cursor = 0
    for spec in projects:
        chosen = people[cursor:cursor + spec.participants]
        cursor += spec.participants
        if spec.code in existing:
            continue
        project = _project(spec, institutions)
        db.session.add(project)
        participants = []
        for person in chosen:
            if person.pesel not in known:
                known[person.pesel] = _participant(person, rnd, communes, institution.region_code)
                db.session.add(known[person.pesel])
            participants.append(known[person.pesel])
        _enrol(project, participants, institution.kind.value, rnd, today)
        created.append(f"project {spec.code} in {institution.slug} ({len(chosen)} participants)")
    db.session.commit()
    return created


def _project(spec: DemoProject, institutions):
    from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation

    partners = []
    for slug in spec.partners:
        partner_institution = institutions.get(slug)
        if partner_institution is None:
            continue
        partner = db.session.execute(select(PartnerOrganisation).where(
            PartnerOrganisation.institution_id == partner_institution.id)).scalars().first()
        if partner is None:
            partner = PartnerOrganisation(name=partner_institution.name, kind=PartnerKind.PLATFORM_INSTITUTION,
                                          institution_id=partner_institution.id)
            db.session.add(partner)
        partners.append(partner)
    return new_project(code=spec.code, title=spec.title, funding_source=spec.funding_source, start=spec.start,
                       end=spec.end, budget=spec.budget, eu=spec.eu, description=spec.description,
                       partners=partners, targets=spec.targets)


def _participant(person: Person, rnd: random.Random, communes: list[str], region_code: str):
    from regionet.tenants.participants.models import Isced, LabourStatus, SensitiveAnswer

    def sensitive(yes: float, refused: float) -> SensitiveAnswer:
        draw = rnd.random()
        return SensitiveAnswer.YES if draw < yes else SensitiveAnswer.REFUSED if draw < yes + refused \
            else SensitiveAnswer.NO

    status = rnd.choices(list(LabourStatus), weights=(30, 40, 8, 17, 5))[0]
    commune = rnd.choice(communes)
    postal_code = f"26-{rnd.randint(100, 199)}"
    phone = f"+48 {rnd.randint(500, 799)} {rnd.randint(100, 999)} {rnd.randint(100, 999)}"
    education = rnd.choices(list(Isced), weights=(2, 8, 25, 40, 12, 13))[0]
    disability, migrant = sensitive(0.16, 0.04), sensitive(0.03, 0.05)
    homeless, jobless = sensitive(0.05, 0.04), sensitive(0.35, 0.05)
    return new_participant(person, region_code, commune_code=commune, labour_status=status, education=education,
                           disability=disability, migrant_or_minority=migrant, homeless=homeless,
                           jobless_household=jobless, legal_basis_date=date(2008, 1, 1), consent=True,
                           postal_code=postal_code, phone=phone)


def _enrol(project, participants, institution_kind: str, rnd: random.Random, today: date) -> None:
    from regionet.tenants.support.models import (
        Enrolment,
        Instrument,
        Outcome,
        OutcomeKind,
        SupportEpisode,
    )

    last_day = min(project.end_date, today - timedelta(days=1))
    instruments = INSTRUMENTS_BY_KIND.get(institution_kind, INSTRUMENTS_BY_KIND["ops"])
    for participant in participants:
        span = (last_day - project.start_date).days
        entry = project.start_date + timedelta(days=rnd.randrange(max(1, span - 30)))
        leaves = project.end_date < today or rnd.random() < 0.6
        exit_date = min(last_day, entry + timedelta(days=rnd.randint(60, 330))) if leaves else None
        enrolment = Enrolment(project=project, participant=participant, entry_date=entry, exit_date=exit_date,
                              status_at_entry=participant.labour_status)
        db.session.add(enrolment)
        support_end = exit_date or last_day
        for instrument in rnd.sample(instruments, k=rnd.choice((1, 2, 2, 3))):
            start = entry + timedelta(days=rnd.randrange(max(1, (support_end - entry).days // 2)))
            end = min(support_end, start + timedelta(days=rnd.randint(14, 180)))
            low, high = HOURS.get(instrument, (6, 40))
            db.session.add(SupportEpisode(enrolment=enrolment, instrument=Instrument(instrument), start_date=start,
                                          end_date=end if (exit_date or rnd.random() < 0.7) else None,
                                          hours=Decimal(rnd.randint(low, high))))
            if instrument == "vocational_course" and rnd.random() < 0.7:
                db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.QUALIFICATION, achieved_on=end,
                                       evidence=f"Zaświadczenie o ukończeniu kursu nr {rnd.randint(10, 999)}/{end.year}"))
        if exit_date is not None and rnd.random() < 0.4:
            kind = rnd.choices((OutcomeKind.EMPLOYMENT_CONTRACT, OutcomeKind.INTERNSHIP_TO_JOB,
                                OutcomeKind.CIVIL_CONTRACT, OutcomeKind.SELF_EMPLOYMENT,
                                OutcomeKind.INDEPENDENT_OF_ASSISTANCE), weights=(40, 25, 15, 5, 15))[0]
            achieved = min(today - timedelta(days=1), exit_date + timedelta(days=rnd.choice((3, 10, 20, 27, 45, 120))))
            db.session.add(Outcome(enrolment=enrolment, kind=kind, achieved_on=achieved,
                                   evidence=_evidence(kind, achieved, rnd)))
        elif rnd.random() < 0.2:
            db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.STEPS_TOWARD_WORK,
                                   achieved_on=entry + timedelta(days=rnd.randint(7, 40)) if (support_end - entry).days > 40
                                   else entry, evidence="Udział w zajęciach z doradcą zawodowym"))


def _evidence(kind, day: date, rnd: random.Random) -> str:
    from regionet.tenants.support.models import OutcomeKind

    return {
        OutcomeKind.EMPLOYMENT_CONTRACT: f"Umowa o pracę z {day:%d.%m.%Y}, ½ etatu lub więcej",
        OutcomeKind.INTERNSHIP_TO_JOB: f"Zatrudnienie po stażu, umowa z {day:%d.%m.%Y}",
        OutcomeKind.CIVIL_CONTRACT: f"Umowa zlecenie z {day:%d.%m.%Y}",
        OutcomeKind.SELF_EMPLOYMENT: f"Wpis do CEIDG z {day:%d.%m.%Y}",
        OutcomeKind.INDEPENDENT_OF_ASSISTANCE: f"Decyzja o zakończeniu pomocy nr {rnd.randint(100, 999)}/{day.year}",
    }[kind]
