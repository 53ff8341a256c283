"""Regional report jobs in real `rq` worker processes: idempotency, a killed worker, failures, the schedule.

The test-only jobs (tests/jobs_for_tests.py) are the production job held at a gate inside
the PDF build, and a job that always fails; the app's REGIONAL_REPORT_JOB setting points
the coordinator's button at them, and REPORT_RETRY_INTERVALS makes retries immediate.
"""
import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from rq import Queue
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from regionet.platform.demo.records import CohortSpec
from regionet.platform.extensions import db
from regionet.platform.regional_reports.models import RegionalReport, ReportSchedule, ReportTrigger, RunStatus
from regionet.platform.regional_reports.periods import WARSAW, current_quarter, next_quarter_start, previous_quarter
from regionet.platform.regional_reports.services import do_request_regional_report
from regionet.platform.regions.models import Region
from regionet.platform.ui.formatting import today_in_poland
from regionet.workers.queues import REPORTS, queue_name, redis_connection

from .helpers import visible_text
from .jobs_for_tests import gate_key
from .practices_support import clean_region_tables, configured, make_project, publish  # noqa: F401
from .test_worker import run_worker_until_empty, worker_env

pytestmark = pytest.mark.slow
REPORTS_URL = "/r/swietokrzyskie/reports"


def queue(app) -> Queue:
    return Queue(queue_name(REPORTS), connection=redis_connection())


def some_practices(app, n: int = 2) -> None:
    project_id = make_project(app, "mopr-kielce", CohortSpec(participants=12, women=5))
    for i in range(n):
        publish(app, "mopr-kielce", project_id=project_id if i == 0 else None, title=f"Praktyka {i + 1}")


def report_row(app, report_id=None) -> RegionalReport:
    with app.app_context():
        db.session.expire_all()
        statement = select(RegionalReport).where(RegionalReport.id == report_id) if report_id else \
            select(RegionalReport)
        row = db.session.execute(statement.options(undefer(RegionalReport.pdf))).scalar_one()
        db.session.expunge(row)
        return row


def request_report(app):
    with app.app_context():
        report, _created = do_request_regional_report(db.session.get(Region, "26"), current_quarter(today_in_poland()),
                                                      trigger=ReportTrigger.COORDINATOR)
        return report.id


def start_worker(app, pg_database, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "regionet.workers", REPORTS, *args],
                            env=worker_env(app, pg_database), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def held_in_the_middle(app, report_id):
    row = report_row(app, report_id)
    return row if row.status is RunStatus.RUNNING and row.progress > 20 else None


def assert_valid_pdf(row: RegionalReport) -> None:
    import hashlib

    assert row.pdf.startswith(b"%PDF") and hashlib.sha256(row.pdf).hexdigest() == row.sha256
    reader = PdfReader(io.BytesIO(row.pdf))
    assert len(reader.pages) == row.page_count and reader.metadata.title.startswith("Katalog dobrych praktyk")


def test_starting_the_report_twice_for_the_same_data_builds_it_once(app, client, auth, pg_database):
    some_practices(app)
    auth.login_coordinator()
    first = client.post(f"{REPORTS_URL}/", data={"period": current_quarter(today_in_poland()).key})
    second = client.post(f"{REPORTS_URL}/", data={"period": current_quarter(today_in_poland()).key})
    assert first.status_code == second.status_code == 302 and first.location == second.location
    with app.app_context():
        assert queue(app).count == 1
        job = queue(app).jobs[0]
        row = report_row(app)
        assert job.id == row.job_id == f"{app.config['RQ_QUEUE_PREFIX']}regional-catalogue-26-{row.data_sha256[:40]}"
    assert run_worker_until_empty(app, pg_database).returncode == 0
    row = report_row(app)
    assert row.status is RunStatus.DONE and row.attempts == 1
    assert_valid_pdf(row)
    # once built, the same request finds it: no new row, no new job
    third = client.post(f"{REPORTS_URL}/", data={"period": current_quarter(today_in_poland()).key}, follow_redirects=True)
    assert "nie jest tworzony ponownie" in visible_text(third.get_data(as_text=True))
    with app.app_context():
        assert queue(app).count == 0
        assert db.session.execute(select(func.count()).select_from(RegionalReport)).scalar_one() == 1
    # and a second delivery of the finished job changes nothing
    from regionet.workers.jobs.regional_report import build_regional_report

    assert build_regional_report(str(row.id)) == "already done"
    assert report_row(app).attempts == 1
    # the list keeps it with its provenance; any process serves the PDF from the database
    listing = visible_text(client.get(f"{REPORTS_URL}/").get_data(as_text=True))
    assert row.data_sha256[:16] in listing and "Gotowy" in listing
    download = client.get(f"{REPORTS_URL}/{row.id}/download")
    assert download.status_code == 200 and download.data == row.pdf


# A worker killed outright (its whole process group): tests/test_worker_recovery.py.


