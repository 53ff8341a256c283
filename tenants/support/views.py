"""Pages of enrolments, support episodes and outcomes. Thin: reads from queries, writes through services."""
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from regionet.platform.exports import spreadsheet_response
from regionet.platform.tenancy.web import TenantBlueprint, require_writer
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access
from regionet.tenants.participants.labels import LABOUR_STATUS_LABELS
from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.projects.queries import access_project

from . import services
from .exporting import enrolment_rows, episode_rows, outcome_rows
from .forms import EnrolmentEditForm, EnrolmentForm, EpisodeForm, OutcomeForm
from .labels import (
    ENROLMENT_FIELD_LABELS,
    EPISODE_FIELD_LABELS,
    INSTRUMENT_LABELS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_LABELS,
)
from .models import Instrument, OutcomeKind
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
    search_participants_for_tenant,
)
from .rules import local_today

bp = TenantBlueprint("tenant_support", __name__, template_folder="templates")


@bp.app_context_processor
def support_labels():
    return {"instrument_labels": INSTRUMENT_LABELS, "outcome_labels": OUTCOME_LABELS,
            "labour_status_labels": LABOUR_STATUS_LABELS}


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _export_format() -> str:
    fmt = request.args.get("fmt", "xlsx")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return fmt


# --- enrolments ------------------------------------------------------------------------------------------

def _enrolment_listing() -> ListQuery:
    return ListQuery.from_request(ENROLMENT_SORTABLE, "name", filters=ENROLMENT_FILTERS)


@bp.route("/projects/<uuid:project_id>/enrolments")
def enrolments(project_id):
    project = access_project(project_id)
    listing = _enrolment_listing()
    record_access(AccessAction.VIEW, "enrolment_list", project.id,
                  detail=_("Participants of %(project)s, page %(page)s", project=project.code, page=listing.page))
    # Recorded before the query: the commit would otherwise expire the rows the page shows.
    page = enrolments_for_project(project.id, listing, local_today())
    return render_template("support/enrolments.html", project=project, page=page, listing=listing)


@bp.route("/projects/<uuid:project_id>/enrolments/export")
def export_enrolments(project_id):
    project, fmt = access_project(project_id), _export_format()
    headers, rows = enrolment_rows(all_enrolments_for_project(project.id, _enrolment_listing(), local_today()))
    record_access(AccessAction.EXPORT, "enrolment_list", project.id,
                  detail=_("Participants of %(project)s: %(n)s rows, %(fmt)s", project=project.code, n=len(rows),
                           fmt=fmt.upper()))
    return spreadsheet_response(f"uczestnicy-{_file_code(project.code)}", fmt, headers, rows)


def _file_code(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in code)[:60]


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
                LabourStatus(form.status_at_entry.data) if form.status_at_entry.data else None, local_today())
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
    histories = {"enrolment": history_for(enrolment)}
    record_access(AccessAction.VIEW, "enrolment", enrolment.id, detail=enrolment.participant.full_name)
    return render_template("support/enrolment.html", enrolment=enrolment, project=enrolment.project,
                           history=histories["enrolment"], field_labels=ENROLMENT_FIELD_LABELS,
                           delete_form=FlaskForm())


@bp.route("/enrolments/<uuid:enrolment_id>/edit", methods=["GET", "POST"])
@require_writer
def edit_enrolment(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    form = EnrolmentEditForm(obj=enrolment if request.method == "GET" else None)
    if request.method == "GET":
        form.status_at_entry.data = enrolment.status_at_entry.value
    if form.validate_on_submit():
        try:
            services.do_update_enrolment(enrolment, form.entry_date.data, form.exit_date.data,
                                         LabourStatus(form.status_at_entry.data), local_today())
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


# --- support episodes ------------------------------------------------------------------------------------

def _episode_listing() -> ListQuery:
    return ListQuery.from_request(EPISODE_SORTABLE, "start", filters=EPISODE_FILTERS, default_descending=True)


@bp.route("/projects/<uuid:project_id>/episodes")
def episodes(project_id):
    project = access_project(project_id)
    listing = _episode_listing()
    record_access(AccessAction.VIEW, "episode_list", project.id,
                  detail=_("Support in %(project)s, page %(page)s", project=project.code, page=listing.page))
    # Recorded before the query: the commit would otherwise expire the rows the page shows.
    page = episodes_for_project(project.id, listing)
    return render_template("support/episodes.html", project=project, page=page, listing=listing)


@bp.route("/projects/<uuid:project_id>/episodes/export")
def export_episodes(project_id):
    project, fmt = access_project(project_id), _export_format()
    headers, rows = episode_rows(all_episodes_for_project(project.id, _episode_listing()))
    record_access(AccessAction.EXPORT, "episode_list", project.id,
                  detail=_("Support in %(project)s: %(n)s rows, %(fmt)s", project=project.code, n=len(rows),
                           fmt=fmt.upper()))
    return spreadsheet_response(f"wsparcie-{_file_code(project.code)}", fmt, headers, rows)


def _episode_form_values(form: EpisodeForm):
    return (Instrument(form.instrument.data), form.start_date.data, form.end_date.data, form.hours.data,
            form.notes.data)


@bp.route("/enrolments/<uuid:enrolment_id>/episodes/new", methods=["GET", "POST"])
@require_writer
def add_episode(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    form = EpisodeForm()
    if form.validate_on_submit():
        try:
            services.do_add_episode(enrolment, *_episode_form_values(form), today=local_today())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The support has been recorded."), "success")
            return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    return render_template("support/episode_form.html", enrolment=enrolment, project=enrolment.project, form=form,
                           episode=None)


@bp.route("/episodes/<uuid:episode_id>")
def episode(episode_id):
    episode = access_episode(episode_id)
    record_access(AccessAction.VIEW, "support_episode", episode.id, detail=episode.enrolment.participant.full_name)
    return render_template("support/episode.html", episode=episode, enrolment=episode.enrolment,
                           project=episode.enrolment.project, history=history_for(episode),
                           field_labels=EPISODE_FIELD_LABELS, delete_form=FlaskForm())


@bp.route("/episodes/<uuid:episode_id>/edit", methods=["GET", "POST"])
@require_writer
def edit_episode(episode_id):
    episode = access_episode(episode_id)
    form = EpisodeForm(obj=episode if request.method == "GET" else None)
    if request.method == "GET":
        form.instrument.data = episode.instrument.value
    if form.validate_on_submit():
        try:
            services.do_update_episode(episode, *_episode_form_values(form), today=local_today())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".episode", episode_id=episode.id))
    return render_template("support/episode_form.html", enrolment=episode.enrolment, project=episode.enrolment.project,
                           form=form, episode=episode)


