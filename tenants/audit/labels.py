from flask_babel import lazy_gettext as _l

from .models import AccessAction, ChangeAction

ACCESS_ACTION_LABELS = {
    AccessAction.VIEW: _l("Viewed"),
    AccessAction.EXPORT: _l("Exported"),
    AccessAction.IMPORT: _l("Imported"),
    AccessAction.DOWNLOAD: _l("Downloaded"),
}

CHANGE_ACTION_LABELS = {
    ChangeAction.CREATE: _l("Created"),
    ChangeAction.UPDATE: _l("Changed"),
    ChangeAction.DELETE: _l("Deleted"),
}

# What an access-trail entry concerns (record_access's subject_type); unknown types show as stored.
SUBJECT_LABELS = {
    "participant": _l("Participant"),
    "participant_list": _l("Participant list"),
    "participant_import": _l("Participant import"),
    "participant_import_errors": _l("Import error report"),
}
