"""A status row waiting for a worker, checked against the queue (the pages of reports and imports).

The row (report, import) is the truth users see; the queue may have lost its job (Redis
restarted without its data, the queue emptied) or given up on it without our failure callback
running (a worker killed outright, RQ's own cleanup). `stuck_reason` says what to record then.
When Redis cannot be asked, the row is left as it is: pages read the database's state.
"""
import logging
from datetime import UTC, datetime, timedelta

from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import JobStatus

from .queues import Job, redis_connection

log = logging.getLogger(__name__)

LOST_AFTER = timedelta(seconds=90)   # a row whose job has vanished for this long is failed

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
        return (LOST, False) if datetime.now(UTC) - since.astimezone(UTC) > LOST_AFTER else None
    if state == JobStatus.FAILED and not job.retries_left:
        return last_line(job) or FAILED, False
    if running and state in (JobStatus.SCHEDULED, JobStatus.QUEUED):
        return last_line(job) or WORKER_STOPPED, True
    return None


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
