from flask_babel import lazy_gettext as _l

from .models import ReportTrigger

TRIGGER_LABELS = {
    ReportTrigger.COORDINATOR: _l("requested by the coordinator"),
    ReportTrigger.SCHEDULE: _l("quarterly schedule"),
    ReportTrigger.OPERATOR: _l("operator's command"),
}
