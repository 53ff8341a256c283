"""Workers survive PostgreSQL going away (issue 18, point 2): a private PostgreSQL server is stopped (fast
shutdown: every session ended) under the real worker supervisor and its two workers, in the middle of a
regional report and with institution reports and figure recounts queued, and started again.

The jobs that met the outage fail, are retried by RQ (10, 30, 60 s) and finish once the database is back;
no job is lost, none is left queued or running, the workers are never restarted in a loop (a worker that
starts during the outage serves its queues and books the report schedules when the database is back), and
the log has one line per failed attempt, not a traceback per database call.
"""
import re
import subprocess
import sys
import time

import psutil
import pytest
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import select

from regionet.platform.regional_reports.models import RunStatus
from regionet.tenants.reports.models import InstitutionReport
from regionet.workers.queues import ALL_QUEUES, get_queue, redis_connection

from .conftest import DEMO_PASSWORD
from .coordinator_data import Person, add_people
from .helpers import AuthActions, fast_password_hashing
from .jobs_for_tests import gate_key
from .practices_support import configured
from .private_postgres import PrivatePostgres
from .private_redis import PrivateRedis, app_on, restore_limiter
from .test_regional_report_jobs import (
    assert_valid_pdf,
    held_in_the_middle,
    report_row,
    request_report,
    some_practices,
    wait_for,
)
from .test_worker import worker_env
from .test_worker_recovery import kill_group, stop_group

pytestmark = pytest.mark.slow
INSTITUTIONS = ("mops-skarzysko-kamienna", "owes-kielce", "mopr-kielce")
PEOPLE_EACH = 6   # enough that the region's total is not a small count the disclosure control would hide


def people_counted(app) -> int:
    from regionet.platform.coordinator import queries
    from regionet.platform.ui.formatting import today_in_poland

    with app.app_context():
        figures = queries.one_way_figures("26", str(today_in_poland().year), "all")
        return figures.get(("people", ""), {}).get("") or 0


def summary_reports(admin_url: str) -> list[tuple[int, RunStatus]]:
    """(institution, status) of every institution report; read as the superuser (every tenant)."""
    from sqlalchemy import create_engine

    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return [(row.tenant_id, row.status) for row in conn.execute(
                select(InstitutionReport.tenant_id, InstitutionReport.status))]
    finally:
        engine.dispose()


def participants(admin_url: str) -> int:
    from sqlalchemy import create_engine, func

    from regionet.tenants.participants.models import Participant

    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Participant)).scalar_one()
    finally:
        engine.dispose()


def unfinished_jobs(app) -> dict[str, list[str]]:
    """Jobs still queued, scheduled (a retry waiting) or running, per queue."""
    found = {}
    with app.app_context():
        for name in ALL_QUEUES:
            queue = get_queue(name)
            ids = [*queue.job_ids, *ScheduledJobRegistry(queue=queue).get_job_ids(),
                   *StartedJobRegistry(queue=queue).get_job_ids()]
            # The daily retention run is booked for 02:30 and stays scheduled: that is its normal state.
            ids = [i for i in ids if "retention-day" not in i]
            if ids:
                found[name] = ids
    return found


