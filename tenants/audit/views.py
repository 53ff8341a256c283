"""The institution administrator's view of who looked at or exported personal data."""
from flask import render_template

from regionet.platform.tenancy.web import TenantBlueprint, open_to_privacy_officer, require_privacy_officer
from regionet.platform.ui.listing import ListQuery

from .labels import ACCESS_ACTION_LABELS, SUBJECT_LABELS
from .queries import ACCESS_SORTABLE, access_records_for_tenant
from .trail import record_unrecorded

bp = TenantBlueprint("tenant_audit", __name__, url_prefix="/audit", template_folder="templates")
bp.after_app_request(record_unrecorded)   # the trail has no gaps (trail.py)


@bp.route("/access")
@open_to_privacy_officer
@require_privacy_officer
def access_trail():
    listing = ListQuery.from_request(ACCESS_SORTABLE, "at", filters=("action",), default_descending=True)
    return render_template("audit/access_trail.html", page=access_records_for_tenant(listing), listing=listing,
                           action_labels=ACCESS_ACTION_LABELS, subject_labels=SUBJECT_LABELS)
