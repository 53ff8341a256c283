"""Generate synthetic institution workspaces at scale in PostgreSQL (for benchmarks).

    python bench/generate.py --database-url postgresql://regionet_owner@127.0.0.1/regionet \\
        --institutions 1 --participants 20000 --episodes 60000 --outcomes 15000
    python bench/generate.py ... --institutions 150 --participants 300000 --episodes 900000 --outcomes 200000
    python bench/generate.py ... --fill mops-skarzysko-kamienna --participants 20000 ...   (an existing institution)

People look real: Polish names, valid PESEL numbers agreeing with birth date and sex, addresses
in the institution's TERYT communes, keyed pseudonyms (PSEUDONYM_SECRET as in the app), and a
share of people known to two institutions of the region. Each institution gets two projects;
participants are enrolled, support episodes and outcomes fall within their enrolments.

Rows go in through COPY into a temporary table and one INSERT ... SELECT per table, inside a
transaction that sets app.tenant_id: the tables' FORCE row-level security applies to the
INSERT (COPY FROM itself is refused on tables with row-level security), so the script works
as the owner or the runtime role and cannot write into the wrong institution.
Institutions that already have generated projects (code BENCH-…) are skipped.
The change history (change_records) is not written for generated rows.
The closing ANALYZE only takes effect for the tables' owner (PostgreSQL skips it for the
runtime role): before timing pages, connect as the owner or ANALYZE afterwards, otherwise
the planner works from empty statistics until autovacuum catches up.
"""
import argparse
import hashlib
import hmac
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from uuid6 import uuid7

from regionet.platform.demo.people import PeopleFactory, Person

INSTRUMENTS = ("internship", "socially_useful_work", "kis", "cis", "vocational_course", "family_assistant",
               "disability_assistant", "specialist_counselling", "social_contract", "individual_action_plan",
               "activation_programme", "local_activity_programme", "tutoring", "art_therapy", "other")
INSTRUMENT_WEIGHTS = (12, 10, 12, 3, 10, 6, 2, 12, 12, 8, 5, 3, 2, 1, 2)
WORK = ("employment_contract", "civil_contract", "self_employment", "internship_to_job")
OUTCOMES = WORK + ("independent_of_assistance", "qualification", "started_education", "care_leaver_independent",
                   "steps_toward_work")
OUTCOME_WEIGHTS = (25, 10, 3, 12, 10, 20, 4, 2, 14)
STATUSES = ("registered_unemployed", "long_term_unemployed", "unregistered_unemployed", "inactive", "employed")
ISCED = ("isced0", "isced1", "isced2", "isced3", "isced4", "isced5_8")

PARTICIPANT_COLUMNS = ("tenant_id", "id", "first_name", "last_name", "pesel", "birth_date", "sex", "pseudonym",
                       "street", "postal_code", "commune_code", "phone", "education", "labour_status", "disability",
                       "migrant_or_minority", "homeless", "jobless_household", "legal_basis", "legal_basis_date",
                       "consent_given", "consent_date")
PROJECT_COLUMNS = ("tenant_id", "id", "title", "code", "funding_source", "start_date", "end_date", "budget_total",
                   "eu_cofinancing", "own_contribution", "description")
ENROLMENT_COLUMNS = ("tenant_id", "id", "project_id", "participant_id", "entry_date", "exit_date", "status_at_entry")
EPISODE_COLUMNS = ("tenant_id", "id", "enrolment_id", "instrument", "start_date", "end_date", "hours")
OUTCOME_COLUMNS = ("tenant_id", "id", "enrolment_id", "kind", "achieved_on", "evidence")


