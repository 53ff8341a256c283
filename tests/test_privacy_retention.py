"""Retention: a daily job, booked in RQ's scheduler, lists then anonymises the people whose every
retention has ended; a real worker process (with its scheduler) runs it."""
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.privacy.models import RetentionListing
from regionet.tenants.privacy.retention import default_retention_until, retention_until
from regionet.tenants.privacy.schedule import book, day_job_id, next_run_after
from regionet.tenants.privacy.services import do_apply_retention
from regionet.tenants.support.models import Enrolment
from regionet.workers.queues import DEFAULT, get_queue

from .test_isolation import TENANT_A, _institution_id
from .test_worker import worker_env
from .workspace_data import add, participant, project


def people_and_projects(app):
    """Ola's only project ended its retention yesterday; Piotr has also a running one."""
    tenant = _institution_id(app, TENANT_A)
    ended = project(code="RPO-ENDED", start=date(2022, 1, 1), end=date(2022, 12, 31))
    ended.funding_source, ended.retention_until = "rpo-ws-2014-2020", today_in_poland() - timedelta(days=1)
    ended.retention_reason = "umowa § 12: do dnia poprzedniego"
    running = project(code="FES-RUNNING", start=date(2023, 1, 1), end=date(2023, 12, 31))
    running.funding_source = "fes-2021-2027"
    ola = participant("Ola", "Przemijająca", date(1990, 4, 2), Sex.FEMALE, 51)
    piotr = participant("Piotr", "Zostający", date(1975, 8, 9), Sex.MALE, 52)
    with app.app_context():
        ended_id, running_id, ola_id, piotr_id = add(tenant, ended, running, ola, piotr)
        add(tenant, Enrolment(project_id=ended_id, participant_id=ola_id, entry_date=date(2022, 2, 1),
                              status_at_entry=ola.labour_status),
            Enrolment(project_id=ended_id, participant_id=piotr_id, entry_date=date(2022, 2, 1),
                      status_at_entry=piotr.labour_status),
            Enrolment(project_id=running_id, participant_id=piotr_id, entry_date=date(2023, 2, 1),
                      status_at_entry=piotr.labour_status))
    return tenant, ola_id, piotr_id


def test_default_retention_follows_the_funding():
    eu = project(start=date(2021, 1, 1), end=date(2023, 6, 30))
    eu.funding_source = "fes-2021-2027"
    own = project(start=date(2021, 1, 1), end=date(2023, 6, 30))
    own.funding_source = "own"
    assert default_retention_until(eu) == date(2028, 12, 31) == retention_until(eu)
    assert default_retention_until(own) == date(2033, 12, 31)
    own.retention_until = date(2040, 1, 1)
    assert retention_until(own) == date(2040, 1, 1)


def test_people_are_listed_first_and_anonymised_after_the_notice(app):
    tenant, ola_id, piotr_id = people_and_projects(app)
    now = datetime.now(UTC)
    with app.app_context(), tenant_scope(tenant):
        first = do_apply_retention(now)
        assert (first.listed, first.anonymised) == (1, 0)
        assert db.session.execute(select(RetentionListing.participant_id)).scalars().all() == [ola_id]
        assert db.session.get(Participant, (tenant, ola_id)).anonymised_at is None
        # the next day: still within the notice
        assert do_apply_retention(now + timedelta(days=1)) == type(first)(0, 0)
        later = do_apply_retention(now + timedelta(days=app.config["RETENTION_NOTICE_DAYS"]))
        assert (later.listed, later.anonymised) == (0, 1)
        ola, piotr = db.session.get(Participant, (tenant, ola_id)), db.session.get(Participant, (tenant, piotr_id))
        assert ola.anonymised_at and ola.pesel is None and ola.last_name == "[redacted]"
        assert piotr.anonymised_at is None and piotr.last_name == "Zostający"


def test_a_real_worker_runs_the_booked_day_and_books_the_next(app, pg_database):
    tenant, ola_id, piotr_id = people_and_projects(app)
    due = datetime.now(UTC) - timedelta(seconds=1)
    with app.app_context():
        booked = book(due)
        assert booked in ScheduledJobRegistry(queue=get_queue(DEFAULT)).get_job_ids()
    env = {**worker_env(app, pg_database), "RETENTION_NOTICE_DAYS": "0"}
    worker = subprocess.Popen([sys.executable, "-m", "regionet.workers", DEFAULT], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with app.app_context(), tenant_scope(tenant):
                if db.session.get(Participant, (tenant, ola_id)).anonymised_at is not None:
                    break
                db.session.rollback()
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            time.sleep(0.3)
        else:
            raise AssertionError("the worker did not anonymise the person")
    finally:
        worker.terminate()
        worker.wait(30)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Participant, (tenant, piotr_id)).anonymised_at is None
        listing = db.session.execute(select(RetentionListing)).scalar_one()
        assert listing.participant_id == ola_id and listing.anonymised_at is not None
    with app.app_context():
        scheduled = ScheduledJobRegistry(queue=get_queue(DEFAULT)).get_job_ids()
        assert day_job_id(next_run_after(datetime.now(UTC))) in scheduled, "the next day is booked"
        assert booked not in scheduled
