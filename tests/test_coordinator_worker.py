"""The figures follow the records through real RQ jobs: a change schedules the institution's
refresh, a real worker process rebuilds its facts and then the region's figures."""
import subprocess
import sys

import pytest
from rq import Queue
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from regionet.platform.coordinator import queries, refresh
from regionet.platform.extensions import db
from regionet.platform.tenancy.roles import APP_ROLE
from regionet.platform.ui.formatting import today_in_poland
from regionet.workers.queues import DEFAULT, queue_name, redis_connection

from .coordinator_data import Person, add_people, clean_region_tables, institution_id  # noqa: F401 (fixture)
from .helpers import visible_text
from .test_worker import worker_env

pytestmark = pytest.mark.slow
YEAR = today_in_poland().year
MOPS = "mops-skarzysko-kamienna"


@pytest.fixture
def immediate_refresh(app):
    previous = app.config["FIGURES_REFRESH_DELAY"]
    app.config["FIGURES_REFRESH_DELAY"] = 0
    yield
    app.config["FIGURES_REFRESH_DELAY"] = previous


def test_saving_participants_schedules_a_refresh_that_a_real_worker_completes(app, pg_database, immediate_refresh):
    with app.app_context():
        add_people(MOPS, [Person(f"Robocza{i}", "Osoba", pesel=f"7{i}1010{i}0101") for i in range(4)])
        queue = Queue(queue_name(DEFAULT), connection=redis_connection())
        jobs = queue.jobs
        assert [job.func_name for job in jobs] == ["regionet.workers.jobs.figures.refresh_tenant_figures"]
        assert jobs[0].args == (institution_id(MOPS),), "the job carries its institution explicitly"
        assert queries.one_way_figures("26", str(YEAR), "all") == {}   # nothing counted yet

    env = worker_env(app, pg_database) | {"FIGURES_REFRESH_DELAY": "0"}
    result = subprocess.run([sys.executable, "-m", "regionet.workers", DEFAULT, "--burst"], env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("Job OK") == 2, result.stderr[-3000:]   # the institution, then the region

    with app.app_context():
        figures = queries.one_way_figures("26", str(YEAR), "all")
        run = queries.figure_run("26")
    assert figures[("participations", "")][""] == 4 and figures[("people", "")][""] == 4
    assert run.finished_at is not None and not run.pending and run.failed_at is None


def test_a_failing_figures_job_shows_what_to_do_and_logs_why(app, client, auth, pg_database, immediate_refresh):
    """A real worker runs the region's job while the runtime role may not use the counting functions
    (permission denied): the page says it failed and what to do, the log and the operator's column say why."""
    admin = create_engine(pg_database["admin"], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"REVOKE USAGE ON SCHEMA figures_api FROM {APP_ROLE}"))
    try:
        with app.app_context():
            refresh.request_region_refresh("26")
        result = subprocess.run([sys.executable, "-m", "regionet.workers", DEFAULT, "--burst"],
                                env=worker_env(app, pg_database), capture_output=True, text=True, timeout=180)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"GRANT USAGE ON SCHEMA figures_api TO {APP_ROLE}"))
    assert "permission denied for schema figures_api" in result.stderr, result.stderr[-3000:]  # the log
    assert "Traceback" in result.stderr
    with app.app_context():
        detail = db.session.execute(text("SELECT failure_detail FROM region_figure_runs WHERE region_code = '26'"))\
            .scalar_one()
    assert "InsufficientPrivilege" in detail and "permission denied" in detail

    auth.login_coordinator()
    page = visible_text(client.get("/r/swietokrzyskie/").get_data(as_text=True))
    assert "Ostatnia aktualizacja danych nie powiodła się" in page
    assert "zgłoś to operatorowi platformy" in page and "Przelicz dane teraz" in page
    for technical in ("permission", "InsufficientPrivilege", "figures_api", "psycopg", "Error", "Traceback"):
        assert technical not in page, technical
    # the coordinator's own database role cannot read the detail at all
    coordinator = create_engine(pg_database["coordinator"])
    with coordinator.connect() as conn:
        assert conn.execute(text("SELECT count(failed_at) FROM region_figure_runs")).scalar_one() >= 0
    with coordinator.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
        conn.execute(text("SELECT failure_detail FROM region_figure_runs"))
    coordinator.dispose()
    admin.dispose()


def _waiting_jobs(app, func_suffix: str) -> list:
    from rq.registry import ScheduledJobRegistry

    with app.app_context():
        queue = Queue(queue_name(DEFAULT), connection=redis_connection())
        ids = queue.job_ids + ScheduledJobRegistry(queue=queue).get_job_ids()
        jobs = [queue.fetch_job(job_id) for job_id in ids]
    return [job for job in jobs if job is not None and job.func_name.endswith(func_suffix)]


def test_a_burst_of_requests_queues_one_run_per_institution_and_region(app):
    from regionet.platform.coordinator import refresh

    with app.app_context():
        mops, other = institution_id(MOPS), institution_id("gops-blizyn")
        for _ in range(25):
            refresh.request_tenant_refresh(mops)
            refresh.request_tenant_refresh(other)
            refresh.request_region_refresh("26")
    tenants = _waiting_jobs(app, "refresh_tenant_figures")
    assert sorted(job.args[0] for job in tenants) == sorted([mops, other])
    assert [job.args for job in _waiting_jobs(app, "refresh_region_figures")] == [("26",)]
    assert all(job.id.startswith(app.config["RQ_QUEUE_PREFIX"] + "figures-") for job in tenants)


def test_a_run_of_a_region_never_overlaps_another_and_a_request_meanwhile_queues_one_more(app):
    """The region's run lock is held (as by a run in another worker): a second run does not count,
    it queues itself again, once however often it is started."""
    from regionet.platform.coordinator import refresh
    from regionet.workers import coalesce
    from regionet.workers.jobs.figures import refresh_region_figures

    with app.app_context():
        before = queries.figure_run("26")
        with coalesce.run_lock(refresh.region_key("26")) as held:
            assert held
            with coalesce.run_lock(refresh.region_key("26")) as second:
                assert not second, "one run per region at a time"
            assert refresh_region_figures("26") == "another run is in progress: queued again"
            assert refresh_region_figures("26") == "another run is in progress: queued again"
        after = queries.figure_run("26")
    assert [job.args for job in _waiting_jobs(app, "refresh_region_figures")] == [("26",)]
    assert before is None or after.started_at == before.started_at, "the deferred run counted nothing"
    with app.app_context():   # the lock is free again: the region is counted
        assert refresh_region_figures("26").endswith("figures")
