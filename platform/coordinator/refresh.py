"""Keeping the coordinator's figures up to date.

Two steps, both run by RQ workers on the `default` queue:
1. an institution's facts (`refresh_tenant`): after any change to its participants,
   enrolments, support episodes or outcomes (tenants/figures/triggers.py), as that
   institution, under its row-level security;
2. the region's summary (`refresh_region`): every summarised period, counted across the
   region's institutions by the aggregate function (figures_api, migration 0008).

Requests are coalesced per institution and per region (workers/coalesce.py): the first
request queues one job FIGURES_REFRESH_DELAY seconds (default 5) ahead and later ones find
it waiting, so a burst of edits builds once and the queue holds at most one waiting job
per key; a change committed while a job runs queues the next run; runs of one key never
overlap (an advisory lock; a job finding it taken queues itself again). Both jobs are
idempotent and retried; a failure is recorded and shown on the dashboard.
"""
import logging
from datetime import UTC, datetime

from flask import current_app
from rq import Callback, Retry
from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql

from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import Region
from . import freshness
from .models import RegionFigureRun, RegionFigureStatus, ReportingPeriod
from .patterns import do_protect_region
from .periods import Period, calendar_periods

log = logging.getLogger(__name__)

TENANT_JOB = "regionet.workers.jobs.figures.refresh_tenant_figures"
REGION_JOB = "regionet.workers.jobs.figures.refresh_region_figures"
FAILURE_CALLBACK = "regionet.workers.jobs.figures.on_figures_failure"
RETRY = Retry(max=3, interval=[10, 30, 60])


# --- which periods ---------------------------------------------------------------------

def reporting_periods(region_code: str) -> list[Period]:
    rows = db.session.execute(select(ReportingPeriod).where(ReportingPeriod.region_code == region_code)
                              .order_by(ReportingPeriod.start_date)).scalars()
    return [Period(r.period_key, r.start_date, r.end_date, "reporting", r.name) for r in rows]


def summary_periods(region_code: str) -> list[Period]:
    """Every period the region's figures are kept for."""
    return calendar_periods() + reporting_periods(region_code)


# --- step 1: an institution -----------------------------------------------------------

def do_refresh_tenant(tenant_id: int) -> int:
    """Rebuild the current institution's facts (runs in its tenant scope); returns rows written."""
    from regionet.tenants.figures.facts import do_refresh_facts
    from regionet.tenants.periods.queries import frozen_period_keys

    institution = db.session.get(Institution, tenant_id)
    _allow_batch_statements()
    written = do_refresh_facts(summary_periods(institution.region_code), frozen_period_keys())
    db.session.commit()
    return written


# --- step 2: the region ------------------------------------------------------------------

def do_refresh_region(region_code: str) -> int:
    """Recount every summarised period of the region; returns the rows written.

    The job runs this under the region's run lock (one run per region at a time); a request
    arriving meanwhile has queued the next run, which will see it.
    """
    _mark_run(region_code, started=True)
    db.session.commit()
    written = _recount_region(region_code)
    _mark_run(region_code, finished=True)
    db.session.commit()
    return written


def _recount_region(region_code: str) -> int:
    region = db.session.get(Region, region_code)
    periods = summary_periods(region_code)
    written = 0
    for period in periods:
        _allow_batch_statements()   # each period is its own transaction
        stamp = freshness.figures_stamp(region, freshness.region_states(region_code, period.key))
        written += _recount_period(region_code, period)
        _record_status(region, period.key, stamp)
        db.session.commit()
    _prune(region_code, [p.key for p in periods])
    db.session.commit()
    protect_seconds = do_protect_region(region, periods)
    log.info("region %s: linked protection of %d periods in %.1f s", region_code, len(periods), protect_seconds)
    return written


def _allow_batch_statements() -> None:
    """Give the current transaction the recount's statement timeout, not the pages' one.

    A page's statement taking 30 s is a fault; one period of a region of 150 institutions
    and 300,000 participants is a statement of tens of seconds on a busy server.
    """
    db.session.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                       {"ms": str(int(current_app.config.get("FIGURES_STATEMENT_TIMEOUT_MS", 900_000)))})


def _recount_period(region_code: str, period: Period) -> int:
    written = sum(_refresh_period(region_code, period.key, scope)
                  for scope in (("all", "accepted") if period.is_reporting else ("all",)))
    return written + _refresh_network(region_code, period)


def _refresh_network(region_code: str, period: Period) -> int:
    """The network's figures of the period (referrals, working groups: migration 0023n), beside the
    others in region_figures (all data: submissions do not cover them), protected in the same set."""
    return db.session.execute(text("SELECT figures_api.refresh_region_network(:region, :period, :start, :end)"),
                              {"region": region_code, "period": period.key, "start": period.start,
                               "end": period.end}).scalar_one()


def _refresh_period(region_code: str, period_key: str, scope: str) -> int:
    return db.session.execute(text("SELECT figures_api.refresh_region_period(:region, :period, :scope)"),
                              {"region": region_code, "period": period_key, "scope": scope}).scalar_one()


