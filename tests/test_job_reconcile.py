"""A report or import whose job the queue lost (Redis restarted without its data, the queue emptied)
is shown failed with retry and cancel instead of "waiting in the queue" for ever; retry queues a new job."""
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue
from rq.job import JobStatus
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.run_status import RunStatus
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.reports.models import InstitutionReport
from regionet.workers.queues import IMPORTS, REPORTS, Job, get_queue, redis_connection
from regionet.workers.reconcile import reconcile_unfinished

from .helpers import visible_text
from .practices_support import clean_region_tables  # noqa: F401 (fixture)
from .test_isolation import TENANT_A, _institution_id
from .test_participant_import import GOOD_ROWS, xlsx_file
from .test_regional_report_jobs import report_row, request_report, some_practices
from .test_worker import run_worker_until_empty

REPORTS_URL = f"/i/{TENANT_A}/reports"
IMPORTS_URL = f"/i/{TENANT_A}/participants/imports"


def _lose_the_job_of(app, model, row_id, age=timedelta(minutes=5)) -> str:
    with app.app_context(), tenant_scope(tenant := _institution_id(app, TENANT_A)):
        row = db.session.get(model, (tenant, uuid.UUID(str(row_id))))
        Job.fetch(row.job_id, connection=redis_connection()).delete()   # as a Redis without its data
        for column in ("requested_at", "created_at"):
            if hasattr(row, column):
                setattr(row, column, datetime.now(UTC) - age)
        db.session.commit()
        return row.job_id


def test_a_report_whose_job_was_lost_is_failed_then_retried_under_a_new_job(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"{REPORTS_URL}/summary").location
    report_id = detail.rstrip("/").split("/")[-1]
    lost = _lose_the_job_of(app, InstitutionReport, report_id, age=timedelta(seconds=30))
    assert client.get(detail + "/status").get_json()["status"] == "queued", "a moment's absence is no loss"
    with app.app_context(), tenant_scope(tenant := _institution_id(app, TENANT_A)):
        row = db.session.get(InstitutionReport, (tenant, uuid.UUID(report_id)))
        row.requested_at = datetime.now(UTC) - timedelta(minutes=5)
        db.session.commit()
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "failed" and "Spróbuj ponownie" in status["error"]  # what to do, not why
    with app.app_context(), tenant_scope(tenant):
        assert "lost" in db.session.get(InstitutionReport, (tenant, uuid.UUID(report_id))).error_detail
    page = client.get(detail).get_data(as_text=True)
    assert f"{report_id}/retry" in page and "Spróbuj ponownie" in visible_text(page)
    assert client.post(detail + "/retry").status_code == 302
    with app.app_context():
        [job] = get_queue(REPORTS).jobs
    assert job.id == lost + "-r0" and client.get(detail + "/status").get_json()["status"] == "queued"


def test_an_import_whose_job_was_lost_offers_retry_and_cancel(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"{IMPORTS_URL}/upload", data={"file": (io.BytesIO(xlsx_file(GOOD_ROWS)), "u.xlsx")},
                         content_type="multipart/form-data").location
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        batch_id = db.session.execute(select(ImportBatch.id)).scalar_one()
    _lose_the_job_of(app, ImportBatch, batch_id)
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "failed" and "Spróbuj ponownie" in status["error"]  # what to do, not why
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        assert "lost" in db.session.get(ImportBatch, (_institution_id(app, TENANT_A), batch_id)).failure_detail
    page = client.get(detail).get_data(as_text=True)
    assert f"{batch_id}/retry" in page and f"{batch_id}/cancel" in page
    assert client.post(detail + "/retry").status_code == 302
    with app.app_context():
        [job] = get_queue(IMPORTS).jobs
        assert job.id.startswith(app.config["RQ_QUEUE_PREFIX"] + "participant-import-") and "-r" in job.id
    assert client.get(detail + "/status").get_json()["status"] == "queued"
    _lose_the_job_of(app, ImportBatch, batch_id)
    client.get(detail + "/status")
    assert client.post(detail + "/cancel").status_code == 302
    assert client.get(detail + "/status").get_json()["status"] == "cancelled"


