"""The summary job end to end in a real `rq` worker process against the real Redis."""
import io
import os
import subprocess
import sys

import pdfplumber
import pytest
from pypdf import PdfReader
from rq import Queue
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.reports.models import InstitutionReport, RunStatus
from regionet.workers.queues import REPORTS, queue_name, redis_connection

from .test_isolation import _institution_id

pytestmark = pytest.mark.slow


def worker_env(app, pg_database) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": pg_database["app"], "COORDINATOR_DATABASE_URL": pg_database["coordinator"],
        "MIGRATION_DATABASE_URL": pg_database["owner"], "REDIS_URL": app.config["REDIS_URL"],
        "RQ_QUEUE_PREFIX": app.config["RQ_QUEUE_PREFIX"], "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": app.instance_path,
    })
    return env


def run_worker_until_empty(app, pg_database, timeout=90) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regionet.workers", REPORTS, "--burst"],
                          env=worker_env(app, pg_database), capture_output=True, text=True, timeout=timeout)


def test_summary_pdf_is_built_by_a_real_worker_process(app, client, auth, pg_database):
    auth.login_as("mops-skarzysko-kamienna", "staff")
    response = client.post("/i/mops-skarzysko-kamienna/reports/summary")
    assert response.status_code == 302
    detail_url = response.location
    with app.app_context():
        queue = Queue(queue_name(REPORTS), connection=redis_connection())
        assert queue.count == 1
        job = queue.jobs[0]
        tenant_id = _institution_id(app, "mops-skarzysko-kamienna")
        assert job.args[0] == tenant_id, "the job carries its tenant explicitly"

    status = client.get(detail_url + "/status").get_json()
    assert status["status"] == "queued" and status["finished"] is False

    result = run_worker_until_empty(app, pg_database)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Job OK" in result.stderr

    status = client.get(detail_url + "/status").get_json()
    assert status == {"status": "done", "label": "Gotowy", "progress": 100, "finished": True, "error": None}
    page = client.get(detail_url).get_data(as_text=True)
    assert "Pobierz PDF" in page

    download = client.get(detail_url + "/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    pdf = download.data
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # Polish letters come back as text (ł ś ż ć ę Ś ó), not as missing-glyph boxes
    assert "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej" in text
    assert "Zestawienie instytucji" in text and "Świętokrzyskie" in text and "Wartość" in text
    assert "Strona 1 z 1" in text
    assert reader.metadata.title.startswith("Zestawienie instytucji")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fonts = {char["fontname"] for page in document.pages for char in page.chars}
    assert fonts and all("DejaVuSans" in font for font in fonts), fonts
    assert b"/Lang (pl-PL)" in pdf


def test_a_job_for_a_finished_report_does_not_build_it_again(app, client, auth, pg_database):
    auth.login_as("owes-kielce")
    client.post("/i/owes-kielce/reports/summary")
    assert run_worker_until_empty(app, pg_database).returncode == 0
    tenant = _institution_id(app, "owes-kielce")
    with app.app_context(), tenant_scope(tenant):
        report = db.session.execute(select(InstitutionReport)).scalar_one()
        first_hash, report_id = report.sha256, report.id
    # the same job delivered again (at-least-once delivery) is a no-op
    from regionet.workers.jobs.institution_summary import build_institution_summary

    assert build_institution_summary(tenant, str(report_id)) == "already done"
    with app.app_context(), tenant_scope(tenant):
        again = db.session.execute(select(InstitutionReport)).scalars().all()
        assert len(again) == 1 and again[0].sha256 == first_hash and again[0].attempts == 1


def test_requesting_twice_while_queued_gives_the_same_report(app, client, auth):
    auth.login_as("gops-blizyn")
    first = client.post("/i/gops-blizyn/reports/summary").location
    second = client.post("/i/gops-blizyn/reports/summary").location
    assert first == second
    with app.app_context():
        assert Queue(queue_name(REPORTS), connection=redis_connection()).count == 1


def test_a_failing_job_is_retried_then_shown_as_failed_with_its_reason(app, client, auth, pg_database):
    from regionet.tenants.reports import services
    from regionet.tenants.reports.models import ReportKind

    tenant = _institution_id(app, "mopr-kielce")
    with app.app_context(), tenant_scope(tenant):
        report = InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.QUEUED, job_id="x")
        db.session.add(report)
        db.session.flush()
        report.job_id = InstitutionReport.job_id_for(tenant, report.id)
        db.session.commit()
        report_id = report.id
        # the production enqueue (retry policy, failure callback) with a job that always raises
        services._enqueue(report, tenant, 60, job="tests.jobs_for_tests.always_fails")
        job = Queue(queue_name(REPORTS), connection=redis_connection()).jobs[0]
        assert job.retries_left == 3
        job.retry_intervals = [0]  # retry at once instead of after 10-60 s
        job.save()
    auth.login_as("mopr-kielce")
    detail = f"/i/mopr-kielce/reports/{report_id}"
    for _ in range(6):
        run_worker_until_empty(app, pg_database, timeout=60)
        status = client.get(detail + "/status").get_json()
        if status["finished"]:
            break
    assert status["status"] == "failed"
    # the page says what to do; the exception's text is only in the log and the row's detail
    assert "zgłoś to operatorowi platformy" in status["error"] and "simulated" not in status["error"]
    page = client.get(detail).get_data(as_text=True)
    assert "Spróbuj ponownie" in page and "zgłoś to operatorowi platformy" in page
    assert "simulated" not in page and "RuntimeError" not in page
    with app.app_context(), tenant_scope(tenant):
        assert "RuntimeError: simulated failure" in db.session.get(InstitutionReport, (tenant, report_id)).error_detail
    with app.app_context():
        job.refresh()
        assert job.retries_left == 0 and job.get_status() == "failed"  # tried 1 + 3 times, then given up
    # the retry button queues it again, and a healthy worker completes it
    assert client.post(detail + "/retry").status_code == 302
    assert client.get(detail + "/status").get_json()["status"] == "queued"
    assert run_worker_until_empty(app, pg_database).returncode == 0
    assert client.get(detail + "/status").get_json()["status"] == RunStatus.DONE.value
