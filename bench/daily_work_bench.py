"""Daily work at scale (issue 17): a group session recorded for 30 people in one form, a project's
ESF participant file with 2,000 participations, and the home page's lists of what is due.

Fills a scratch database (bench/scratch.py: migrated, demo region seeded) with one project of the
MOPS Skarżysko-Kamienna and `--people` participants enrolled in it (half of them left within the
last seven months, each with three support episodes), then requests each page in-process (Flask
test client, the whole request: sign-in check, tenant scope, queries, writes, access trail) and
prints the median and 95th percentile.

    .venv/bin/python -m bench.daily_work_bench [--people 2000] [--requests 10] [--keep-db NAME]
                                               [--only form] [--profile]

A kept database (--keep-db NAME, a second run) is reused as it was filled. --only runs the rows whose
label contains the word; --profile prints where the time of each row goes (cProfile, top 25).
"""
import argparse
import cProfile
import pstats
import re
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import create_engine, text

from bench.loadgen import percentile
from bench.page_timing import sign_in
from bench.scratch import scratch_platform

SLUG = "mops-skarzysko-kamienna"


def _fill(app, people: int):
    from regionet.platform.demo.people import make_pesel
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.platform.ui.formatting import today_in_poland
    from regionet.tenants.participants.models import (
        Isced,
        LabourStatus,
        LegalBasis,
        Participant,
        SensitiveAnswer,
        Sex,
    )
    from regionet.tenants.projects.models import Project
    from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode

    today = today_in_poland()
    with app.app_context():
        tenant = db.session.query(Institution.id).filter(Institution.slug == SLUG).scalar()
        with tenant_scope(tenant):
            project = Project(title="Bench: Aktywna integracja", code="BENCH/17", funding_source="pokl-7.1.1",
                              start_date=today - timedelta(days=800), end_date=today + timedelta(days=400),
                              budget_total=Decimal("1000000.00"), eu_cofinancing=Decimal("850000.00"),
                              own_contribution=Decimal("150000.00"))
            db.session.add(project)
            db.session.flush()
            for n in range(people):
                sex = Sex.FEMALE if n % 2 else Sex.MALE
                birth = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
                person = Participant(first_name="Osoba", last_name=f"Testowa-{n:05d}",
                                     pesel=make_pesel(birth, sex is Sex.FEMALE, 5000 + n), birth_date=birth, sex=sex,
                                     education=Isced.UPPER_SECONDARY, labour_status=LabourStatus.LONG_TERM_UNEMPLOYED,
                                     disability=SensitiveAnswer.NO, migrant_or_minority=SensitiveAnswer.NO,
                                     homeless=SensitiveAnswer.NO, jobless_household=SensitiveAnswer.YES,
                                     legal_basis=LegalBasis.LEGAL_OBLIGATION, legal_basis_date=today - timedelta(days=800),
                                     commune_code="2610011")
                entry = today - timedelta(days=700 - n % 300)
                left = today - timedelta(days=n % 210) if n % 2 else None
                enrolment = Enrolment(project=project, participant=person, entry_date=entry, exit_date=left,
                                      status_at_entry=LabourStatus.LONG_TERM_UNEMPLOYED)
                db.session.add(enrolment)
                for k in range(3):
                    db.session.add(SupportEpisode(enrolment=enrolment, instrument=list(Instrument)[k * 3],
                                                  start_date=entry + timedelta(days=k), hours=Decimal("6")))
                if n % 500 == 499:
                    db.session.flush()
            db.session.commit()
            return project.id


def _bench_project(app):
    """The project an earlier run filled in a kept database, if any."""
    from sqlalchemy import select

    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.projects.models import Project

    with app.app_context():
        tenant = db.session.query(Institution.id).filter(Institution.slug == SLUG).scalar()
        with tenant_scope(tenant):
            return db.session.execute(select(Project.id).where(Project.code == "BENCH/17")).scalar_one_or_none()


def _still_taking_part(app, project_id, count):
    """Enrolments of people who have not left (the form lists only those marked or found)."""
    from sqlalchemy import select

    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.support.models import Enrolment

    with app.app_context():
        tenant = db.session.query(Institution.id).filter(Institution.slug == SLUG).scalar()
        with tenant_scope(tenant):
            return [str(i) for i in db.session.execute(
                select(Enrolment.id).where(Enrolment.project_id == project_id, Enrolment.exit_date.is_(None))
                .order_by(Enrolment.id).limit(count)).scalars()]


def _timed(call, requests):
    times = []
    for i in range(requests):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.daily_work_bench")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--keep-db", default=None)
    parser.add_argument("--only", default=None, help="run only the rows whose label contains this")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from regionet.platform.demo.seed import institution_login
    from regionet.platform.ui.formatting import today_in_poland

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        app = scratch.app
        started = time.perf_counter()
        project_id = _bench_project(app) if scratch.reused else None
        if project_id is None:
            project_id = _fill(app, args.people)
            # What autovacuum does within a minute of such a fill (as the tables' owner: PostgreSQL
            # skips ANALYZE for the runtime role). Without statistics the planner guesses one row a
            # table, and the attendee search joined the project's enrolments in 0.4 s, not 1 ms.
            with create_engine(scratch.owner_url).connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
            print(f"{args.people:,} participations with {3 * args.people:,} episodes filled in "
                  f"{time.perf_counter() - started:.1f} s", end="; ")
        print(f"{args.requests} requests each, in-process")
        client = app.test_client()
        sign_in(client, app, institution_login(SLUG, "staff", 1))
        base = f"/i/{SLUG}"
        form = client.get(f"{base}/projects/{project_id}/sessions/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        still = _still_taking_part(app, project_id, 30)
        day = (today_in_poland() - timedelta(days=1)).isoformat()

        def record(i):
            response = client.post(f"{base}/projects/{project_id}/sessions/new", data={
                "csrf_token": token, "instrument": "kis", "held_on": day, "hours": "3", "topic": f"Warsztat {i}",
                "attendees": still})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]

        rows = [(f"group session form ({args.people:,} enrolled: marked and found only)",
                 lambda i: client.get(f"{base}/projects/{project_id}/sessions/new")),
                ("group session form, no-JS search (\"testowa-0001\")",
                 lambda i: client.post(f"{base}/projects/{project_id}/sessions/new", data={
                     "csrf_token": token, "action": "find", "find": "testowa-0001", "attendees": still[:5]})),
                ("attendee type-ahead (\"testowa 0001\")",
                 lambda i: client.get(f"{base}/projects/{project_id}/sessions/attendees?q=testowa+0001")),
                ("record a group session for 30 people", record),
                (f"ESF participant file, XLSX ({args.people:,} rows)",
                 lambda i: client.get(f"{base}/projects/{project_id}/esf-participants?fmt=xlsx")),
                (f"ESF participant file, CSV ({args.people:,} rows)",
                 lambda i: client.get(f"{base}/projects/{project_id}/esf-participants?fmt=csv")),
                ("home page with what is due", lambda i: client.get(f"{base}/"))]
        print(f"{'request':<52} {'median':>9} {'p95':>9}")
        for label, call in rows:
            if args.only and args.only not in label:
                continue
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            median, p95 = _timed(call, args.requests)
            print(f"{label:<52} {median:>6.0f} ms {p95:>6.0f} ms")
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
