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


def test_a_request_during_a_region_run_gets_another_round(app, monkeypatch):
    from regionet.platform.coordinator import refresh
    from regionet.platform.extensions import db

    rounds = []

    def recount(region_code):
        rounds.append(region_code)
        if len(rounds) == 1:  # an institution's job finishes while the region is being counted
            refresh._mark_run(region_code, requested=True)
            db.session.commit()
        return 0

    monkeypatch.setattr(refresh, "_recount_region", recount)
    with app.app_context():
        refresh.do_refresh_region("26")
        run = queries.figure_run("26")
    assert rounds == ["26", "26"]
    assert run.finished_at >= run.requested_at and not run.pending
