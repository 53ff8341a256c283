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

# What a page says when a worker's attempt failed. Why it failed (an exception's text) goes to the
# server's log and the row's *_detail column, which no page shows: the person is told what to do.
RETRYING_ADVICE = _l("The last attempt failed and another one starts automatically in a moment. "
                     "You can leave this page and come back later.")
FAILED_ADVICE = _l("It could not be prepared. Use “Try again”; if it fails again, tell the platform's "
                   "operator: the details of the error are in the server's log.")


def failure_advice(status: RunStatus) -> str | None:
    """The Polish message a page shows for a failed or retried job, else None."""
    if status is RunStatus.RETRYING:
        return str(RETRYING_ADVICE)
    if status is RunStatus.FAILED:
        return str(FAILED_ADVICE)
    return None
