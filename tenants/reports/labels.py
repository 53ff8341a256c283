from flask_babel import lazy_gettext as _l

from .models import ReportStatus

STATUS_LABELS = {
    ReportStatus.QUEUED: _l("Waiting in the queue"),
    ReportStatus.RUNNING: _l("Being generated"),
    ReportStatus.RETRYING: _l("Failed, will be retried"),
    ReportStatus.DONE: _l("Ready"),
    ReportStatus.FAILED: _l("Failed"),
}