@bp.route("/episodes/<uuid:episode_id>/delete", methods=["POST"])
@require_writer
def delete_episode(episode_id):
    episode = access_episode(episode_id)
    enrolment_id = episode.enrolment_id
    if FlaskForm().validate_on_submit():
        services.do_delete_episode(episode)
        flash(_("The support has been deleted."), "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment_id))


# --- outcomes --------------------------------------------------------------------------------------------

def _outcome_listing() -> ListQuery:
    return ListQuery.from_request(OUTCOME_SORTABLE, "date", filters=OUTCOME_FILTERS, default_descending=True)


@bp.route("/projects/<uuid:project_id>/outcomes")
def outcomes(project_id):
    project = access_project(project_id)
    listing = _outcome_listing()
    record_access(AccessAction.VIEW, "outcome_list", project.id,
                  detail=_("Outcomes in %(project)s, page %(page)s", project=project.code, page=listing.page))
    # Recorded before the query: the commit would otherwise expire the rows the page shows.
    page = outcomes_for_project(project.id, listing)
    return render_template("support/outcomes.html", project=project, page=page, listing=listing)


@bp.route("/projects/<uuid:project_id>/outcomes/export")
def export_outcomes(project_id):
    project, fmt = access_project(project_id), _export_format()
    headers, rows = outcome_rows(all_outcomes_for_project(project.id, _outcome_listing()))
    record_access(AccessAction.EXPORT, "outcome_list", project.id,
                  detail=_("Outcomes in %(project)s: %(n)s rows, %(fmt)s", project=project.code, n=len(rows),
                           fmt=fmt.upper()))
    return spreadsheet_response(f"rezultaty-{_file_code(project.code)}", fmt, headers, rows)


def _outcome_form_values(form: OutcomeForm):
    return OutcomeKind(form.kind.data), form.achieved_on.data, form.evidence.data


@bp.route("/enrolments/<uuid:enrolment_id>/outcomes/new", methods=["GET", "POST"])
@require_writer
def add_outcome(enrolment_id):
    enrolment = access_enrolment(enrolment_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.do_add_outcome(enrolment, *_outcome_form_values(form), today=local_today())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The outcome has been recorded."), "success")
            return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    return render_template("support/outcome_form.html", enrolment=enrolment, project=enrolment.project, form=form,
                           outcome=None)


@bp.route("/outcomes/<uuid:outcome_id>")
def outcome(outcome_id):
    outcome = access_outcome(outcome_id)
    record_access(AccessAction.VIEW, "outcome", outcome.id, detail=outcome.enrolment.participant.full_name)
    return render_template("support/outcome.html", outcome=outcome, enrolment=outcome.enrolment,
                           project=outcome.enrolment.project, history=history_for(outcome),
                           field_labels=OUTCOME_FIELD_LABELS, delete_form=FlaskForm())


@bp.route("/outcomes/<uuid:outcome_id>/edit", methods=["GET", "POST"])
@require_writer
def edit_outcome(outcome_id):
    outcome = access_outcome(outcome_id)
    form = OutcomeForm(obj=outcome if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = outcome.kind.value
    if form.validate_on_submit():
        try:
            services.do_update_outcome(outcome, *_outcome_form_values(form), today=local_today())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".outcome", outcome_id=outcome.id))
    return render_template("support/outcome_form.html", enrolment=outcome.enrolment, project=outcome.enrolment.project,
                           form=form, outcome=outcome)


@bp.route("/outcomes/<uuid:outcome_id>/delete", methods=["POST"])
@require_writer
def delete_outcome(outcome_id):
    outcome = access_outcome(outcome_id)
    enrolment_id = outcome.enrolment_id
    if FlaskForm().validate_on_submit():
        services.do_delete_outcome(outcome)
        flash(_("The outcome has been deleted."), "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment_id))
