"""`flask --app wsgi report regional --region SLUG --out FILE.pdf [--period 2026Q3] [--enqueue]`.

Without --enqueue the report is built here, synchronously; with it, the workers build it
and the command waits, printing the progress. Either way the report is stored like one
the coordinator starts (the same data builds once). Exit status: 0 written, 1 the build
failed, 2 bad arguments, 3 timed out waiting.
"""
import os
import sys
import time
import uuid
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import or_, select

from ..extensions import db
from ..regions.models import Region
from ..ui.formatting import today_in_poland
from .models import RegionalReport, ReportTrigger, RunStatus
from .periods import current_quarter, period_from_key

report_cli = AppGroup("report", help="Reports (PDF).")


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)   # never a half-written file at the destination


def _fail(message: str, code: int):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@report_cli.command("regional")
@click.option("--region", "region_key", required=True, help="Region slug (e.g. swietokrzyskie) or TERYT code (26).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="Where to write the PDF.")
@click.option("--period", "period_key", default=None,
              help="A whole quarter, e.g. 2026Q3; by default the current quarter so far.")
@click.option("--enqueue", is_flag=True, help="Let the workers build it and wait for them.")
@click.option("--timeout", default=900, type=int, show_default=True, help="Seconds to wait with --enqueue.")
def report_regional(region_key, out_path, period_key, enqueue, timeout):
    """Build the regional catalogue of good practices (PDF)."""
    from regionet.workers.jobs.regional_report import execute_regional_report
    from regionet.workers.reconcile import building_outside_the_queue

    from . import services

    region = db.session.execute(select(Region).where(
        or_(Region.slug == region_key, Region.teryt_code == region_key))).scalar_one_or_none()
    if region is None:
        _fail(f"no region {region_key!r}", 2)
    today = today_in_poland()
    period = period_from_key(period_key, today) if period_key else current_quarter(today)
    if period is None:
        _fail(f"unknown period {period_key!r} (use e.g. {current_quarter(today).key.split('-')[0]})", 2)
    report, created = services.do_request_regional_report(region, period, trigger=ReportTrigger.OPERATOR,
                                                          enqueue=enqueue)
    report_id = report.id
    click.echo(f"report {report_id} ({period.label}, {report.practice_count} practices, "
               f"data {report.data_sha256[:16]}…){'' if created else ' — already requested for this data'}")
    if not enqueue:
        if report.status is not RunStatus.DONE:
            try:
                with building_outside_the_queue(report.job_id):
                    execute_regional_report(str(report_id), on_progress=lambda p: click.echo(f"progress {p}%"))
            except Exception as error:  # noqa: BLE001  (recorded on the report, reported to the operator)
                db.session.rollback()
                services.do_record_regional_failure(report_id, f"{type(error).__name__}: {error}", False)
                _fail(f"the build failed: {type(error).__name__}: {error}", 1)
    else:
        _wait(report_id, timeout)
    db.session.expire_all()
    report = db.session.get(RegionalReport, report_id)
    if report.withdrawn_at is not None:
        _fail(f"the report was withdrawn ({report.withdrawn_reason}); its rebuild is queued", 1)
    _write(out_path, report.pdf)
    click.echo(f"written {out_path}: {report.page_count} pages, {report.size_bytes} bytes, sha256 {report.sha256}")


def _wait(report_id, timeout: int) -> None:
    from . import services

    deadline, last = time.monotonic() + timeout, None
    while True:
        db.session.expire_all()
        report = db.session.get(RegionalReport, report_id)
        services.do_reconcile_with_queue(report)
        state = (report.status, report.progress)
        if state != last:
            click.echo(f"{report.status.value} {report.progress}%" + (f" ({report.error_detail})" if report.error_detail else ""))
            last = state
        if report.status is RunStatus.DONE:
            return
        if report.status is RunStatus.FAILED:
            _fail(f"the build failed: {report.error_detail}", 1)
        if time.monotonic() > deadline:
            _fail(f"no result after {timeout} s (status {report.status.value}); the report stays queued", 3)
        db.session.commit()
        time.sleep(0.5)
