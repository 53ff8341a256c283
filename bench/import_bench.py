"""Benchmark: import 20,000 participants from a spreadsheet through the real job on PostgreSQL.

What it does, on a scratch database created for the run (dropped at the end):
  1. provisions the three roles, migrates as the owner, seeds the demo region (as the runtime role);
  2. writes a 20,000-row participant file (realistic Polish names, valid PESEL numbers, the
     TERYT communes of Świętokrzyskie) in the import template's format;
  3. uploads it as MOPS Skarżysko-Kamienna (the same service the upload page calls);
  4. runs a real RQ worker process, `python -m regionet.workers imports --burst`, until the queue is
     empty, and prints the time and rows per second (target: 20,000 rows in under 60 s).

Usage (from the repository root):
    .venv/bin/python -m bench.import_bench [--rows 20000] [--format xlsx|csv]
Environment: TEST_DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
             TEST_REDIS_URL (default redis://127.0.0.1:6379/15; keys carry a prefix of their own).
"""
import argparse
import io
import subprocess
import sys
import time

from openpyxl import Workbook
from sqlalchemy import func, select

from bench.people import participant_rows
from bench.scratch import scratch_platform

INSTITUTION = "mops-skarzysko-kamienna"


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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args()

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
        data = build_file(args.rows, args.format)
        generated = time.perf_counter() - began
        print(f"file: {args.rows:,} rows, {args.format.upper()}, {len(data) / 1_048_576:.1f} MB "
              f"(generated in {generated:.1f} s)")

        with app.app_context(), tenant_scope(tenant):
            batch = services.do_upload_import(f"bench.{args.format}", data, tenant, None)
            batch_id = batch.id
            before = db.session.execute(select(func.count()).select_from(Participant)).scalar_one()

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
            print(f"batch: status {batch.status.value}, rows {batch.total_rows:,}, errors {len(batch.errors or [])}, "
                  f"imported {batch.imported_rows or 0:,}; participants stored {participants:,}, "
                  f"history records {history:,}")
        print(f"job (RQ started -> ended):        {job_seconds:6.1f} s   {args.rows / job_seconds:8.0f} rows/s")
        print(f"worker process (incl. start-up):  {wall:6.1f} s   {args.rows / wall:8.0f} rows/s")
        target = "met" if wall < 60 and batch.imported_rows == args.rows else "NOT met"
        print(f"target (20,000 rows under 60 s): {target}")


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
