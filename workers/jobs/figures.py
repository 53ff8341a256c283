"""Jobs: rebuild an institution's figure facts (and its catalogue entries' figures), then the region's figures summary.

Both are idempotent (they rewrite what they own from the records), so RQ's retries and
duplicate deliveries are harmless. A failure is logged with its traceback and recorded on the
region's refresh status; the coordinator's page says that it failed and what to do, never why.
A job out of attempts because PostgreSQL is away cannot record that either: it is asked for again.
"""
import logging

from regionet.platform.coordinator import refresh
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.practices.entry_figures import do_refresh_catalogue_figures_for_tenant
from regionet.platform.tenancy import current_tenant_id

from .. import coalesce
from ..context import (
    drop_inherited_connections,
    log_job_failure,
    outage,
    tenant_job,
    unless_unavailable,
    will_retry,
    worker_app,
)

log = logging.getLogger(__name__)

@tenant_job
def refresh_tenant_figures() -> str:
    """The institution's records changed: its facts, its catalogue entries' figures, then the region."""
    tenant_id = current_tenant_id()

    def work() -> str:
        written = refresh.do_refresh_tenant(tenant_id)
        entries = do_refresh_catalogue_figures_for_tenant()
        db.session.commit()
        refresh.request_region_refresh(db.session.get(Institution, tenant_id).region_code)
        return f"{written} participation rows, {entries} catalogue entries"

    return coalesce.run_coalesced(refresh.tenant_key(tenant_id), work,
                                  lambda: refresh.request_tenant_refresh(tenant_id, later=True))


def refresh_region_figures(region_code: str) -> str:
    app = worker_app()
    with app.app_context():
        drop_inherited_connections()
        try:
            return coalesce.run_coalesced(refresh.region_key(region_code),
                                          lambda: f"{refresh.do_refresh_region(region_code)} figures",
                                          lambda: refresh.request_region_refresh(region_code, later=True))
        finally:
            db.session.remove()


def on_figures_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Record why the region's figures could not be brought up to date (after each failed attempt)."""
    reason = log_job_failure(job, exc_type, exc_value, tb)
    app = worker_app()
    if outage(exc_value) == "PostgreSQL" and not will_retry(job):
        # Out of attempts while the database is away, which also keeps the failure from being recorded: ask
        # for the run again rather than leave the figures stale unseen. It runs once the database is back.
        with app.app_context():
            _ask_again(job)
        return
    with app.app_context(), unless_unavailable(f"the failure of job {job.id}"):
        try:
            if job.func_name.endswith("refresh_region_figures"):
                region_code = job.args[0]
            else:
                region_code = db.session.get(Institution, int(job.args[0])).region_code
            refresh.do_record_failure(region_code, reason)
        finally:
            db.session.remove()


def _ask_again(job) -> None:
    region = job.func_name.endswith("refresh_region_figures")
    key = refresh.region_key(job.args[0]) if region else refresh.tenant_key(int(job.args[0]))
    coalesce.release(key, job.id)
    refresh._schedule(key, refresh.REGION_JOB if region else refresh.TENANT_JOB, *job.args, later=True)
    log.warning("job %s: asked again for later, the database being unavailable", job.id)
