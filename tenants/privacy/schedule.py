"""The daily retention run, on RQ's built-in scheduler (like the quarterly reports).

One job in RQ's ScheduledJobRegistry (`Queue.schedule_job`, moved to the queue by a worker
started `--with-scheduler`, which `python -m regionet.workers` does) under an id derived from
its day. Each run first books the next day's run, then queues one job per institution, which
lists the people due and anonymises those listed long enough (`services.do_apply_retention`).
The worker books the first run when it starts (`ensure_booked`); booking twice books once.
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rq import Retry
from rq.exceptions import DuplicateJobError
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.workers.queues import DEFAULT, QUEUED_TTL, get_queue, job_id

WARSAW = ZoneInfo("Europe/Warsaw")
RUN_AT = time(2, 30)   # Polish time: a quiet hour
SCHEDULED_JOB = "regionet.workers.jobs.retention.run_retention_day"
TENANT_JOB = "regionet.workers.jobs.retention.apply_retention"
RETRY = Retry(max=3, interval=[60, 300, 900])


def next_run_after(moment: datetime) -> datetime:
    day = moment.astimezone(WARSAW).date()
    run = datetime.combine(day, RUN_AT, tzinfo=WARSAW)
    if run <= moment:
        run = datetime.combine(day + timedelta(days=1), RUN_AT, tzinfo=WARSAW)
    return run.astimezone(UTC)


def day_job_id(run_at: datetime) -> str:
    return job_id(f"retention-day-{run_at.astimezone(WARSAW):%Y%m%d}")


def book(run_at: datetime) -> str:
    """Put the run of `run_at` into RQ's scheduled-job registry (once per day)."""
    queue = get_queue(DEFAULT)
    ident = day_job_id(run_at)
    job = queue.create_job(SCHEDULED_JOB, args=(run_at.isoformat(),), job_id=ident, retry=RETRY,
                           result_ttl=30 * 24 * 3600, failure_ttl=30 * 24 * 3600, description="retention run")
    try:
        queue.schedule_job(job, run_at, unique=True)
    except DuplicateJobError:
        return ident
    # No deterministic id stays taken for ever (a deployment that stops running workers).
    wait = max(0, int((run_at - datetime.now(UTC)).total_seconds()))
    queue.connection.expire(job.key, wait + QUEUED_TTL)
    return ident


def ensure_booked(now: datetime | None = None) -> str:
    return book(next_run_after(now or datetime.now(UTC)))


def scheduled_runs() -> list[str]:
    return ScheduledJobRegistry(queue=get_queue(DEFAULT)).get_job_ids()


def run_day(booked_at: datetime) -> list[int]:
    """One daily run: book tomorrow's first (a failing run never ends the schedule), then queue
    each institution's job. Returns the institutions queued."""
    book(next_run_after(max(datetime.now(UTC), booked_at)))
    queue = get_queue(DEFAULT)
    day = booked_at.astimezone(WARSAW)
    tenants = db.session.execute(select(Institution.id).where(Institution.is_active).order_by(Institution.id)).scalars().all()
    for tenant_id in tenants:
        try:
            queue.enqueue(TENANT_JOB, tenant_id, job_id=job_id(f"retention-{tenant_id}-{day:%Y%m%d}"), unique=True,
                          retry=RETRY, ttl=QUEUED_TTL, result_ttl=30 * 24 * 3600, failure_ttl=30 * 24 * 3600,
                          description=f"retention of institution {tenant_id}")
        except DuplicateJobError:   # a repeated run of the same day
            pass
    return list(tenants)
