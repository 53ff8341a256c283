"""Daily work at scale (issue 17): a group session recorded for 30 people in one form, a project's
ESF participant file with 2,000 participations, and the home page's lists of what is due.

Fills a scratch database (bench/scratch.py: migrated, demo region seeded) with one project of the
MOPS Skarżysko-Kamienna and `--people` participants enrolled in it (half of them left within the
last seven months, each with three support episodes), then requests each page in-process (Flask
test client, the whole request: sign-in check, tenant scope, queries, writes, access trail) and
prints the median and 95th percentile.

    .venv/bin/python -m bench.daily_work_bench [--people 2000] [--requests 10] [--keep-db NAME]
"""
import argparse
import re
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.referrals_bench import _sign_in
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


def _timed(call, requests):
    times = []
    for i in range(requests):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.daily_work_bench")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--keep-db", default=None)
    args = parser.parse_args()

    from regionet.platform.demo.seed import institution_login
    from regionet.platform.ui.formatting import today_in_poland

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        app = scratch.app
        started = time.perf_counter()
        project_id = _fill(app, args.people)
        print(f"{args.people:,} participations with {3 * args.people:,} episodes filled in "
              f"{time.perf_counter() - started:.1f} s; {args.requests} requests each, in-process")
        client = app.test_client()
        _sign_in(client, app, institution_login(SLUG, "staff", 1))
        base = f"/i/{SLUG}"
        form = client.get(f"{base}/projects/{project_id}/sessions/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        present = re.findall(r'name="attendees" id="attendee-\d+" value="([^"]+)"', form)
        # 30 people still taking part (odd rows left; pick from the even ones)
        still = [e for i, e in enumerate(present) if i % 2 == 0][:30]
        day = (today_in_poland() - timedelta(days=1)).isoformat()

        def record(i):
            response = client.post(f"{base}/projects/{project_id}/sessions/new", data={
                "csrf_token": token, "instrument": "kis", "held_on": day, "hours": "3", "topic": f"Warsztat {i}",
                "attendees": still})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]

        rows = [("group session form (page with every enrolment)",
                 lambda i: client.get(f"{base}/projects/{project_id}/sessions/new")),
                ("record a group session for 30 people", record),
                (f"ESF participant file, XLSX ({args.people:,} rows)",
                 lambda i: client.get(f"{base}/projects/{project_id}/esf-participants?fmt=xlsx")),
                (f"ESF participant file, CSV ({args.people:,} rows)",
                 lambda i: client.get(f"{base}/projects/{project_id}/esf-participants?fmt=csv")),
                ("home page with what is due", lambda i: client.get(f"{base}/"))]
        print(f"{'request':<52} {'median':>9} {'p95':>9}")
        for label, call in rows:
            median, p95 = _timed(call, args.requests)
            print(f"{label:<52} {median:>6.0f} ms {p95:>6.0f} ms")


if __name__ == "__main__":
    main()
