from flask_babel import lazy_gettext as _l

from .models import ReportKind, ReportStatus

STATUS_LABELS = {
    ReportStatus.QUEUED: _l("Waiting in the queue"),
    ReportStatus.RUNNING: _l("Being generated"),
    ReportStatus.RETRYING: _l("Failed, will be retried"),
    ReportStatus.DONE: _l("Ready"),
    ReportStatus.FAILED: _l("Failed"),
}

KIND_LABELS = {
    ReportKind.INSTITUTION_SUMMARY: _l("Institution summary"),
    ReportKind.INSTITUTION_PROJECTS: _l("Projects and good practices"),
}
