"""Running a job as one tenant.

A job has no request: it receives its tenant id as an explicit first argument, enters
an app context, sets the tenant scope itself and opens its own transactions. The app
is created once per worker process (before RQ forks the work horse).
"""
import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from rq.exceptions import AbandonedJobError

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope

log = logging.getLogger(__name__)

_app = None


def worker_app():
    global _app
    if _app is None:
        from regionet.platform.app import create_app

        _app = create_app()
    return _app


def use_app(app) -> None:
    """Let the worker entry point (or a test) provide the app jobs run in."""
    global _app
    _app = app


def drop_inherited_connections() -> None:
    """The work horse is a fork: never reuse connections the parent process opened (the
    application's engine and the coordinator's, which a region job reads through)."""
    from regionet.platform.coordinator.db import drop_inherited_coordinator_connections

    db.engine.dispose(close=False)
    drop_inherited_coordinator_connections()


def tenant_job(func):
    """Decorate a job function `f(*args)` so it is enqueued as `f(tenant_id, *args)`."""

    @functools.wraps(func)
    def run(tenant_id: int, *args, **kwargs):
        app = worker_app()
        with app.app_context():
            drop_inherited_connections()
            try:
                with tenant_scope(int(tenant_id)):
                    return func(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def outage(error: BaseException | None) -> str | None:
    """"PostgreSQL" or "Redis" when `error` (or an error it was raised from) says that server cannot be
    reached or is shutting down, else None. A statement timeout or a constraint is not an outage.

    SQLSTATE classes: 08 connection exception; 57P01-57P03 admin shutdown, crash shutdown, cannot connect
    now. An error without a SQLSTATE is psycopg's own failure to connect."""
    from psycopg import Error as PsycopgError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import DBAPIError, DisconnectionError

    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
            return "Redis"
        if isinstance(error, DisconnectionError) or (isinstance(error, DBAPIError) and error.connection_invalidated):
            return "PostgreSQL"
        if isinstance(error, PsycopgError) and (error.sqlstate is None or error.sqlstate.startswith(("08", "57P"))):
            return "PostgreSQL"
        error = error.__cause__ or error.__context__
    return None


def outage_line(error: BaseException) -> str:
    """The first line of the error that says what is away: enough for the log, instead of its traceback."""
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__


def log_failure(logger: logging.Logger, what: str, error: BaseException) -> None:
    """`what` ("could not …") failed: one line when PostgreSQL or Redis is away, else with its traceback."""
    away = outage(error)
    if away is None:
        logger.error(what, exc_info=error)
    else:
        logger.warning("%s: %s is unavailable (%s)", what, away, outage_line(error))


@contextmanager
def unless_unavailable(what: str) -> Iterator[None]:
    """Around a failure callback's writes: when PostgreSQL (or Redis) is away, the failure cannot be recorded
    either. One line says so; the row keeps its state, and the job's retry, or the page reconciling the row with
    the queue (workers/reconcile.py), settles it once the server is back."""
    try:
        yield
    except Exception as error:
        away = outage(error)
        if away is None:
            raise
        log.warning("%s not recorded: %s is unavailable (%s)", what, away, outage_line(error))


def failure_reason(exc_type, exc_value) -> str:
    """The detail of a failed attempt, for the log and the row's *_detail column (never for a page)."""
    return f"{exc_type.__name__}: {exc_value}" if exc_value is not None and str(exc_value) else exc_type.__name__


def log_job_failure(job, exc_type, exc_value, tb) -> str:
    """Write a failed attempt with its traceback to the worker's log; returns the detail to store.
    An attempt that failed because PostgreSQL or Redis is away gets one line: its traceback says nothing more,
    and an outage fails every job that runs meanwhile."""
    away = outage(exc_value)
    if away is not None:
        log.warning("job %s (%s) failed: %s is unavailable (%s)%s", getattr(job, "id", "?"), job.func_name, away,
                    outage_line(exc_value), "; it will be retried" if will_retry(job) else "")
        return failure_reason(exc_type, exc_value)
    if isinstance(exc_value, AbandonedJobError):   # RQ's cleanup: the stack it passes is its own, not the job's
        log.warning("job %s (%s) was abandoned by its worker%s", getattr(job, "id", "?"), job.func_name,
                    "; it will be retried" if will_retry(job) else "")
        return failure_reason(exc_type, exc_value)
    log.error("job %s (%s) failed", job.id if hasattr(job, "id") else "?", job.func_name,
              exc_info=(exc_type, exc_value, tb if isinstance(tb, TracebackType) else None)
              if exc_value is not None else None)
    return failure_reason(exc_type, exc_value)


def will_retry(job) -> bool:
    return bool(job.retries_left and job.retries_left > 0)


def record_tenant_job_failure(job, exc_type, exc_value, record: Callable[[uuid.UUID, str, bool], None],
                              tb=None) -> None:
    """For a failure callback of a `tenant_job(tenant_id, object_id, ...)`: `record(object_id, reason, will_retry)`
    runs in the job's tenant scope, so the failure is visible on the object the job was working on."""
    tenant_id, object_id = job.args[0], job.args[1]
    with worker_app().app_context(), unless_unavailable(f"the failure of job {job.id}"):
        try:
            with tenant_scope(int(tenant_id)):
                record(uuid.UUID(str(object_id)), log_job_failure(job, exc_type, exc_value, tb), will_retry(job))
        finally:
            db.session.remove()
