"""The access trail has no gaps: one mechanism records every response that shows a person's data.

Pages need not remember to record: while a request runs, every ORM SELECT that reads a person's
records (`PERSON_TABLES`: participants, their enrolments, support, outcomes, consents, requests,
attendance) marks the request, and every participant loaded is
noted. After the view, a successful response of a marked request that wrote no trail entry of its
own gets one: a download or export (a file) as such, anything else as a view; its subject is the
one person it loaded, if one. An import's page records itself when it prints an error report
(the status of an import, polled every second, shows no one). Views that record with a richer detail (`record_access`,
`render_recorded_view`) are left as they are. `tests/test_access_trail_crawl.py` asks every route
of a seeded institution and fails on a response with a PESEL or surname and no new entry.
"""
from flask import current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.participants.models import Participant

_READ = "trail_person_read"
_LOADED = "trail_people_loaded"
_RECORDED = "trail_recorded"
PERSON_TABLES = frozenset({"participants", "enrolments", "support_episodes", "outcomes", "consents",
                           "subject_requests", "group_session_attendance", "individual_plans", "plan_steps",
                           "plan_reviews", "plan_amendments", "plan_records"})
# Responses that show nothing of what was read: redirects, refusals, not found.
_UNSHOWN = frozenset({301, 302, 303, 304, 307, 308, 401, 403, 404, 405})


def aggregates_only(view):
    """Declare that a view reads people only to count them (a project's indicators): it writes no
    entry. The crawl test fails if such a view ever shows a PESEL or surname."""
    view.shows_no_person = True
    return view


def mark_recorded() -> None:
    """The request wrote its own trail entry (record_access)."""
    if has_request_context():
        setattr(g, _RECORDED, True)


@event.listens_for(Session, "do_orm_execute")
def _note_person_read(state) -> None:
    if not has_request_context() or not state.is_select or getattr(g, _READ, False):
        return
    if any(mapper.local_table.name in PERSON_TABLES for mapper in state.all_mappers
           if getattr(mapper, "local_table", None) is not None):
        setattr(g, _READ, True)


@event.listens_for(Participant, "load")
def _note_loaded(participant, _context) -> None:
    if has_request_context():
        loaded = g.setdefault(_LOADED, set())
        if len(loaded) < 2:   # one person is the subject; more are "several"
            loaded.add(participant.id)


def record_unrecorded(response):
    """after_request: the entry a page showing a person's data did not write itself."""
    if (not getattr(g, _READ, False) or getattr(g, _RECORDED, False) or current_tenant_id() is None
            or response.status_code in _UNSHOWN or response.status_code >= 500):
        return response
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "shows_no_person", False):
        return response
    from .models import AccessAction
    from .recording import record_access

    loaded = g.get(_LOADED, set())
    disposition = response.headers.get("Content-Disposition", "")
    action = AccessAction.EXPORT if "attachment" in disposition else AccessAction.VIEW
    subject = next(iter(loaded)) if len(loaded) == 1 else None
    endpoint = request.endpoint or "?"
    record_access(action, endpoint.rpartition(".")[2] if subject is None else "participant", subject,
                  detail=f"{request.method} {request.path}")
    return response