def test_a_waiting_report_is_cancelled_its_job_taken_off_and_a_late_run_builds_nothing(app, client, auth):
    from regionet.workers.jobs.institution_summary import build_institution_summary

    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"{REPORTS_URL}/summary").location
    report_id = detail.rstrip("/").split("/")[-1]
    assert f"{report_id}/cancel" in client.get(detail).get_data(as_text=True)
    assert client.post(detail + "/cancel").status_code == 302
    assert client.get(detail + "/status").get_json() == {
        "status": "cancelled", "label": "Anulowany", "progress": 0, "finished": True, "error": None}
    with app.app_context():
        assert get_queue(REPORTS).jobs == []
    assert build_institution_summary(_institution_id(app, TENANT_A), report_id) == "already done"
    assert client.get(detail + "/status").get_json()["status"] == "cancelled"
    page = client.get(detail).get_data(as_text=True)
    assert f"{report_id}/cancel" not in page and "download" not in page
    # The same request later builds a new summary (a cancelled one is not "open").
    assert client.post(f"{REPORTS_URL}/summary").location != detail


def _a_minute_later(app) -> None:
    """The reconciliation is due again (its once-a-minute key gone)."""
    with app.app_context():
        redis_connection().delete(f"{app.config['RQ_QUEUE_PREFIX']}regionet:reconciled")


def _failed_unrecorded(job_id: str) -> None:
    """As a job out of attempts whose failure callback met a PostgreSQL outage: failed in RQ, the row untouched."""
    job = Job.fetch(job_id, connection=redis_connection())
    Queue(job.origin, connection=redis_connection()).remove(job.id)
    job.retries_left = 0
    job.save()
    job.set_status(JobStatus.FAILED)


def test_unfinished_rows_are_settled_once_a_minute_without_anyone_opening_their_page(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"{REPORTS_URL}/summary").location
    report_id = uuid.UUID(detail.rstrip("/").split("/")[-1])
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        row = db.session.get(InstitutionReport, (tenant, report_id))
        row.status, row.started_at, row.attempts = RunStatus.RUNNING, datetime.now(UTC), 1
        db.session.commit()
        _failed_unrecorded(row.job_id)
    some_practices(app, 1)
    regional_id = request_report(app)
    with app.app_context():
        _failed_unrecorded(report_row(app, regional_id).job_id)
    client.post(f"{IMPORTS_URL}/upload", data={"file": (io.BytesIO(xlsx_file(GOOD_ROWS)), "u.xlsx")},
                content_type="multipart/form-data")
    with app.app_context(), tenant_scope(tenant):
        batch_id = db.session.execute(select(ImportBatch.id)).scalar_one()
    _lose_the_job_of(app, ImportBatch, batch_id)

    _a_minute_later(app)
    with app.app_context():
        assert reconcile_unfinished() == 3
        assert reconcile_unfinished() is None, "once a minute, by one worker of all"
    assert report_row(app, regional_id).status is RunStatus.FAILED
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(InstitutionReport, (tenant, report_id)).status is RunStatus.FAILED
        batch = db.session.get(ImportBatch, (tenant, batch_id))
        assert batch.status is ImportStatus.FAILED and "lost" in batch.failure_detail
    with app.app_context():   # a minute later: nothing left to settle
        _a_minute_later(app)
        assert reconcile_unfinished() == 0
        _a_minute_later(app)


@pytest.mark.slow
def test_a_worker_process_settles_a_stuck_report_nobody_looks_at(app, client, auth, pg_database):
    """`python -m regionet.workers` wires the reconciliation into its maintenance (here a burst worker's first)."""
    auth.login_as(TENANT_A, "staff")
    report_id = uuid.UUID(client.post(f"{REPORTS_URL}/summary").location.rstrip("/").split("/")[-1])
    _lose_the_job_of(app, InstitutionReport, report_id)
    _a_minute_later(app)
    result = run_worker_until_empty(app, pg_database)
    assert result.returncode == 0, result.stderr[-3000:]
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(InstitutionReport, (tenant, report_id)).status is RunStatus.FAILED
