"""Pages of group sessions: a project's list, the session form with its attendance, the session."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from regionet.platform.tenancy.web import TenantBlueprint, require_writer
from regionet.platform.ui.formatting import format_day, today_in_poland
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.projects.queries import access_project
from regionet.tenants.support.models import Instrument

from . import services
from .forms import GroupSessionForm
from .queries import (
    FULL_LIST_LIMIT,
    access_group_session,
    attendance_of,
    enrolment_count_for_project,
    enrolments_for_attendance,
    enrolments_matching,
    marked_enrolments,
    sessions_for_project,
)

bp = TenantBlueprint("tenant_group_sessions", __name__, template_folder="templates")

FIELD_LABELS = {"instrument": _l("Form of support"), "held_on": _l("Date of the session"),
                "hours": _l("Duration in hours"), "topic": _l("Topic"), "place": _l("Place"),
                "instructor": _l("Instructor"), "project_id": _l("Project")}


def _values(form: GroupSessionForm) -> services.SessionValues:
    return services.SessionValues(instrument=Instrument(form.instrument.data), held_on=form.held_on.data, hours=form.hours.data,
                                  topic=form.topic.data or "", place=form.place.data,
                                  instructor=form.instructor.data)


def _form_page(form, project, session, save, message):
    # "Find" is the form's first button, so Enter in any field presses it: with nothing to find
    # it saves, as the form's own button would.
    finding = request.method == "POST" and request.form.get("action") == "find" and bool(
        (request.form.get("find") or "").strip())
    if not finding and form.validate_on_submit():
        try:
            saved = save(_values(form), form.attendees.data or [], today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(message, "success")
            return redirect(url_for(".detail", group_session_id=saved.id))
    marked = form.attendees.data or []
    find = (request.values.get("find") or "").strip()[:100] if finding or request.method == "GET" else ""
    everyone = enrolment_count_for_project(project.id) <= FULL_LIST_LIMIT
    if everyone:
        rows, found = enrolments_for_attendance(project.id), None
    else:   # the people marked, then those the search found (the type-ahead adds them without a reload)
        rows = marked_enrolments(project.id, marked)
        found = [r for r in enrolments_matching(project.id, find) if str(r.id) not in set(marked)] if find else None
        rows += found or []
    status = 422 if form.is_submitted() and form.errors else 200
    return render_recorded_view(
        "group_sessions/form.html", "group_session_form", project.id, detail=project.code, form=form,
        project=project, session=session, enrolments=rows, everyone=everyone, find=find, found=found,
        marked=set(marked)), status


@bp.route("/projects/<uuid:project_id>/sessions/attendees")
@require_writer
def find_attendees(project_id):
    """The attendance type-ahead's answer: the project's enrolments whose person matches what was
    typed (name or PESEL, Polish letters not needed), at most FIND_LIMIT, as id and a line."""
    project = access_project(project_id)
    q = (request.args.get("q") or "").strip()[:100]
    rows = enrolments_matching(project.id, q)
    if q:
        record_access(AccessAction.VIEW, "participant_search", project.id,
                      detail=_("Search for an attendee: %(q)s", q=q))
    return jsonify(results=[{"value": str(r.id), "text": attendee_label(r)} for r in rows])


def attendee_label(row) -> str:
    return _("%(name)s · in the project %(start)s – %(end)s", name=f"{row.last_name} {row.first_name}",
             start=format_day(row.entry_date), end=format_day(row.exit_date) if row.exit_date else _("now"))


@bp.route("/projects/<uuid:project_id>/sessions")
def index(project_id):
    project = access_project(project_id)
    return render_template("group_sessions/index.html", project=project, sessions=sessions_for_project(project.id))


@bp.route("/projects/<uuid:project_id>/sessions/new", methods=["GET", "POST"])
@require_writer
def create(project_id):
    project = access_project(project_id)
    form = GroupSessionForm()
    return _form_page(form, project, None, lambda *args: services.do_record_session(project, *args),
                      _("The session and its attendance have been recorded."))


@bp.route("/group-sessions/<uuid:group_session_id>")
def detail(group_session_id):
    session = access_group_session(group_session_id)
    return render_recorded_view("group_sessions/detail.html", "group_session", session.id,
                                detail=f"{session.project.code} {session.held_on.isoformat()}", session=session,
                                project=session.project, attendance=attendance_of(session),
                                history=history_for(session), field_labels=FIELD_LABELS, delete_form=FlaskForm())


@bp.route("/group-sessions/<uuid:group_session_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(group_session_id):
    session = access_group_session(group_session_id)
    form = GroupSessionForm(obj=session if request.method == "GET" else None)
    if request.method == "GET":
        form.instrument.data = session.instrument.value
        form.attendees.data = [str(a.enrolment_id) for a in session.attendance]
    return _form_page(form, session.project, session, lambda *args: services.do_update_session(session, *args),
                      _("The changes have been saved; the attendees' support follows them."))


@bp.route("/group-sessions/<uuid:group_session_id>/delete", methods=["POST"])
@require_writer
def delete(group_session_id):
    session = access_group_session(group_session_id)
    project_id = session.project_id
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".detail", group_session_id=session.id))
    services.do_delete_session(session)
    flash(_("The session and its attendees' support have been deleted."), "success")
    return redirect(url_for(".index", project_id=project_id))
