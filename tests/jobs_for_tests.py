"""Jobs that only the tests enqueue (the worker subprocess imports them from the repository root)."""
from regionet.workers.context import tenant_job


@tenant_job
def always_fails(report_id: str) -> None:
    raise RuntimeError("simulated failure while building the PDF")


@tenant_job
def import_always_fails(import_id: str, user_id: int | None = None) -> None:
    raise RuntimeError("simulated failure while importing")
def gate_key(report_id: str) -> str:
    from flask import current_app

    return f"{current_app.config.get('RQ_QUEUE_PREFIX', '')}test-gate:{report_id}"


def gated_regional_report(report_id: str) -> str:
    """The production regional-report job, held inside the PDF build while the test's gate key exists.

    The test sets the key (for one report, or "any") before the job starts, so it can kill
    the work horse (or watch the progress bar) at a known point mid-job, then delete the key.
    """
    import time

    from regionet.workers.jobs.regional_report import run_regional_report
    from regionet.workers.queues import redis_connection

    def hold(percent: int) -> None:
        if percent > 20:   # inside ReportLab's build, after the first chapter
            deadline = time.monotonic() + 120
            while redis_connection().exists(gate_key(report_id), gate_key("any")) and time.monotonic() < deadline:
                time.sleep(0.05)

    return run_regional_report(report_id, on_progress=hold)


def failing_regional_report(report_id: str) -> None:
    raise RuntimeError("simulated failure while building the regional report")


def own_key_ttl() -> int:
    """Returns the TTL of the running job's own key (RQ persists it when the job starts)."""
    from rq import get_current_job

    job = get_current_job()
    return job.connection.ttl(job.key)


def gated_participant_import(tenant_id: int, import_id: str, user_id: int | None = None) -> str:
    """The production import job, held at its first progress step while the test's gate key exists."""
    import time

    from regionet.tenants.imports import services
    from regionet.workers.jobs.participant_import import run_participant_import
    from regionet.workers.queues import redis_connection

    set_progress = services.do_set_progress

    def hold(batch, percent: int) -> None:
        set_progress(batch, percent)
        if percent < 10:
            return
        deadline = time.monotonic() + 120
        while redis_connection().exists(gate_key(import_id), gate_key("any")) and time.monotonic() < deadline:
            time.sleep(0.05)

    services.do_set_progress = hold
    return run_participant_import(tenant_id, import_id, user_id)
