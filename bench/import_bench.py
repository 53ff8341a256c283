"""Benchmark: import 20,000 participants from a spreadsheet through the real job on PostgreSQL;
with --whole-project, a workbook of 20,000 participants, 20,000 enrolments and 60,000 support
episodes (issue 17, point 5: target under 90 s in the job).

What it does, on a scratch database created for the run (dropped at the end):
  1. provisions the three roles, migrates as the owner, seeds the demo region (as the runtime role);
  2. writes a 20,000-row participant file (realistic Polish names, valid PESEL numbers, the
     TERYT communes of Świętokrzyskie) in the import template's format;
  3. uploads it as MOPS Skarżysko-Kamienna (the same service the upload page calls);
  4. runs a real RQ worker process, `python -m regionet.workers imports --burst`, until the queue is
     empty, and prints the time and rows per second (target: 20,000 rows in under 60 s).
With --whole-project the institution gets a project first, and the workbook has the sheets
"Udział w projektach" (one enrolment per person, by PESEL, of people in the same workbook) and
"Wsparcie" (three episodes per person) as well; the job's own time is the figure that counts.

Usage (from the repository root):
    .venv/bin/python -m bench.import_bench [--rows 20000] [--format xlsx|csv] [--whole-project]
Environment: TEST_DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
             TEST_REDIS_URL (default redis://127.0.0.1:6379/15; keys carry a prefix of their own).
"""
import argparse
import io
import os
import subprocess
import sys
import time

from openpyxl import Workbook
from sqlalchemy import func, select

from bench.people import participant_rows
from bench.scratch import scratch_platform

INSTITUTION = "mops-skarzysko-kamienna"
PROJECT_CODE = "FEPS.07.05-IP.01-BENCH/24"
INSTRUMENTS = ("staż", "KIS", "kurs zawodowy", "poradnictwo specjalistyczne", "PSU", "asystent rodziny")