def _prune(region_code: str, keep: list[str]) -> None:
    db.session.execute(text("SELECT figures_api.prune_region(:region, :keep)"), {"region": region_code, "keep": keep})
    db.session.execute(delete(RegionFigureStatus).where(RegionFigureStatus.region_code == region_code,
                                                        RegionFigureStatus.period_key.not_in(keep)))


def _upsert(model, values: dict, keys: list[str]) -> None:
    statement = postgresql.insert(model).values(**values)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}))


def _record_status(region: Region, period_key: str, stamp: str | None) -> None:
    """`stamp`: what the figures were counted from, taken before counting (freshness.py)."""
    _upsert(RegionFigureStatus, {
        "region_code": region.teryt_code, "period_key": period_key, "refreshed_at": datetime.now(UTC),
        "suppression_threshold": region.suppression_threshold, "sensitive_threshold": region.sensitive_threshold,
        "facts_stamp": stamp,
    }, ["region_code", "period_key"])


def _mark_run(region_code: str, requested=False, started=False, finished=False,
              failure: str | None = None) -> datetime:
    now = datetime.now(UTC)
    values = {"region_code": region_code}
    if requested:
        values["requested_at"] = now
    if started:
        values.update(started_at=now, failure_detail=None)
    if finished:
        values["finished_at"] = now
    if failure is not None:
        values.update(failed_at=now, failure_detail=failure[:2000])
    _upsert(RegionFigureRun, values, ["region_code"])
    return now


def do_record_failure(region_code: str, reason: str) -> None:
    _mark_run(region_code, failure=reason)
    db.session.commit()


def do_refresh_period_now(region_code: str, period: Period) -> int:
    """Bring one period's figures up to date now, without the workers; returns how many
    institutions' facts had to be rebuilt.

    A report is built from this period's figures: they must reflect the records as they
    are when its data is taken, whether or not the asynchronous refresh has caught up
    (a queue outage, a worker down, a change made a second ago). Only what changed is
    redone (freshness.py): the facts of institutions whose records moved on since their
    facts were built (unless frozen by a submission), then the region's counts, unless
    they were counted from exactly the facts there are now.
    """
    from regionet.tenants.figures.facts import do_rewrite_period
    from regionet.tenants.periods.queries import frozen_period_keys

    from ..tenancy import tenant_scope

    region = db.session.get(Region, region_code)
    states = freshness.region_states(region_code, period.key)
    rebuild = freshness.institutions_to_rebuild(states)
    for tenant_id in rebuild:
        with tenant_scope(tenant_id):
            _allow_batch_statements()
            if period.key not in frozen_period_keys():
                do_rewrite_period(period)
            db.session.commit()
    if rebuild:
        states = freshness.region_states(region_code, period.key)
    stamp = freshness.figures_stamp(region, states)
    status = db.session.get(RegionFigureStatus, (region_code, period.key))
    if status is not None and status.facts_stamp == stamp:
        return len(rebuild)
    _allow_batch_statements()
    _recount_period(region_code, period)
    _record_status(region, period.key, stamp)
    db.session.commit()
    do_protect_region(region, [period])
    return len(rebuild)


# --- scheduling -------------------------------------------------------------------------

def tenant_key(tenant_id: int) -> str:
    return f"figures-t{tenant_id}"


def region_key(region_code: str) -> str:
    return f"figures-r{region_code}"


BUSY_DELAY = 2.0   # seconds before a run that found another one in progress tries again


def _schedule(key: str, job: str, *args, later: bool = False) -> None:
    """Queue `job` for `key` after the coalescing delay, unless a run is already waiting (workers/coalesce.py)."""
    from regionet.workers import coalesce
    from regionet.workers.queues import DEFAULT

    delay = float(current_app.config.get("FIGURES_REFRESH_DELAY", 5))
    delay = max(delay, BUSY_DELAY) if later else delay
    # A failed job is kept briefly (the reason is kept in region_figure_runs and shown on the dashboard).
    coalesce.request(key, DEFAULT, job, *args, delay=max(0.0, delay), retry=RETRY, result_ttl=0, failure_ttl=300,
                     job_timeout=1800, on_failure=Callback(FAILURE_CALLBACK))


def request_tenant_refresh(tenant_id: int, later: bool = False) -> None:
    """Ask for the institution's facts (and then the region's figures) to be rebuilt.

    Never raises: a queue outage must not undo the user's saved work; the figures then
    catch up at the next change or when the coordinator asks for a refresh.
    """
    try:
        _schedule(tenant_key(tenant_id), TENANT_JOB, tenant_id, later=later)
    except Exception:
        log.exception("could not schedule a figures refresh for institution %s", tenant_id)


def request_region_refresh(region_code: str, later: bool = False) -> None:
    _mark_run(region_code, requested=True)
    db.session.commit()
    try:
        _schedule(region_key(region_code), REGION_JOB, region_code, later=later)
    except Exception:
        log.exception("could not schedule a figures refresh for region %s", region_code)


def request_full_refresh(region_code: str) -> None:
    """Every institution of the region, then the region (the coordinator's "refresh now")."""
    ids = db.session.execute(select(Institution.id).where(Institution.region_code == region_code,
                                                          Institution.is_active.is_(True))).scalars().all()
    for tenant_id in ids:
        request_tenant_refresh(tenant_id)
    request_region_refresh(region_code)
