"""What the workers take for an outage (one log line, the job retried) and what for a fault (its traceback)."""
import uuid

import psycopg
import pytest
from psycopg import errors
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import IntegrityError, OperationalError

from regionet.workers.context import outage


def wrapped(error: Exception) -> Exception:
    """As SQLAlchemy raises it: its own error, raised from the driver's."""
    try:
        try:
            raise error
        except Exception as cause:
            raise OperationalError("SELECT 1", {}, cause) from cause
    except OperationalError as outer:
        return outer


@pytest.mark.parametrize("error, expected", [
    (wrapped(psycopg.OperationalError("connection failed: No such file or directory")), "PostgreSQL"),
    (wrapped(errors.AdminShutdown("terminating connection due to administrator command")), "PostgreSQL"),
    (wrapped(errors.CannotConnectNow("the database system is shutting down")), "PostgreSQL"),
    (RedisConnectionError("Error 111 connecting to 127.0.0.1:6379"), "Redis"),
    (wrapped(errors.QueryCanceled("canceling statement due to statement timeout")), None),
    (IntegrityError("INSERT", {}, errors.UniqueViolation("duplicate key")), None),
    (RuntimeError("simulated failure while building the PDF"), None),
])
def test_an_outage_is_told_from_a_fault(error, expected):
    assert outage(error) == expected


def test_a_figures_job_out_of_attempts_while_postgresql_is_away_is_asked_for_again(app):
    """Its failure cannot be recorded (the database is away), so it must not end there: the figures would stay
    stale with nothing on the dashboard. A new run is booked instead."""
    from rq.job import Job

    from regionet.platform.coordinator import refresh
    from regionet.workers.coalesce import pending_key
    from regionet.workers.jobs.figures import on_figures_failure
    from regionet.workers.queues import redis_connection

    with app.app_context():
        refresh.request_tenant_refresh(1)
        key = refresh.tenant_key(1)
        first = redis_connection().get(pending_key(key)).decode()
        job = Job.fetch(first, connection=redis_connection())
        job.retries_left = 0
    error = wrapped(psycopg.OperationalError("connection failed: No such file or directory"))
    on_figures_failure(job, None, type(error), error, None)
    with app.app_context():
        again = redis_connection().get(pending_key(key)).decode()
        assert again != first and Job.fetch(again, connection=redis_connection()).args == (1,)


def test_a_mail_out_of_attempts_while_postgresql_is_away_is_booked_again(app):
    """Its failure cannot be recorded either (the row still says queued or retrying, with no job left): its delivery
    is booked again, with its retries afresh, and the message goes once the database is back."""
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    from regionet.platform.extensions import db
    from regionet.platform.mail import MailStatus, OutgoingMail, send_mail
    from regionet.workers.jobs.mail import delivery_failed
    from regionet.workers.queues import MAIL, get_queue, redis_connection

    with app.test_request_context("/"):
        mail_id = send_mail("someone@example.org", "mail/test").id
        db.session.commit()
        queue = get_queue(MAIL)
        [first] = queue.jobs
        first.retries_left = 0
    error = wrapped(psycopg.OperationalError("connection failed: No such file or directory"))
    delivery_failed(first, None, type(error), error, None)
    with app.app_context():
        [again] = ScheduledJobRegistry(queue=get_queue(MAIL)).get_job_ids()
        job = Job.fetch(again, connection=redis_connection())
        assert again != first.id and job.args == (mail_id,) and job.retries_left == len(app.config["MAIL_RETRY_INTERVALS"])
        assert db.session.get(OutgoingMail, mail_id).status is MailStatus.QUEUED, "nothing recorded, nothing lost"


def test_a_job_just_taken_by_a_live_worker_is_not_handed_back_though_it_names_a_dead_one(app):
    """RQ registers an execution as started (with its worker's name) before the work horse writes the job's
    `worker_name`; meanwhile a retried job still names the worker of its last attempt. The reaper goes by the
    execution: a live worker's fresh execution stays, a dead worker's is handed back."""
    from rq.executions import Execution
    from rq.registry import StartedJobRegistry

    from regionet.workers.queues import get_queue, redis_connection
    from regionet.workers.worker import Queue, Worker

    with app.app_context():
        queue = get_queue("default")
        connection = redis_connection()
        alive = Worker([queue.name], connection=connection, name=f"alive-{uuid.uuid4().hex}", queue_class=Queue)
        alive.register_birth()
        reaper = Worker([queue.name], connection=connection, name=f"reaper-{uuid.uuid4().hex}", queue_class=Queue)
        try:
            job = queue.enqueue("regionet.workers.jobs.figures.refresh_tenant_figures", 1)
            job.worker_name = "gone-for-test"   # its last attempt's worker, killed: no heartbeat left
            job.save()
            with connection.pipeline() as pipeline:
                running = Execution.create(job, 60, pipeline=pipeline, worker_name=alive.name)
                pipeline.execute()
            registry = StartedJobRegistry(queue=queue)
            assert reaper.reap_dead_workers_jobs() == 0
            assert running.job_id in registry.get_job_ids(cleanup=False)

            with connection.pipeline() as pipeline:   # one more execution, of a worker that is gone
                Execution.create(job, 60, pipeline=pipeline, worker_name="gone-for-test")
                pipeline.execute()
            assert reaper.reap_dead_workers_jobs() == 1
        finally:   # nothing left for later tests' workers and registries
            queue.empty()
            for registry in (StartedJobRegistry(queue=queue), queue.failed_job_registry):
                connection.delete(registry.key)
            alive.register_death()
            connection.delete(alive.key)


def test_an_abandoned_job_is_one_log_line_without_a_traceback(caplog):
    """RQ's abandoned-job cleanup passes its own stack (a StackSummary), not a traceback: logging that as
    exc_info broke the log handler ("--- Logging error ---" and a traceback in the workers' log)."""
    import traceback

    from rq.exceptions import AbandonedJobError

    from regionet.workers.context import log_job_failure

    class FakeJob:
        id, func_name, retries_left = "job-1", "regionet.workers.jobs.figures.refresh_region_figures", 2

    with caplog.at_level("WARNING", logger="regionet.workers.context"):
        detail = log_job_failure(FakeJob(), AbandonedJobError, AbandonedJobError(), traceback.extract_stack())
    assert detail == "AbandonedJobError"
    [record] = caplog.records
    assert record.exc_info is None and "abandoned" in record.getMessage() and "retried" in record.getMessage()