def test_a_killed_work_horse_is_retried_by_its_own_worker(app, pg_database):
    some_practices(app)
    with configured(app, REGIONAL_REPORT_JOB="tests.jobs_for_tests.gated_regional_report",
                    REPORT_RETRY_INTERVALS=(0, 0, 0)):
        report_id = request_report(app)
    with app.app_context():
        redis_connection().set(gate_key(str(report_id)), "1", ex=300)
    worker = start_worker(app, pg_database)
    try:
        wait_for(lambda: held_in_the_middle(app, report_id), what="the job to be held mid-build")
        with app.app_context():
            horse = Job.fetch(report_row(app, report_id).job_id, connection=redis_connection()).meta["horse_pid"]
        os.kill(horse, signal.SIGKILL)   # e.g. the kernel's out-of-memory killer
        with app.app_context():
            redis_connection().delete(gate_key(str(report_id)))
        row = wait_for(lambda: (r := report_row(app, report_id)).status is RunStatus.DONE and r, what="done")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    assert row.attempts == 2
    assert_valid_pdf(row)


def test_a_job_that_keeps_failing_is_shown_failed_with_its_reason_and_a_retry_button(app, client, auth, pg_database):
    some_practices(app)
    auth.login_coordinator()
    with configured(app, REGIONAL_REPORT_JOB="tests.jobs_for_tests.failing_regional_report",
                    REPORT_RETRY_INTERVALS=(0, 0, 0)):
        detail = client.post(f"{REPORTS_URL}/", data={"period": current_quarter(today_in_poland()).key}).location
    for _attempt in range(5):
        run_worker_until_empty(app, pg_database, timeout=60)
        status = client.get(f"{detail}/status").get_json()
        if status["finished"]:
            break
    assert status["status"] == "failed"
    assert "zgłoś to operatorowi platformy" in status["error"] and "simulated" not in status["error"]
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Niepowodzenie" in page and "zgłoś to operatorowi platformy" in page and "Spróbuj ponownie" in page
    assert "simulated" not in page and "RuntimeError" not in page
    row = report_row(app)
    assert row.error_detail == "RuntimeError: simulated failure while building the regional report"
    assert row.attempts == 0, "the failing job never claimed the report"
    with app.app_context():
        job = Job.fetch(row.job_id, connection=redis_connection())
        assert job.retries_left == 0 and job.get_status() == "failed"   # 1 + 3 attempts
    # the retry button queues the same report again under a new job id; a healthy job builds it
    assert client.post(f"{detail}/retry").status_code == 302
    assert client.get(f"{detail}/status").get_json()["status"] == "queued"
    assert report_row(app).job_id.endswith("-r0")
    assert run_worker_until_empty(app, pg_database).returncode == 0
    assert client.get(f"{detail}/status").get_json() == {"status": "done", "label": "Gotowy", "progress": 100,
                                                          "finished": True, "error": None}


def test_a_lost_job_is_shown_failed_instead_of_waiting_forever(app, client, auth):
    some_practices(app)
    report_id = request_report(app)
    with app.app_context():
        Job.fetch(report_row(app, report_id).job_id, connection=redis_connection()).delete()   # e.g. Redis reset
        row = db.session.get(RegionalReport, report_id)
        row.requested_at = datetime.now(UTC) - timedelta(minutes=5)
        db.session.commit()
    auth.login_coordinator()
    status = client.get(f"{REPORTS_URL}/{report_id}/status").get_json()
    assert status["status"] == "failed" and "Spróbuj ponownie" in status["error"]
    assert "lost" in report_row(app, report_id).error_detail  # for the operator, not the page


def test_an_operators_build_outside_the_queue_is_not_taken_for_lost_while_it_runs(app):
    """`flask report regional` without --enqueue builds in its own process; its row names a job no queue holds.
    The minute's reconciliation must leave it while the process holds its lease, and settle it once it has not."""
    from regionet.platform.regional_reports import services
    from regionet.workers.reconcile import building_outside_the_queue

    some_practices(app)
    with app.app_context():
        region = db.session.execute(select(Region).where(Region.teryt_code == "26")).scalar_one()
        report, _ = do_request_regional_report(region, current_quarter(today_in_poland()),
                                               trigger=ReportTrigger.OPERATOR, enqueue=False)
        report_id, job_id = report.id, report.job_id
        report.requested_at = datetime.now(UTC) - timedelta(minutes=5)   # a long build, well past LOST_AFTER
        db.session.commit()
        with building_outside_the_queue(job_id):
            services.do_reconcile_with_queue(db.session.get(RegionalReport, report_id))
            assert db.session.get(RegionalReport, report_id).status is RunStatus.QUEUED
        services.do_reconcile_with_queue(db.session.get(RegionalReport, report_id))   # its process gone
        assert db.session.get(RegionalReport, report_id).status is RunStatus.FAILED