def test_a_postgresql_restart_under_running_workers_loses_no_job(tmp_path):
    server = PrivatePostgres().start()
    redis_server = PrivateRedis(tmp_path).start()
    saved = workers = None
    log = tmp_path / "workers.log"
    try:
        urls = server.provision(tmp_path / "migrate")
        app, saved = app_on(urls, tmp_path, redis_server.url)
        with fast_password_hashing(), app.app_context():
            from regionet.platform.demo.seed import do_seed_demo

            do_seed_demo(DEMO_PASSWORD, records=False)
        some_practices(app)
        with configured(app, REGIONAL_REPORT_JOB="tests.jobs_for_tests.gated_regional_report"):
            report_id = request_report(app)
        with app.app_context():
            redis_connection().set(gate_key("any"), "1", ex=300)
        env = {**worker_env(app, urls), "PSEUDONYM_SECRET": app.config["PSEUDONYM_SECRET"]}
        workers = subprocess.Popen([sys.executable, "-m", "regionet.workers", "reports", "default", "--processes", "2"],
                                   env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=log.open("w"))
        wait_for(lambda: held_in_the_middle(app, report_id), 120, "the regional report to be held mid-build")
        regional_job = report_row(app, report_id).job_id

        # Work queued just before the outage: a figures recount for each institution's new people (the
        # after-commit hook asks for it, FIGURES_REFRESH_DELAY = 5 s ahead), and a summary report each.
        for n, slug in enumerate(INSTITUTIONS):
            with app.app_context():
                add_people(slug, [Person(f"Przerwa{n}", f"Osoba{k}") for k in range(PEOPLE_EACH)])
            client = app.test_client()
            AuthActions(client, DEMO_PASSWORD).login_as(slug, "staff")
            assert client.post(f"/i/{slug}/reports/summary").status_code == 302
        expected_people = participants(urls["admin"])   # the practices' cohort, and the people just added

        server.stop()
        down = time.monotonic()
        with app.app_context():
            redis_connection().delete(gate_key("any"))   # the held report carries on, into the outage

        def met_the_outage() -> bool:
            """The held report and a figures recount have failed for want of the database (retries booked)."""
            with app.app_context():
                job = Job.fetch(regional_job, connection=redis_connection())
                report_failed = job.get_status() in (JobStatus.SCHEDULED, JobStatus.FAILED)
            return report_failed and re.search(r"\(regionet\.workers\.jobs\.figures\.\w+\) failed: PostgreSQL is "
                                               r"unavailable", log.read_text()) is not None

        wait_for(met_the_outage, 120, "the workers to meet the outage")
        assert workers.poll() is None, "the supervisor stays"
        # A worker that starts while the database is away (here: one killed, started again by the supervisor)
        # serves its queues, and books the report schedules once the database is back.
        [child, _other] = [p for p in psutil.Process(workers.pid).children() if "--child" in p.cmdline()]
        child.kill()
        wait_for(lambda: "could not book the report schedules: PostgreSQL is unavailable" in log.read_text(), 60,
                 "a worker to start during the outage")
        server.start()
        outage = time.monotonic() - down

        row = wait_for(lambda: (r := report_row(app, report_id)).status is RunStatus.DONE and r, 180,
                       "the regional report after the restart")
        assert_valid_pdf(row)
        assert row.attempts >= 2, "the report met the outage and was run again"
        wait_for(lambda: not unfinished_jobs(app), 180, "every queued, retried or running job to finish")
        reports = summary_reports(urls["admin"])
        assert len(reports) == len(INSTITUTIONS)
        assert all(status is RunStatus.DONE for _tenant, status in reports), reports
        # The last recount may still be under way (a job found the region's run lock taken and booked itself
        # again): on a loaded machine a region's recount with its linked protection takes tens of seconds.
        wait_for(lambda: people_counted(app) == expected_people, 240,
                 f"the figures to count the new people ({people_counted(app)} of {expected_people})")
        wait_for(lambda: log.read_text().count("report schedules booked") == 3, 90,
                 "the worker started during the outage to book the schedules")
        with app.app_context():
            failed = {name: FailedJobRegistry(queue=get_queue(name)).get_job_ids() for name in ALL_QUEUES}
        assert not any(failed.values()), f"every job ended done, none failed for good: {failed}"
    finally:
        if sys.exc_info()[0] is not None and log.exists():   # what the workers did, shown with the failure
            print("\n".join(line[:300] for line in log.read_text().splitlines()
                            if "cleaning registries" not in line and not line.startswith(" ")))
        if workers is not None:
            stop_group(workers)
            kill_group(workers)
        redis_server.stop()
        server.remove()
        if saved is not None:
            restore_limiter(saved)
    text = log.read_text()
    failed_attempts = len(re.findall(r"\) failed: PostgreSQL is unavailable", text))
    print(f"\nPostgreSQL down {outage:.1f} s; attempts that met it: {failed_attempts}, each one line; "
          f"tracebacks in the workers' log: {text.count('Traceback')}")
    starts = re.findall(r"worker \d started \(pid", text)
    assert len(starts) == 3, f"the workers rode the outage out (the one killed aside): {len(starts)} worker starts"
    first = text.find("Traceback")
    assert failed_attempts >= 2 and first < 0, f"one line per attempt, no traceback: {text[first - 2000:first + 3000]}"
