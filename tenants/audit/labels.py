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
