"""Pages of an institution's projects. Thin: reads from queries, writes through services."""
import uuid
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from regionet.platform.exports import spreadsheet_response
from regionet.platform.tenancy.web import TenantBlueprint, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.labels import LabelMap
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.trail import aggregates_only
from regionet.tenants.indicators.labels import AGE_BAND_LABELS
from regionet.tenants.indicators.queries import AGE_BANDS, indicators_for_project
from regionet.tenants.participants.labels import LABOUR_STATUS_LABELS, SENSITIVE_LABELS
from regionet.tenants.support.labels import INSTRUMENT_LABELS, OUTCOME_LABELS, SEX_LABELS

from . import services
from .catalogues import FUNDING_SOURCES, INDICATORS
from .exporting import project_rows
from .forms import ProjectForm
from .labels import PROJECT_FIELD_LABELS, PROJECT_STATE_LABELS, funding_label
from .queries import (
    PROJECT_FILTERS,
    PROJECT_SORTABLE,
    access_project,
    all_projects_for_export,
    partners_for_tenant,
    project_years_for_tenant,
    projects_for_tenant,
)
from .rules import ProjectData, project_errors, share

bp = TenantBlueprint("tenant_projects", __name__, url_prefix="/projects", template_folder="templates")


@bp.app_context_processor
def project_helpers():
    return {"funding_label": funding_label, "share": share}


def _export_format() -> str:
    fmt = request.args.get("fmt", "xlsx")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return fmt


def _listing() -> ListQuery:
    return ListQuery.from_request(PROJECT_SORTABLE, "start", filters=PROJECT_FILTERS, default_descending=True)


@bp.route("/")
@aggregates_only
def index():
    listing = _listing()
    return render_template("projects/index.html", page=projects_for_tenant(listing, today_in_poland()), listing=listing,
                           funding_sources=FUNDING_SOURCES, state_labels=PROJECT_STATE_LABELS,
                           year_options=[(year, year) for year in project_years_for_tenant()])


@bp.route("/export")
@aggregates_only
def export():
    fmt = _export_format()
    headers, rows = project_rows(all_projects_for_export(_listing(), today_in_poland()))
    return spreadsheet_response(f"projekty-{today_in_poland():%Y-%m-%d}", fmt, headers, rows)


def _form_data(form: ProjectForm) -> ProjectData:
    return ProjectData(
        title=form.title.data or "", code=form.code.data or "", funding_source=form.funding_source.data or "",
        start_date=form.start_date.data, end_date=form.end_date.data, budget_total=form.budget_total.data,
        # An empty EU or own-contribution field means none: the sum check still catches a missing amount.
        eu_cofinancing=form.eu_cofinancing.data if form.eu_cofinancing.data is not None else Decimal(0),
        own_contribution=form.own_contribution.data if form.own_contribution.data is not None else Decimal(0),
        description=form.description.data, partner_ids=[_uuid(v) for v in form.partners.data or []],
        targets=form.targets())


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _prepare(form: ProjectForm) -> None:
    form.partners.choices = [(str(p.id), p.name) for p in partners_for_tenant()]


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = ProjectForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            project = services.do_create_project(_form_data(form))
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The project has been created."), "success")
            return redirect(url_for(".detail", project_id=project.id))
    elif request.method == "POST":
        _add_cross_field_errors(form)
    return render_template("projects/form.html", form=form, project=None, indicators=INDICATORS)


@bp.route("/<uuid:project_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(project_id):
    project = access_project(project_id)
    form = ProjectForm(obj=project if request.method == "GET" else None)
    _prepare(form)
    if request.method == "GET":
        form.partners.data = [str(p.id) for p in project.partners]
        for target in project.targets:
            getattr(form, f"target_{target.indicator}").data = target.target_value
    if form.validate_on_submit():
        try:
            services.do_update_project(project, _form_data(form))
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".detail", project_id=project.id))
    elif request.method == "POST":
        _add_cross_field_errors(form)
    return render_template("projects/form.html", form=form, project=project, indicators=INDICATORS)


def _add_cross_field_errors(form: ProjectForm) -> None:
    """When some fields are unreadable, still report the budget and period rules the rest break."""
    amounts = ("budget_total", "eu_cofinancing", "own_contribution")
    unreadable_amount = any(getattr(form, name).errors for name in amounts)
    for name, messages in project_errors(_form_data(form)).items():
        field = getattr(form, name, None)
        if unreadable_amount and name in amounts:
            continue  # the sum of amounts that could not be read means nothing
        if field is not None and not field.errors:
            field.errors = list(field.errors or []) + messages


@bp.route("/<uuid:project_id>/delete", methods=["POST"])
@require_writer
def delete(project_id):
    project = access_project(project_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".detail", project_id=project.id))
    try:
        services.do_delete_project(project)
    except ValidationFailed as failure:
        flash(" ".join(failure.errors["project"]), "error")
        return redirect(url_for(".detail", project_id=project.id))
    flash(_("The project has been deleted."), "success")
    return redirect(url_for(".index"))


# The indicator tables print a label per row: translated once per language, not per cell.
INDICATOR_LABELS = {
    "age_labels": LabelMap(AGE_BAND_LABELS), "sex_labels": LabelMap(SEX_LABELS),
    "sensitive_labels": LabelMap(SENSITIVE_LABELS), "status_labels": LabelMap(LABOUR_STATUS_LABELS),
    "instrument_labels": LabelMap(INSTRUMENT_LABELS), "outcome_labels": LabelMap(OUTCOME_LABELS),
}


@bp.route("/<uuid:project_id>")
@aggregates_only
def detail(project_id):
    project = access_project(project_id)
    return render_template(
        "projects/detail.html", project=project, source=FUNDING_SOURCES.get(project.funding_source),
        ind=indicators_for_project(project, today_in_poland()), age_bands=AGE_BANDS, **INDICATOR_LABELS,
        history=history_for(project),
        field_labels=PROJECT_FIELD_LABELS, today=today_in_poland(), delete_form=FlaskForm())