def build_file(rows: int, fmt: str) -> bytes:
    from regionet.platform.exports import csv_bytes
    from regionet.tenants.participants.spreadsheet import COLUMNS

    headers = [column.header for column in COLUMNS]
    people = ([person.get(header) for header in headers] for person in participant_rows(rows))
    if fmt == "csv":
        return csv_bytes(headers, people)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Uczestnicy")
    sheet.append(headers)
    for row in people:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_workbook(rows: int, episodes_per_person: int = 3) -> bytes:
    """Participants, one enrolment each, `episodes_per_person` episodes each, in one workbook."""
    from datetime import date, timedelta

    from regionet.tenants.imports.kinds import COLUMNS_BY_KIND, SHEET_NAMES, ImportKind
    from regionet.tenants.participants.spreadsheet import COLUMNS

    workbook = Workbook(write_only=True)
    people = workbook.create_sheet(SHEET_NAMES[ImportKind.PARTICIPANTS])
    headers = [column.header for column in COLUMNS]
    people.append(headers)
    pesels = []
    for person in participant_rows(rows):
        people.append([person.get(header) for header in headers])
        pesels.append(person["PESEL"])
    enrolments = workbook.create_sheet(SHEET_NAMES[ImportKind.ENROLMENTS])
    enrolments.append([column.header for column in COLUMNS_BY_KIND[ImportKind.ENROLMENTS]])
    episodes = workbook.create_sheet(SHEET_NAMES[ImportKind.EPISODES])
    episodes.append([column.header for column in COLUMNS_BY_KIND[ImportKind.EPISODES]])
    for index, pesel in enumerate(pesels):
        entry = date(2025, 1, 2) + timedelta(days=index % 300)
        exit_ = entry + timedelta(days=180) if index % 2 else None
        enrolments.append([pesel, None, PROJECT_CODE, entry, exit_, None])
        for n in range(episodes_per_person):
            start = entry + timedelta(days=7 + 30 * n)
            episodes.append([pesel, None, PROJECT_CODE, INSTRUMENTS[(index + n) % len(INSTRUMENTS)], start,
                             start + timedelta(days=20), 40 + n, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_project(app, tenant: int) -> None:
    from datetime import date
    from decimal import Decimal

    from regionet.platform.extensions import db
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.projects.models import Project

    with app.app_context(), tenant_scope(tenant):
        db.session.add(Project(title="Aktywni razem (benchmark)", code=PROJECT_CODE, funding_source="feps-7.5",
                               start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
                               budget_total=Decimal("1000000.00"), eu_cofinancing=Decimal("850000.00"),
                               own_contribution=Decimal("150000.00")))
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--whole-project", action="store_true",
                        help="participants, one enrolment and three episodes each, in one workbook")
    parser.add_argument("--profile", action="store_true",
                        help="run the job function in this process under cProfile instead of a worker process")
    args = parser.parse_args()
    if args.whole_project:
        args.format = "xlsx"

    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.audit.models import ChangeRecord
    from regionet.tenants.imports import services
    from regionet.tenants.imports.models import ImportBatch
    from regionet.tenants.participants.models import Participant

    with scratch_platform() as scratch:
        app = scratch.app
        with app.app_context():
            tenant = db.session.execute(select(Institution.id).where(Institution.slug == INSTITUTION)).scalar_one()

        began = time.perf_counter()
        if args.whole_project:
            add_project(app, tenant)
            data = build_workbook(args.rows)
            total_rows = args.rows * 5
        else:
            data = build_file(args.rows, args.format)
            total_rows = args.rows
        generated = time.perf_counter() - began
        print(f"file: {total_rows:,} rows, {args.format.upper()}, {len(data) / 1_048_576:.1f} MB "
              f"(generated in {generated:.1f} s)")

        with app.app_context(), tenant_scope(tenant):
            batch = services.do_upload_import(f"bench.{args.format}", data, tenant, None)
            batch_id = batch.id
            before = db.session.execute(select(func.count()).select_from(Participant)).scalar_one()

        if args.profile:
            _profiled_job(app, tenant, batch_id)
            return
        began = time.perf_counter()
        worker = subprocess.run([sys.executable, "-m", "regionet.workers", "imports", "--burst"],
                                env=scratch.environment(), capture_output=True, text=True, timeout=900)
        wall = time.perf_counter() - began
        if worker.returncode != 0:
            print(worker.stderr[-3000:])
            raise SystemExit("the worker failed")

        with app.app_context(), tenant_scope(tenant):
            batch = db.session.execute(select(ImportBatch).where(ImportBatch.id == batch_id)).scalar_one()
            participants = db.session.execute(select(func.count()).select_from(Participant)).scalar_one() - before
            history = db.session.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
            job = _job(app, batch.job_id)
            job_seconds = (job.ended_at - job.started_at).total_seconds() if job else float("nan")
            print(f"batch: status {batch.status.value}, rows {batch.total_rows or 0:,}, errors "
                  f"{len(batch.errors or [])}, imported {batch.imported_rows or 0:,} participants "
                  f"{batch.imported_counts or ''}; participants stored {participants:,}, history records {history:,}")
            if batch.errors:
                print("first errors:", batch.errors[:3])
            imported = (batch.imported_rows or 0) + sum((batch.imported_counts or {}).values())
        print(f"job (RQ started -> ended):        {job_seconds:6.1f} s   {total_rows / job_seconds:8.0f} rows/s")
        print(f"worker process (incl. start-up):  {wall:6.1f} s   {total_rows / wall:8.0f} rows/s")
        limit, measured = (90, job_seconds) if args.whole_project else (60, wall)
        target = "met" if measured < limit and imported == total_rows else "NOT met"
        print(f"target ({total_rows:,} rows under {limit} s): {target}")
        print("load average (1, 5, 15 min):", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def _profiled_job(app, tenant: int, batch_id) -> None:
    """The job function itself, in this process, with where its time goes."""
    import cProfile
    import pstats

    from regionet.workers.context import use_app
    from regionet.workers.jobs.participant_import import run_participant_import

    use_app(app)
    profile = cProfile.Profile()
    began = time.perf_counter()
    result = profile.runcall(run_participant_import, tenant, str(batch_id), None)
    print(f"job function in-process under cProfile: {time.perf_counter() - began:.1f} s ({result})")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


def _job(app, job_id: str):
    from rq.job import Job

    from regionet.workers.queues import redis_connection

    with app.app_context():
        try:
            return Job.fetch(job_id, connection=redis_connection())
        except Exception:  # noqa: BLE001 - only for the report line
            return None


if __name__ == "__main__":
    main()
