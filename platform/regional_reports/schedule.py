"""The quarterly report schedule, on RQ's built-in scheduler.

A schedule row says "build this region's report every quarter"; the next run is a job
in RQ's ScheduledJobRegistry (`Queue.schedule_job`, moved to the queue by a worker
started `--with-scheduler`, which `python -m regionet.workers` does). Each run requests
the report for the quarter that just ended and books the next quarter's run, under a
job id derived from the region and that quarter, so a repeated run books it once.
"""
import uuid
from datetime import UTC, datetime

from flask import current_app
from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from regionet.workers.queues import REPORTS, get_queue, job_id, redis_connection

from ..extensions import db
from ..regions.models import Region
from .models import RegionalReportKind, ReportSchedule, ReportTrigger
from .periods import WARSAW, previous_quarter, quarter_of
from .periods import next_quarter_start as _next_quarter_start

SCHEDULED_JOB = "regionet.workers.jobs.regional_report.run_scheduled_regional_report"


def schedule_job_id(region_code: str, run_at: datetime) -> str:
    year, quarter = quarter_of(run_at.astimezone(WARSAW).date())
    return job_id(f"regional-schedule-{region_code}-{year}q{quarter}")


def active_schedule(region_code: str) -> ReportSchedule | None:
    return db.session.execute(select(ReportSchedule).where(
        ReportSchedule.region_code == region_code, ReportSchedule.kind == RegionalReportKind.CATALOGUE,
        ReportSchedule.cancelled_at.is_(None))).scalar_one_or_none()


def _book(schedule: ReportSchedule) -> None:
    """Put the schedule's next run into RQ's scheduled-job registry (once per job id)."""
    queue = get_queue(REPORTS)
    job = queue.create_job(SCHEDULED_JOB, args=(str(schedule.id), schedule.next_run_at.isoformat()),
                           job_id=schedule.job_id, retry=Retry(max=3, interval=[60, 300, 900]),
                           timeout=current_app.config["REPORT_JOB_TIMEOUT"], result_ttl=30 * 24 * 3600,
                           failure_ttl=30 * 24 * 3600, description=f"quarterly report {schedule.region_code}",
                           meta={"region_code": schedule.region_code, "schedule_id": str(schedule.id)})
    try:
        queue.schedule_job(job, schedule.next_run_at, unique=True)
    except DuplicateJobError:
        pass


def do_enable_quarterly(region: Region, user) -> ReportSchedule:
    schedule = active_schedule(region.teryt_code)
    if schedule is None:
        next_run = _next_quarter_start(datetime.now(UTC))
        schedule = ReportSchedule(region_code=region.teryt_code, kind=RegionalReportKind.CATALOGUE,
                                  cadence="quarterly", next_run_at=next_run,
                                  job_id=schedule_job_id(region.teryt_code, next_run),
                                  created_by_id=user.id if user else None,
                                  created_by_name=user.full_name if user else None)
        db.session.add(schedule)
        db.session.commit()
    _book(schedule)
    return schedule


def _unbook(job_id: str) -> None:
    queue = get_queue(REPORTS)
    ScheduledJobRegistry(queue=queue).remove(job_id)
    try:
        Job.fetch(job_id, connection=redis_connection()).delete()
    except NoSuchJobError:
        pass


def do_cancel_schedule(region: Region) -> bool:
    schedule = active_schedule(region.teryt_code)
    if schedule is None:
        return False
    schedule.cancelled_at = datetime.now(UTC)
    db.session.commit()
    _unbook(schedule.job_id)
    return True


def do_rebook_schedules() -> int:
    """Book every active schedule's next run again (a worker starting after Redis lost its data);
    a run already booked stays as it is. Returns how many schedules there are."""
    schedules = db.session.execute(select(ReportSchedule).where(ReportSchedule.cancelled_at.is_(None))).scalars().all()
    for schedule in schedules:
        _book(schedule)
    db.session.rollback()
    return len(schedules)


def scheduled_run_at(schedule: ReportSchedule) -> datetime | None:
    """When RQ will run the schedule's next job, or None if the registry does not have it (or Redis is away:
    the page then shows the schedule's own next run from the database)."""
    try:
        return ScheduledJobRegistry(queue=get_queue(REPORTS)).get_scheduled_time(schedule.job_id)
    except (NoSuchJobError, RedisError):
        return None


def do_run_schedule(schedule_id: uuid.UUID, booked_at: datetime) -> str:
    """One quarterly run: book the next quarter first (so a failing run cannot end the
    schedule), then request the report for the last complete quarter. Safe to repeat."""
    from .services import do_request_regional_report

    schedule = db.session.get(ReportSchedule, schedule_id)
    if schedule is None or schedule.cancelled_at is not None:
        return "schedule cancelled"
    now = datetime.now(UTC)
    # After this run's booked time even when it runs early (an operator moving it forward).
    next_run = _next_quarter_start(max(now, booked_at.astimezone(UTC)))
    schedule.next_run_at, schedule.job_id = next_run, schedule_job_id(schedule.region_code, next_run)
    db.session.commit()
    _book(schedule)
    region = db.session.get(Region, schedule.region_code)
    report, _created = do_request_regional_report(region, previous_quarter(now.astimezone(WARSAW).date()),
                                                  trigger=ReportTrigger.SCHEDULE)
    schedule.last_run_at, schedule.last_report_id = now, report.id
    db.session.commit()
    return f"report {report.id}; next run {next_run.isoformat()}"