@dataclass
class Target:
    institution_id: int
    slug: str
    communes: list[str]
    participants: int
    episodes: int
    outcomes: int


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares (institutions differ in size) that add up exactly."""
    weights = [rnd.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _institutions(args, rnd: random.Random) -> list[tuple[int, str, list[str]]]:
    """(id, slug, communes of its area) of the institutions to fill, created when needed."""
    from sqlalchemy import select

    from regionet.platform.accounts.models import MembershipRole
    from regionet.platform.accounts.services import do_ensure_user, do_grant_membership
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.institutions.services import do_create_institution
    from regionet.platform.regions.models import TerytUnit
    from regionet.platform.regions.services import do_create_region

    region, _ = do_create_region(args.region)
    units = db.session.execute(select(TerytUnit).where(TerytUnit.voivodeship == region.teryt_code)).scalars().all()
    communes = sorted(u.code for u in units if len(u.code) == 7 and u.commune_kind in ("1", "2", "3"))
    counties = sorted((u for u in units if len(u.code) == 4), key=lambda u: u.code)
    names = {u.code: u.name for u in units}

    def area(code: str) -> list[str]:
        return [c for c in communes if c.startswith(code[:len(code)])] or communes

    if args.fill:
        found = []
        for slug in args.fill.split(","):
            institution = db.session.execute(select(Institution).where(Institution.slug == slug)).scalar_one()
            prefix = institution.teryt_code if len(institution.teryt_code) == 7 else institution.teryt_code[:4]
            found.append((institution.id, slug, area(prefix)))
        return found
    plan = []
    for county in counties:  # a labour office per county
        plan.append(("pup", county.code, f"Powiatowy Urząd Pracy – {county.name}", f"PUP {county.name}"))
    for code in communes:  # a social-assistance centre per commune
        plan.append(("ops", code, f"Ośrodek Pomocy Społecznej – gmina {names[code]}", f"OPS {names[code]}"))
    kinds = ("owes", "cis", "kis", "social_cooperative")
    while len(plan) < args.institutions:
        code = rnd.choice(communes)
        kind = kinds[len(plan) % len(kinds)]
        plan.append((kind, code, f"{kind.upper()} {names[code]} {len(plan) + 1}", f"{kind.upper()} {names[code]}"))
    if args.institutions < len(plan):
        plan = [p for p in plan if p[0] == "ops"][:max(1, args.institutions - args.institutions // 8)] + \
            [p for p in plan if p[0] == "pup"][:args.institutions // 8]
        plan = plan[:args.institutions]
    result = []
    for index, (kind, code, name, short) in enumerate(plan, start=1):
        slug = f"bench-{index:03d}"
        institution, _ = do_create_institution(region_code=region.teryt_code, name=name, short_name=short,
                                               kind=kind, teryt_code=code, slug=slug)
        user, _ = do_ensure_user(f"{slug}.staff@bench.regionet.example", f"Pracownik {short}", args.password)
        do_grant_membership(user, institution.id, MembershipRole.STAFF)
        result.append((institution.id, slug, area(code if len(code) == 7 else code[:4])))
    db.session.commit()
    return result


def _people(targets: list[Target], shared_share: float, seed: int) -> dict[int, list[Person]]:
    """Every institution's people; about `shared_share` of them are also known to another institution."""
    pool_factory = PeopleFactory(f"bench/{seed}/shared")
    pool = [pool_factory.person() for _ in range(max(1, int(sum(t.participants for t in targets) * shared_share / 2)))]
    rnd = random.Random(f"bench/{seed}/sharing")
    people = {}
    for target in targets:
        own = PeopleFactory(f"bench/{seed}/{target.slug}")
        shared = rnd.sample(pool, min(len(pool), int(target.participants * shared_share))) if len(targets) > 1 else []
        chosen = {p.pesel: p for p in shared}
        while len(chosen) < target.participants:
            person = own.person()
            chosen.setdefault(person.pesel, person)
        people[target.institution_id] = list(chosen.values())
    return people


