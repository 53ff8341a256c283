"""The life of a report built by a worker, shared by the institutions' and the region's reports."""
import enum

from flask_babel import lazy_gettext as _l


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"   # an attempt failed (or its worker died); another one is scheduled
    DONE = "done"
    FAILED = "failed"       # out of attempts: shown with its reason and a retry button
    CANCELLED = "cancelled"  # the user gave up on it (waiting, stuck or failed); a late run changes nothing

    @property
    def is_finished(self) -> bool:
        return self in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)

    @property
    def can_cancel(self) -> bool:
        return self not in (RunStatus.DONE, RunStatus.CANCELLED)


RUN_STATUS_LABELS = {
    RunStatus.QUEUED: _l("Waiting in the queue"),
    RunStatus.RUNNING: _l("Being generated"),
    RunStatus.RETRYING: _l("Failed, will be retried"),
    RunStatus.DONE: _l("Ready"),
    RunStatus.FAILED: _l("Failed"),
    RunStatus.CANCELLED: _l("Cancelled"),
}
