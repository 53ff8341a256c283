"""The data-protection desk of an institution: requests with their deadlines, the retention list,
projects' retention and the records of processing. Thin: reads from queries, writes through services."""
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.tenancy.web import (
    TenantBlueprint,
    current_institution,
    open_to_privacy_officer,
    require_admin,
    require_privacy_officer,
)
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.plans.queries import case_workers_for_institution
from regionet.tenants.projects.queries import access_project

from . import requests as services
from .forms import CloseForm, ExtendForm, RequestForm, RetentionForm
from .processing import processing_register
from .queries import access_request, people_choices, retention_listings_for_tenant
from .retention import default_retention_until, do_set_retention, retention_until

bp = TenantBlueprint("tenant_privacy_requests", __name__, url_prefix="/privacy", template_folder="templates")


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@bp.route("/requests/")
@open_to_privacy_officer
@require_privacy_officer
def index():
    show_all = request.args.get("state") == "all"
    return render_template("privacy/requests.html", requests=services.requests_for_tenant(open_only=not show_all),
                           show_all=show_all, today=today_in_poland(),
                           assignees=dict(case_workers_for_institution(current_institution().id, with_officer=True)))


@bp.route("/requests/new", methods=["GET", "POST"])
@open_to_privacy_officer
@require_privacy_officer
def new():
    form = RequestForm() if request.method == "POST" else RequestForm(
        participant_id=request.args.get("participant_id", ""), received_on=today_in_poland())
    people = people_choices()
    form.participant_id.choices = [("", _("— not identified yet —"))] + [(str(i), name) for i, name in people]
    workers = case_workers_for_institution(current_institution().id, with_officer=True)
    form.assigned_to_id.choices = [("", _("— nobody yet —"))] + [(str(i), name) for i, name in workers]
    if form.validate_on_submit():
        person = _uuid(form.participant_id.data)
        worker = int(form.assigned_to_id.data) if str(form.assigned_to_id.data).isdigit() else None
        try:
            created = services.do_register_request(
                form.requester.data, person if person in {i for i, _n in people} else None, form.kind.data,
                form.received_on.data, form.details.data, worker if worker in {i for i, _n in workers} else None,
                current_user.id)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The request has been registered; the answer is due on %(day)s.",
                    day=created.due_on.strftime("%d.%m.%Y")), "success")
            return redirect(url_for(".detail", request_id=created.id))
    return render_template("privacy/request_form.html", form=form), 422 if form.errors else 200


@bp.route("/requests/<uuid:request_id>")
@open_to_privacy_officer
@require_privacy_officer
def detail(request_id, extend_form=None, close_form=None, status=200):
    subject_request = access_request(request_id)
    return render_template("privacy/request.html", subject_request=subject_request, today=today_in_poland(),
                           extend_form=extend_form or ExtendForm(formdata=None),
                           close_form=close_form or CloseForm(formdata=None),
                           latest_due=services.latest_due(subject_request.received_on)), status


@bp.route("/requests/<uuid:request_id>/extend", methods=["POST"])
@open_to_privacy_officer
@require_privacy_officer
def extend(request_id):
    return _act(request_id, ExtendForm(), "extend_form", _("The deadline has been extended."),
                lambda request, form: services.do_extend_request(request, form.due_on.data, form.reason.data))


@bp.route("/requests/<uuid:request_id>/close", methods=["POST"])
@open_to_privacy_officer
@require_privacy_officer
def close(request_id):
    return _act(request_id, CloseForm(), "close_form", _("The request has been closed with its answer."),
                lambda request, form: services.do_close_request(request, form.answer.data))


def _act(request_id, form, form_name: str, done: str, write):
    """One step on a request: the write, or the request's page with the form's errors (422)."""
    subject_request = access_request(request_id)
    if form.validate_on_submit():
        try:
            write(subject_request, form)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(done, "success")
            return redirect(url_for(".detail", request_id=request_id))
    return detail(request_id, status=422, **{form_name: form})


@bp.route("/retention")
@open_to_privacy_officer
@require_privacy_officer
def retention():
    return render_template("privacy/retention.html", listings=retention_listings_for_tenant())


@bp.route("/projects/<uuid:project_id>/retention", methods=["GET", "POST"])
@require_admin
def project_retention(project_id):
    project = access_project(project_id)
    form = RetentionForm() if request.method == "POST" else RetentionForm(
        retention_until=project.retention_until, reason=project.retention_reason)
    if form.validate_on_submit():
        try:
            do_set_retention(project, form.retention_until.data, form.reason.data)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The retention has been saved."), "success")
            return redirect(url_for("tenant_projects.detail", project_id=project.id))
    return render_template("privacy/project_retention.html", project=project, form=form,
                           default=default_retention_until(project), current=retention_until(project)), (
        422 if form.errors else 200)


@bp.route("/register")
@open_to_privacy_officer
@require_privacy_officer
def register():
    return render_template("privacy/register.html", purposes=processing_register(current_institution()))
