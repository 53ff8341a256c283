"""Jobs that only the tests enqueue (the worker subprocess imports them from the repository root)."""
from regionet.workers.context import tenant_job


@tenant_job
def always_fails(report_id: str) -> None:
    raise RuntimeError("simulated failure while building the PDF")


@tenant_job
def import_always_fails(import_id: str, user_id: int | None = None) -> None:
    raise RuntimeError("simulated failure while importing")
