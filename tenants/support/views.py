"""Pages of enrolments, support episodes and outcomes. Thin: reads from queries, writes through services.

The list, export, detail and edit pages that the record kinds share are declared in
record_pages.py; this module declares the kinds and keeps the enrolment's own pages.
"""
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from regionet.platform.tenancy.web import TenantBlueprint, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.labels import LabelMap
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.participants.labels import LABOUR_STATUS_LABELS
from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.participants.queries import access_participant
from regionet.tenants.projects.queries import access_project

from . import services
from .exporting import enrolment_rows, episode_rows, outcome_rows
from .forms import EnrolmentEditForm, EnrolmentForm, EpisodeForm, OutcomeForm, PersonEnrolmentForm
from .labels import (
    ENROLMENT_FIELD_LABELS,
    EPISODE_FIELD_LABELS,
    EXIT_REASON_LABELS,
    EXIT_SITUATION_LABELS,
    INSTRUMENT_LABELS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_LABELS,
)
from .models import ExitReason, ExitSituation, Instrument, OutcomeKind
from .queries import (
    ENROLMENT_FILTERS,
    ENROLMENT_SORTABLE,
    EPISODE_FILTERS,
    EPISODE_SORTABLE,
    OUTCOME_FILTERS,
    OUTCOME_SORTABLE,
    access_enrolment,
    access_episode,
    access_outcome,
    all_enrolments_for_project,
    all_episodes_for_project,
    all_outcomes_for_project,
    enrolled_participant_ids_for_project,
    enrolments_for_project,
    episodes_for_project,
    outcomes_for_project,
    participant_for_tenant,
    projects_open_to,
    search_participants_for_tenant,
)
from .record_pages import EnrolmentRecord, RecordList, add_list_routes, add_record_routes

bp = TenantBlueprint("tenant_support", __name__, template_folder="templates")


# Translated once per language (every page's context has them; lists print many).
TEMPLATE_LABELS = {"instrument_labels": LabelMap(INSTRUMENT_LABELS), "outcome_labels": LabelMap(OUTCOME_LABELS),
                   "exit_situation_labels": LabelMap(EXIT_SITUATION_LABELS),
                   "exit_reason_labels": LabelMap(EXIT_REASON_LABELS),
                   "labour_status_labels": LabelMap(LABOUR_STATUS_LABELS)}


@bp.app_context_processor
def support_labels():
    return TEMPLATE_LABELS


def _member(enum_class, value):
    return enum_class(value) if value in {m.value for m in enum_class} else None


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


add_list_routes(bp, RecordList(
    name="enrolments", audit_kind="enrolment_list", file_stem="uczestnicy",
    listing=lambda: ListQuery.from_request(ENROLMENT_SORTABLE, "name", filters=ENROLMENT_FILTERS),
    page_of=lambda project, listing: enrolments_for_project(project.id, listing, today_in_poland()),
    all_of=lambda project, listing: all_enrolments_for_project(project.id, listing, today_in_poland()),
    sheet=enrolment_rows,
    page_detail=lambda project, listing: _("Participants of %(project)s, page %(page)s", project=project.code,
                                           page=listing.page),
    export_detail=lambda project, rows, fmt: _("Participants of %(project)s: %(n)s rows, %(fmt)s",
                                               project=project.code, n=len(rows), fmt=fmt.upper())))

add_list_routes(bp, RecordList(
    name="episodes", audit_kind="episode_list", file_stem="wsparcie",
    listing=lambda: ListQuery.from_request(EPISODE_SORTABLE, "start", filters=EPISODE_FILTERS,
                                           default_descending=True),
    page_of=lambda project, listing: episodes_for_project(project.id, listing),
    all_of=lambda project, listing: all_episodes_for_project(project.id, listing),
    sheet=episode_rows,
    page_detail=lambda project, listing: _("Support in %(project)s, page %(page)s", project=project.code,
                                           page=listing.page),
    export_detail=lambda project, rows, fmt: _("Support in %(project)s: %(n)s rows, %(fmt)s", project=project.code,
                                               n=len(rows), fmt=fmt.upper())))

add_list_routes(bp, RecordList(
    name="outcomes", audit_kind="outcome_list", file_stem="rezultaty",
    listing=lambda: ListQuery.from_request(OUTCOME_SORTABLE, "date", filters=OUTCOME_FILTERS,
                                           default_descending=True),
    page_of=lambda project, listing: outcomes_for_project(project.id, listing),
    all_of=lambda project, listing: all_outcomes_for_project(project.id, listing),
    sheet=outcome_rows,
    page_detail=lambda project, listing: _("Outcomes in %(project)s, page %(page)s", project=project.code,
                                           page=listing.page),
    export_detail=lambda project, rows, fmt: _("Outcomes in %(project)s: %(n)s rows, %(fmt)s", project=project.code,
                                               n=len(rows), fmt=fmt.upper())))

add_record_routes(bp, EnrolmentRecord(
    name="episode", audit_kind="support_episode", access=access_episode, form_class=EpisodeForm,
    choice_field="instrument",
    form_values=lambda form: (Instrument(form.instrument.data), form.start_date.data, form.end_date.data,
                              form.hours.data, form.notes.data),
    do_add=services.do_add_episode, do_update=services.do_update_episode, do_delete=services.do_delete_episode,
    field_labels=EPISODE_FIELD_LABELS, recorded_message=lambda: _("The support has been recorded."),
    saved_message=lambda: _("The changes have been saved."),
    deleted_message=lambda: _("The support has been deleted.")), access_enrolment)

