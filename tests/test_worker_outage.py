"""What the workers take for an outage (one log line, the job retried) and what for a fault (its traceback)."""
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
