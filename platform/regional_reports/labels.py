from flask_babel import lazy_gettext as _l

from .models import ReportTrigger

TRIGGER_LABELS = {
    ReportTrigger.COORDINATOR: _l("requested by the coordinator"),
    ReportTrigger.SCHEDULE: _l("quarterly schedule"),
    ReportTrigger.OPERATOR: _l("operator's command"),
    ReportTrigger.WITHDRAWAL: _l("built again after a photo consent was withdrawn"),
}

WITHDRAWAL_REASONS = {
    "photo_consent_withdrawn": _l("The report showed a photo of a person who withdrew their consent to it "
                                  "(or was erased); it has been withdrawn and is built again without the photo."),
}