def _rows(target: Target, people: list[Person], key: bytes, rnd: random.Random, today: date):
    """(projects, participants, enrolments, episodes, outcomes) rows of one institution."""
    tid = target.institution_id
    projects = []
    for n, (start, end, source, eu_share) in enumerate(((date(2021, 1, 1), date(2023, 12, 31), "rpo-ws-2014-2020",
                                                         Decimal("0.85")),
                                                        (date(2023, 7, 1), date(2027, 6, 30), "fes-2021-2027",
                                                         Decimal("0.85")))):
        budget = Decimal(rnd.randrange(300_000, 3_000_000))
        eu = (budget * eu_share).quantize(Decimal("1.00"))
        projects.append((tid, uuid7(), f"Aktywna integracja {target.slug} {n + 1}", f"BENCH-{target.slug}-{n + 1}",
                         source, start, end, budget, eu, budget - eu, "Dane syntetyczne do testów wydajności"))
    participants, enrolments = [], []
    for person in people:
        pid = uuid7()
        participants.append((
            tid, pid, person.first_name, person.last_name, person.pesel, person.birth_date, person.sex,
            hmac.new(key, person.pesel.encode(), hashlib.sha256).hexdigest(), person.street,
            f"2{rnd.randint(5, 9)}-{rnd.randint(100, 999)}", rnd.choice(target.communes),
            f"+48 {rnd.randint(500, 799)} {rnd.randint(100, 999)} {rnd.randint(100, 999)}",
            rnd.choices(ISCED, (2, 8, 25, 40, 12, 13))[0], rnd.choices(STATUSES, (30, 40, 8, 17, 5))[0],
            rnd.choices(("yes", "no", "refused"), (16, 80, 4))[0], rnd.choices(("yes", "no", "refused"), (3, 92, 5))[0],
            rnd.choices(("yes", "no", "refused"), (5, 91, 4))[0], rnd.choices(("yes", "no", "refused"), (35, 60, 5))[0],
            "legal_obligation", date(2021, 1, 1), True, date(2021, 1, 1)))
        project = rnd.choice(projects)
        start, end = project[5], min(project[6], today - timedelta(days=1))
        entry = start + timedelta(days=rnd.randrange(max(1, (end - start).days - 60)))
        exit_date = min(end, entry + timedelta(days=rnd.randint(60, 400))) if (
            project[6] < today or rnd.random() < 0.6) else None
        enrolments.append((tid, uuid7(), project[1], pid, entry, exit_date, participants[-1][13]))
    episodes = []
    for _ in range(target.episodes):
        enrolment = rnd.choice(enrolments)
        entry, last = enrolment[4], enrolment[5] or today - timedelta(days=1)
        begin = entry + timedelta(days=rnd.randrange(max(1, (last - entry).days)))
        finish = min(last, begin + timedelta(days=rnd.randint(5, 200)))
        instrument = rnd.choices(INSTRUMENTS, INSTRUMENT_WEIGHTS)[0]
        episodes.append((tid, uuid7(), enrolment[1], instrument, begin, finish, Decimal(rnd.randint(4, 600))))
    outcomes = []
    left = [e for e in enrolments if e[5] is not None] or enrolments
    for _ in range(target.outcomes):
        enrolment = rnd.choice(left)
        kind = rnd.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
        base = enrolment[5] or enrolment[4]
        day = min(today - timedelta(days=1), base + timedelta(days=rnd.choice((2, 10, 20, 27, 40, 90, 150, 240))))
        if kind in ("qualification", "steps_toward_work"):
            day = max(enrolment[4], base - timedelta(days=rnd.randint(0, 30)))
        outcomes.append((tid, uuid7(), enrolment[1], kind, day, "dokument w aktach"))
    return projects, participants, enrolments, episodes, outcomes


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    """COPY into a temporary twin, then INSERT ... SELECT, which row-level security checks."""
    column_list = ", ".join(columns)
    cursor.execute(f"CREATE TEMP TABLE tmp_{table} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
    with cursor.copy(f"COPY tmp_{table} ({column_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM tmp_{table}")


def _load(connection, target: Target, rows) -> bool:
    projects, participants, enrolments, episodes, outcomes = rows
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.tenant_id', %s, true)", (str(target.institution_id),))
        cursor.execute("SELECT count(*) FROM projects WHERE code LIKE 'BENCH-%%'")
        if cursor.fetchone()[0]:
            print(f"  {target.slug}: generated data already present, skipped")
            return False
        _copy(cursor, "projects", PROJECT_COLUMNS, projects)
        _copy(cursor, "participants", PARTICIPANT_COLUMNS, participants)
        _copy(cursor, "enrolments", ENROLMENT_COLUMNS, enrolments)
        _copy(cursor, "support_episodes", EPISODE_COLUMNS, episodes)
        _copy(cursor, "outcomes", OUTCOME_COLUMNS, outcomes)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL (owner or runtime role)")
    parser.add_argument("--region", default="26", help="TERYT code of the region (default 26, Świętokrzyskie)")
    parser.add_argument("--institutions", type=int, default=1)
    parser.add_argument("--fill", help="comma-separated slugs of existing institutions to fill instead")
    parser.add_argument("--participants", type=int, default=20_000, help="in total, split over the institutions")
    parser.add_argument("--episodes", type=int, default=60_000)
    parser.add_argument("--outcomes", type=int, default=15_000)
    parser.add_argument("--shared", type=float, default=0.1, help="share of people known to two institutions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", default="bench-haslo-2026", help="password of the created staff accounts")
    args = parser.parse_args(argv)

    import psycopg
    from sqlalchemy.engine import make_url

    from regionet.platform.app import create_app
    from regionet.platform.ui.formatting import today_in_poland
    from regionet.tenants.participants.pseudonym import region_key

    started = time.perf_counter()
    url = make_url(args.database_url).set(drivername="postgresql+psycopg")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                      "MIGRATION_DATABASE_URL": url.render_as_string(hide_password=False)})
    rnd = random.Random(args.seed)
    with app.app_context():
        institutions = _institutions(args, rnd)
        key = region_key(args.region)
    count = len(institutions)
    targets = [Target(iid, slug, communes, p, e, o) for (iid, slug, communes), p, e, o in zip(
        institutions, _split(args.participants, count, rnd), _split(args.episodes, count, rnd),
        _split(args.outcomes, count, rnd), strict=True)]
    prepared = time.perf_counter()
    people = _people(targets, args.shared, args.seed)
    generate_seconds, load_seconds = 0.0, 0.0
    totals = [0, 0, 0, 0, 0]
    today = today_in_poland()
    libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url) as connection:
        for target in targets:
            t0 = time.perf_counter()
            rows = _rows(target, people[target.institution_id], key, random.Random(f"{args.seed}/{target.slug}"),
                         today)
            t1 = time.perf_counter()
            loaded = _load(connection, target, rows)
            t2 = time.perf_counter()
            generate_seconds += t1 - t0
            load_seconds += t2 - t1
            if loaded:
                totals = [a + len(b) for a, b in zip(totals, rows, strict=True)]
        with connection.cursor() as cursor:
            for table in ("participants", "enrolments", "support_episodes", "outcomes", "projects"):
                cursor.execute(f"ANALYZE {table}")
    shared = sum(len(v) for v in people.values()) - len({p.pesel for v in people.values() for p in v})
    elapsed = time.perf_counter() - started
    print(f"institutions: {count} ({', '.join(t.slug for t in targets[:5])}{', …' if count > 5 else ''})")
    print(f"projects: {totals[0]:,}  participants: {totals[1]:,} (people registered at two institutions: "
          f"{shared:,})  enrolments: {totals[2]:,}  support episodes: {totals[3]:,}  outcomes: {totals[4]:,}")
    print(f"time: {elapsed:.1f} s in total (institutions {prepared - started:.1f} s, generating rows "
          f"{generate_seconds:.1f} s, loading {load_seconds:.1f} s: "
          f"{sum(totals) / max(load_seconds, 1e-9):,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
