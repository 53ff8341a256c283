"""The retention run at scale (issue 14, point 5): how long listing the people due takes, and how
long anonymising one person takes (record, support text, consents, photos, imports, facts, and the
history and access trail redacted through history_api), at an institution of N participants.

Fills a scratch database (bench/scratch.py) with one institution (bench/generate.py), gives every
one of its people a history (one update each, through the ORM, as staff edits would), ends every
project's retention yesterday, then times `people_due` and anonymises `--anonymise` people one
commit each. Prints the figures.

    .venv/bin/python -m bench.retention_bench [--participants 5000] [--anonymise 100] [--keep-db NAME]
"""
import argparse
import statistics
import time
from datetime import timedelta

from sqlalchemy import func, select, text, update

from bench import generate
from bench.loadgen import percentile
from bench.scratch import admin_engine, scratch_platform

INSTITUTION = "mops-skarzysko-kamienna"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.retention_bench")
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--anonymise", type=int, default=100)
    parser.add_argument("--keep-db", default=None)
    args = parser.parse_args()

    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.platform.ui.formatting import today_in_poland
    from regionet.tenants.participants.models import Participant
    from regionet.tenants.privacy.erasure import do_anonymise_participant
    from regionet.tenants.privacy.retention import people_due
    from regionet.tenants.projects.models import Project

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        app = scratch.app
        with app.app_context():
            tenant = db.session.execute(select(Institution.id).where(Institution.slug == INSTITUTION)).scalar_one()
            with tenant_scope(tenant):
                filled = db.session.execute(select(func.count()).select_from(Participant)).scalar_one()
            db.session.remove()
        if filled < args.participants:
            generate.main(["--database-url", scratch.owner_url, "--fill", INSTITUTION, "--participants",
                           str(args.participants), "--episodes", str(args.participants * 2), "--outcomes",
                           str(args.participants // 4)])
        with app.app_context(), tenant_scope(tenant):
            people = db.session.execute(select(Participant)).scalars().all()
            for person in people:   # a history entry each, as an edit would write
                person.notes = "rozmowa z pracownikiem socjalnym"
            db.session.commit()
            db.session.execute(update(Project).values(retention_until=today_in_poland() - timedelta(days=1),
                                                      retention_reason="bench"))
            db.session.commit()
            started = time.perf_counter()
            due = people_due(today_in_poland())
            listing_ms = (time.perf_counter() - started) * 1000
            times = []
            for person_id in list(due)[:args.anonymise]:
                db.session.expunge_all()   # as the retention job does: one person in the session
                person = db.session.get(Participant, (tenant, person_id))
                started = time.perf_counter()
                do_anonymise_participant(person)
                db.session.commit()
                times.append((time.perf_counter() - started) * 1000)
        with admin_engine(scratch.name).connect() as conn:
            history = conn.execute(text("SELECT count(*) FROM change_records WHERE tenant_id = :t"),
                                   {"t": tenant}).scalar_one()
            trail = conn.execute(text("SELECT count(*) FROM access_records WHERE tenant_id = :t"),
                                 {"t": tenant}).scalar_one()
        times.sort()
        print(f"{INSTITUTION}: {len(people):,} participants, {history:,} history entries, {trail:,} trail entries")
        print(f"listing the people due: {len(due):,} found in {listing_ms:.0f} ms")
        print(f"anonymising one person (commit each, {len(times)} people): median {statistics.median(times):.0f} ms, "
              f"p95 {percentile(times, 95):.0f} ms, max {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
