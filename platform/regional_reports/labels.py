from flask_babel import lazy_gettext as _l

from .models import ReportTrigger, RunStatus

RUN_STATUS_LABELS = {
    RunStatus.QUEUED: _l("Waiting in the queue"),
    RunStatus.RUNNING: _l("Being generated"),
    RunStatus.RETRYING: _l("Failed, will be retried"),
    RunStatus.DONE: _l("Ready"),
    RunStatus.FAILED: _l("Failed"),
}

TRIGGER_LABELS = {
    ReportTrigger.COORDINATOR: _l("requested by the coordinator"),
    ReportTrigger.SCHEDULE: _l("quarterly schedule"),
    ReportTrigger.OPERATOR: _l("operator's command"),
}