add_record_routes(bp, EnrolmentRecord(
    name="outcome", audit_kind="outcome", access=access_outcome, form_class=OutcomeForm, choice_field="kind",
    form_values=lambda form: (OutcomeKind(form.kind.data), form.achieved_on.data, form.evidence.data),
    do_add=services.do_add_outcome, do_update=services.do_update_outcome, do_delete=services.do_delete_outcome,
    field_labels=OUTCOME_FIELD_LABELS, recorded_message=lambda: _("The outcome has been recorded."),
    saved_message=lambda: _("The changes have been saved."),
    deleted_message=lambda: _("The outcome has been deleted.")), access_enrolment)


@bp.route("/participants/<uuid:participant_id>/enrol", methods=["GET", "POST"])
@require_writer
def enrol_person(participant_id):
    """Enrolling from the person's card: the same rules as from the project's page."""
    participant = access_participant(participant_id)
    form = PersonEnrolmentForm()
    form.project_id.choices = [("", _("— choose —"))] + [
        (str(p.id), f"{p.title} ({p.code})") for p in projects_open_to(participant.id)]
    if form.validate_on_submit():
        project = access_project(_uuid(form.project_id.data)) if _uuid(form.project_id.data) else None
        try:
            if project is None:
                raise ValidationFailed.single("project_id", _("Choose the project."))
            services.do_enrol(
                project, participant.id, form.entry_date.data, form.exit_date.data,
                LabourStatus(form.status_at_entry.data) if form.status_at_entry.data else None, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("%(name)s has been enrolled in the project.", name=participant.full_name), "success")
            return redirect(url_for("tenant_participants.detail", participant_id=participant.id))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("support/enrol_person.html", participant=participant, form=form), status


# --- the enrolment's own pages ---------------------------------------------------------------------------

@bp.route("/projects/<uuid:project_id>/enrol", methods=["GET", "POST"])
@require_writer
def enrol(project_id):
    project = access_project(project_id)
    form = EnrolmentForm()
    q = (request.values.get("q") or "").strip()[:100]
    if q:
        # Recorded before the search: the commit would otherwise expire the people the page lists.
        record_access(AccessAction.VIEW, "participant_search", project.id,
                      detail=_("Search for a participant to enrol: %(q)s", q=q))
    candidates = search_participants_for_tenant(q)
    chosen = participant_for_tenant(_uuid(form.participant_id.data)) if form.participant_id.data else None
    if chosen is not None and chosen.id not in {c.id for c in candidates}:
        candidates.insert(0, chosen)  # keep the user's choice visible when the form comes back with errors
    form.participant_id.choices = [(str(c.id), c.full_name) for c in candidates]
    if form.validate_on_submit():
        try:
            enrolment = services.do_enrol(
                project, _uuid(form.participant_id.data), form.entry_date.data, form.exit_date.data,
                LabourStatus(form.status_at_entry.data) if form.status_at_entry.data else None, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("%(name)s has been enrolled in the project.", name=enrolment.participant.full_name), "success")
            return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    enrolled = enrolled_participant_ids_for_project(project.id, [c.id for c in candidates])
    return render_template("support/enrol.html", project=project, form=form, q=q, candidates=candidates,
                           enrolled=enrolled)


@bp.route("/enrolments/<uuid:enrolment_id>")
def enrolment(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    return render_recorded_view("support/enrolment.html", "enrolment", enrolment.id,
                                detail=enrolment.participant.full_name, enrolment=enrolment,
                                project=enrolment.project, history=history_for(enrolment),
                                field_labels=ENROLMENT_FIELD_LABELS, delete_form=FlaskForm())


@bp.route("/enrolments/<uuid:enrolment_id>/edit", methods=["GET", "POST"])
@require_writer
def edit_enrolment(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    form = EnrolmentEditForm(obj=enrolment if request.method == "GET" else None)
    if request.method == "GET":
        form.status_at_entry.data = enrolment.status_at_entry.value
        form.exit_situation.data = enrolment.exit_situation.value if enrolment.exit_situation else ""
        form.exit_reason.data = enrolment.exit_reason.value if enrolment.exit_reason else ""
    if form.validate_on_submit():
        try:
            services.do_update_enrolment(
                enrolment, form.entry_date.data, form.exit_date.data, LabourStatus(form.status_at_entry.data),
                today_in_poland(), _member(ExitSituation, form.exit_situation.data),
                _member(ExitReason, form.exit_reason.data))
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    return render_template("support/enrolment_form.html", enrolment=enrolment, project=enrolment.project, form=form)


@bp.route("/enrolments/<uuid:enrolment_id>/delete", methods=["POST"])
@require_writer
def delete_enrolment(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    project_id = enrolment.project_id
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    try:
        services.do_delete_enrolment(enrolment)
    except ValidationFailed as failure:
        flash(" ".join(failure.errors["enrolment"]), "error")
        return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    flash(_("The enrolment has been deleted."), "success")
    return redirect(url_for(".enrolments", project_id=project_id))


from . import bulk_views  # noqa: E402, F401  (the bulk actions' routes on this blueprint)
