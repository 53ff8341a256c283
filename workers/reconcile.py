"""A status row waiting for a worker, checked against the queue (the pages of reports and imports,
and every minute the workers' maintenance: `reconcile_unfinished`).

The row (report, import) is the truth users see; the queue may have lost its job (Redis
restarted without its data, the queue emptied) or given up on it without our failure callback
running (a worker killed outright, RQ's own cleanup, a failure during a PostgreSQL outage that
could not be recorded). `stuck_reason` says what to record then.
When Redis cannot be asked, the row is left as it is: pages read the database's state.
"""
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import JobStatus

from .queues import Job, redis_connection

log = logging.getLogger(__name__)

LOST_AFTER = timedelta(seconds=90)   # a row whose job has vanished for this long is failed
RECONCILE_EVERY = 60                 # seconds between two reconciliations of every unfinished row

LOST = "The job was lost (the queue no longer has it)."
WORKER_STOPPED = "The worker stopped during the job."
FAILED = "The job failed."


def stuck_reason(job_id: str | None, since: datetime, running: bool) -> tuple[str, bool] | None:
    """(reason, will_retry) to record on an unfinished row, or None to leave it.

    `since`: when the row was queued or its attempt started; `running`: the row says a worker has it.
    """
    if not job_id:
        return None
    try:
        job = Job.fetch(job_id, connection=redis_connection())
        state = job.get_status(refresh=True)
    except NoSuchJobError:
        job, state = None, None
    except RedisError as error:
        log.warning("queue unavailable, showing the stored state of job %s (%s)", job_id, type(error).__name__)
        return None
    if job is None:
        if built_outside_the_queue(job_id):
            return None
        return (LOST, False) if datetime.now(UTC) - since.astimezone(UTC) > LOST_AFTER else None
    if state == JobStatus.FAILED and not job.retries_left:
        return last_line(job) or FAILED, False
    if running and state in (JobStatus.SCHEDULED, JobStatus.QUEUED):
        return last_line(job) or WORKER_STOPPED, True
    return None


OUTSIDE_LEASE = 60   # seconds; renewed every OUTSIDE_LEASE / 4 while the process builds


def _outside_key(job_id: str) -> str:
    return f"{current_app.config.get('RQ_QUEUE_PREFIX', '')}regionet:outside:{job_id}"


def built_outside_the_queue(job_id: str) -> bool:
    return bool(redis_connection().exists(_outside_key(job_id)))


@contextmanager
def building_outside_the_queue(job_id: str) -> Iterator[None]:
    """Around a build that a process runs itself (`flask report regional` without --enqueue): its row names a
    job no queue holds, which the reconciliation would record as lost after LOST_AFTER. A lease in Redis,
    renewed by a thread while the build runs, says someone has it; a process that dies stops renewing, and
    the row is settled as lost a minute later. Without Redis the build goes on without a lease."""
    key, stop = _outside_key(job_id), threading.Event()
    connection = redis_connection()

    def renew() -> None:
        while True:
            try:
                connection.set(key, os.getpid(), ex=OUTSIDE_LEASE)
            except RedisError as error:
                log.warning("could not renew the lease of %s (%s)", job_id, type(error).__name__)
            if stop.wait(OUTSIDE_LEASE / 4):
                return

    renewer = threading.Thread(target=renew, name=f"lease-{job_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        try:
            connection.delete(key)
        except RedisError:
            pass   # it runs out by itself


def do_cancel_run(row) -> bool:
    """The cancel button of a report (either kind): `cancelled`, and its job taken off the queue; a run
    already under way finds the row cancelled. False when the row is done or cancelled already."""
    from regionet.platform.extensions import db
    from regionet.platform.run_status import RunStatus

    if not row.status.can_cancel:
        return False
    row.status, row.error, row.finished_at = RunStatus.CANCELLED, None, datetime.now(UTC)
    db.session.commit()
    cancel_job(row.job_id)
    return True


def cancel_job(job_id: str | None) -> None:
    """Take a job off the queue for good (the row it works for was cancelled); a Redis away changes nothing:
    the job, should it run, finds its row cancelled."""
    if not job_id:
        return
    try:
        Job.fetch(job_id, connection=redis_connection()).delete()
    except (NoSuchJobError, RedisError):
        pass


def last_line(job: Job) -> str | None:
    try:
        result = job.latest_result()
        text = result.exc_string if result else None
    except Exception:  # noqa: BLE001  (an old job without results)
        text = None
    return text.strip().splitlines()[-1] if text else None


def reconcile_unfinished() -> int | None:
    """Every unfinished report (institution and regional) and import checked against the queue, as its page
    would be, so that a row whose job is gone or failed unrecorded (PostgreSQL away when it failed) is settled
    without anyone opening it. At most once per RECONCILE_EVERY across all workers (a Redis key); the workers'
    maintenance calls it. Returns how many rows it looked at, None when another worker's turn it was or a
    server is away (one log line). Cost: two queries per institution (one transaction), and Redis only for the unfinished rows."""
    from regionet.platform.extensions import db

    key = f"{current_app.config.get('RQ_QUEUE_PREFIX', '')}regionet:reconciled"
    try:
        if not redis_connection().set(key, "1", nx=True, ex=RECONCILE_EVERY - 1):
            return None
        return _reconcile_every_row()
    except Exception as error:  # noqa: BLE001 - the worker's housekeeping never stops it
        from .context import log_failure

        log_failure(log, "could not reconcile the unfinished rows", error)
        return None
    finally:
        db.session.remove()


def _reconcile_every_row() -> int:
    from sqlalchemy import select

    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.regional_reports import services as regional
    from regionet.platform.regional_reports.models import RegionalReport
    from regionet.platform.regional_reports.withdrawal import do_requeue_missing_rebuilds
    from regionet.platform.run_status import RunStatus
    from regionet.platform.tenancy import activate_scope, activate_tenant, current_scope
    from regionet.tenants.imports import services as imports
    from regionet.tenants.imports.models import ImportBatch, ImportStatus
    from regionet.tenants.reports import services as reports
    from regionet.tenants.reports.models import InstitutionReport

    unfinished = [RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.RETRYING]
    waiting = [ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING]
    rows = db.session.execute(select(RegionalReport).where(RegionalReport.status.in_(unfinished))).scalars().all()
    for row in rows:
        regional.do_reconcile_with_queue(row)
    seen = len(rows)
    do_requeue_missing_rebuilds()   # reports withdrawn for a photo whose rebuild never got queued
    # One transaction through all institutions (three statements each: the scope, two queries); a row settled
    # commits, and the next transaction takes the scope of the moment.
    previous = current_scope()
    try:
        for tenant_id in db.session.execute(select(Institution.id).order_by(Institution.id)).scalars().all():
            activate_tenant(tenant_id)
            tenant_reports = db.session.execute(select(InstitutionReport).where(
                InstitutionReport.status.in_(unfinished))).scalars().all()
            batches = db.session.execute(select(ImportBatch).where(ImportBatch.status.in_(waiting))).scalars().all()
            for report in tenant_reports:
                reports.do_reconcile_with_queue(report)
            for batch in batches:
                imports.do_reconcile_with_queue(batch)
            seen += len(tenant_reports) + len(batches)
    finally:
        activate_scope(previous)
    db.session.commit()
    return seen