def test_the_quarterly_schedule_is_booked_shown_run_rebooked_and_cancelled(app, client, auth, pg_database):
    some_practices(app)
    auth.login_coordinator()
    assert client.post(f"{REPORTS_URL}/schedule").status_code == 302
    assert client.post(f"{REPORTS_URL}/schedule").status_code == 302   # asking twice books it once
    expected = next_quarter_start(datetime.now(UTC))
    assert expected.astimezone(WARSAW).hour == 6 and expected.astimezone(WARSAW).day == 1
    with app.app_context():
        registry = ScheduledJobRegistry(queue=queue(app))
        [job_id] = registry.get_job_ids()
        year, quarter = expected.astimezone(WARSAW).year, (expected.astimezone(WARSAW).month - 1) // 3 + 1
        assert job_id == f"{app.config['RQ_QUEUE_PREFIX']}regional-schedule-26-{year}q{quarter}"
        assert registry.get_scheduled_time(job_id) == expected.replace(microsecond=0)
    page = visible_text(client.get(f"{REPORTS_URL}/").get_data(as_text=True))
    assert f"Następne uruchomienie {expected.astimezone(WARSAW):%d.%m.%Y, %H:%M}" in page
    assert "Anuluj raport kwartalny" in page

    # the quarter begins (we move the booked run to now): a worker with the scheduler runs it
    with app.app_context():
        registry.schedule(Job.fetch(job_id, connection=redis_connection()), datetime.now(UTC) - timedelta(seconds=1))
    result = run_worker_until_empty(app, pg_database)
    assert result.returncode == 0, result.stderr[-3000:]
    row = report_row(app)
    with app.app_context():
        last_quarter = previous_quarter(datetime.now(WARSAW).date())
    assert row.trigger is ReportTrigger.SCHEDULE and row.period_label == last_quarter.label
    assert row.status is RunStatus.DONE
    with app.app_context():
        schedule = db.session.execute(select(ReportSchedule)).scalar_one()
        assert schedule.last_report_id == row.id
        [next_job] = ScheduledJobRegistry(queue=queue(app)).get_job_ids()
        assert next_job != job_id and schedule.job_id == next_job, "the next quarter is booked"
        assert schedule.next_run_at > expected

    assert client.post(f"{REPORTS_URL}/schedule/cancel").status_code == 302
    with app.app_context():
        assert ScheduledJobRegistry(queue=queue(app)).get_job_ids() == []
    page = visible_text(client.get(f"{REPORTS_URL}/").get_data(as_text=True))
    assert "Nie zaplanowano." in page


def test_the_operator_command_builds_synchronously_or_through_the_workers(app, runner, pg_database, tmp_path):
    some_practices(app)
    out = tmp_path / "katalog.pdf"
    result = runner.invoke(args=["report", "regional", "--region", "swietokrzyskie", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "progress 5%" in result.output and "written" in result.output
    assert PdfReader(str(out)).metadata.title == "Katalog dobrych praktyk · Świętokrzyskie"
    assert report_row(app).trigger is ReportTrigger.OPERATOR

    assert runner.invoke(args=["report", "regional", "--region", "nowhere", "--out", str(out)]).exit_code == 2
    assert runner.invoke(args=["report", "regional", "--region", "26", "--period", "1999Q1",
                               "--out", str(out)]).exit_code == 2

    period = previous_quarter(datetime.now(WARSAW).date()).key   # other data: a report of its own
    worker = start_worker(app, pg_database)
    try:
        queued = tmp_path / "z-kolejki.pdf"
        result = runner.invoke(args=["report", "regional", "--region", "26", "--period", period, "--enqueue",
                                     "--timeout", "90", "--out", str(queued)])
        assert result.exit_code == 0, result.output
        assert "queued 0%" in result.output and "done 100%" in result.output
        assert PdfReader(str(queued)).pages
        with configured(app, REGIONAL_REPORT_JOB="tests.jobs_for_tests.failing_regional_report",
                        REPORT_RETRY_INTERVALS=(0, 0, 0)):
            publish(app, "owes-kielce", title="Nowe dane")   # new data, so a new report and job
            failed = runner.invoke(args=["report", "regional", "--region", "26", "--enqueue", "--timeout", "90",
                                         "--out", str(tmp_path / "nie.pdf")])
        assert failed.exit_code == 1, failed.output
        assert "the build failed: RuntimeError: simulated failure" in failed.output
        assert not (tmp_path / "nie.pdf").exists()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)


def test_a_report_requested_while_the_queue_is_down_is_shown_failed_with_a_retry(app, client, auth):
    from regionet.workers.queues import redis_connection as real_connection

    some_practices(app)
    auth.login_coordinator()
    with app.app_context():
        real = real_connection()
        app.extensions["regionet.redis"] = type(real).from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    try:
        detail = client.post(f"{REPORTS_URL}/", data={"period": current_quarter(today_in_poland()).key}).location
    finally:
        app.extensions["regionet.redis"] = real
    row = report_row(app)
    assert row.status is RunStatus.FAILED and "The job queue is unavailable" in row.error_detail
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Spróbuj ponownie" in page
    assert client.post(f"{detail}/retry").status_code == 302
    with app.app_context():
        assert queue(app).count == 1 and report_row(app).status is RunStatus.QUEUED
