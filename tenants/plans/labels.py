"""Labels of plan kinds and results (one map each)."""
from flask_babel import lazy_gettext as _l

from .models import PlanKind, PlanResult

PLAN_KIND_LABELS = {
    PlanKind.SOCIAL_CONTRACT: _l("Social contract"),
    PlanKind.IPD: _l("Individual action plan (IPD)"),
    PlanKind.IPZS: _l("Individual social-employment programme (IPZS)"),
}
PLAN_RESULT_LABELS = {
    PlanResult.ACHIEVED: _l("Goals achieved"),
    PlanResult.PARTLY_ACHIEVED: _l("Goals partly achieved"),
    PlanResult.NOT_ACHIEVED: _l("Goals not achieved"),
    PlanResult.BROKEN_OFF: _l("Broken off before its end"),
}
PLAN_FIELD_LABELS = {
    "kind": _l("Type of plan"), "number": _l("Number"), "enrolment_id": _l("Project"),
    "case_worker_id": _l("Case worker"), "other_parties": _l("Other parties"), "start_date": _l("Start date"),
    "planned_end_date": _l("Planned end"), "goals": _l("Goals"),
    "institution_obligations": _l("Obligations of the institution"),
    "participant_obligations": _l("Obligations of the person"), "version": _l("Version"),
    "ended_on": _l("Ended on"), "result": _l("Result"), "result_note": _l("About the result"),
    "signed_scan_id": _l("Signed scan"), "participant_id": _l("Participant"),
    "description": _l("Step"), "owner": _l("Who does it"), "due_on": _l("Due"), "done_on": _l("Done on"),
    "held_on": _l("Held on"), "notes": _l("Notes"), "plan_id": _l("Plan"),
}
