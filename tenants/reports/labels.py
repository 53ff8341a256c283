from flask_babel import lazy_gettext as _l

from .models import ReportKind

KIND_LABELS = {
    ReportKind.INSTITUTION_SUMMARY: _l("Institution summary"),
    ReportKind.INSTITUTION_PROJECTS: _l("Projects and good practices"),
}
