"""Jobs: the daily retention run and each institution's part of it."""
from datetime import datetime

from regionet.platform.extensions import db

from ..context import drop_inherited_connections, tenant_job, worker_app


def run_retention_day(booked_at: str) -> str:
    from regionet.tenants.privacy.schedule import run_day

    with worker_app().app_context():
        drop_inherited_connections()
        try:
            tenants = run_day(datetime.fromisoformat(booked_at))
        finally:
            db.session.remove()
    return f"queued {len(tenants)} institutions"


@tenant_job
def apply_retention() -> str:
    from regionet.tenants.privacy.services import do_apply_retention

    run = do_apply_retention()
    return f"listed {run.listed}, anonymised {run.anonymised}"
