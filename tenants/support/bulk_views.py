"""Bulk actions on lists: enrol the people ticked on the participant list in one project, end the
participation of the people ticked on a project's list. Each shows the chosen people on a page of
its own, with the one form the action needs; all or nothing is written."""
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from regionet.platform.tenancy.web import require_writer
from regionet.platform.ui.fields import PolishDateField
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.projects.queries import access_project

from . import services
from .forms import EnrolmentForm
from .queries import enrolments_by_ids_for_project, participants_by_ids_for_tenant, projects_open_to_all
from .views import bp


class BulkEnrolForm(FlaskForm):
    project_id = SelectField(_l("Project"), validate_choice=False)
    entry_date = PolishDateField(_l("Entry date"), validators=[Optional()])
    status_at_entry = EnrolmentForm.status_at_entry


class BulkEndForm(FlaskForm):
    exit_date = PolishDateField(_l("Exit date"), validators=[Optional()])


def _ids() -> list[uuid.UUID]:
    found = []
    for value in request.form.getlist("selected"):
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


@bp.route("/participants/enrol-selected", methods=["POST"])
@require_writer
def enrol_selected():
    people = participants_by_ids_for_tenant(_ids())
    if not people:
        flash(_("Tick the people to enrol first."), "error")
        return redirect(url_for("tenant_participants.index"))
    form = BulkEnrolForm()
    form.project_id.choices = [("", _("— choose —"))] + [
        (str(p.id), f"{p.title} ({p.code})") for p in projects_open_to_all([p.id for p in people])]
    if request.form.get("step") == "confirm" and form.validate_on_submit():
        try:
            project = _project(form.project_id.data)
            status = LabourStatus(form.status_at_entry.data) if form.status_at_entry.data else None
            enrolled = services.do_enrol_many(project, people, form.entry_date.data, status, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("%(n)s people have been enrolled in %(project)s.", n=enrolled, project=project.title), "success")
            return redirect(url_for(".enrolments", project_id=project.id))
    status = 422 if form.errors else 200
    return render_template("support/enrol_selected.html", form=form, people=people), status


def _project(value):
    try:
        return access_project(uuid.UUID(value))
    except (TypeError, ValueError):
        raise ValidationFailed.single("project_id", _("Choose the project.")) from None


@bp.route("/projects/<uuid:project_id>/end-selected", methods=["POST"])
@require_writer
def end_selected(project_id):
    project = access_project(project_id)
    enrolments = enrolments_by_ids_for_project(project.id, _ids())
    if not enrolments:
        flash(_("Tick the people whose participation ends first."), "error")
        return redirect(url_for(".enrolments", project_id=project.id))
    form = BulkEndForm()
    if request.form.get("step") == "confirm" and form.validate_on_submit():
        try:
            ended = services.do_end_many(project, enrolments, form.exit_date.data, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The participation of %(n)s people has ended.", n=ended), "success")
            return redirect(url_for(".enrolments", project_id=project.id))
    status = 422 if form.errors else 200
    return render_template("support/end_selected.html", form=form, project=project, enrolments=enrolments), status
