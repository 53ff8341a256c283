"""The pages that every kind of support record shares, declared once per kind.

A project's list of a record kind with its spreadsheet export (`RecordList`), and the
detail, add, edit and delete pages of a record that belongs to an enrolment
(`EnrolmentRecord`: support episodes and outcomes). views.py declares the kinds; the
routes here keep the endpoint names the templates use (`episodes`, `export_episodes`,
`episode`, `add_episode`, `edit_episode`, `delete_episode`, ...).
Every view and export of people's data is recorded in the access trail before the query
runs: the commit of that record would otherwise expire the rows the page shows.
"""
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from regionet.platform.exports import spreadsheet_response
from regionet.platform.tenancy.web import require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.projects.queries import access_project


@dataclass(frozen=True)
class RecordList:
    """A project's list of one record kind, e.g. `episodes`, and its CSV/XLSX export."""

    name: str
    audit_kind: str
    file_stem: str
    listing: Callable[[], ListQuery]
    page_of: Callable                  # (project, listing) -> Page
    all_of: Callable                   # (project, listing) -> list, for the export
    sheet: Callable                    # records -> (headers, rows)
    page_detail: Callable              # (project, listing) -> text for the access trail
    export_detail: Callable            # (project, rows, fmt) -> text for the access trail


@dataclass(frozen=True)
class EnrolmentRecord:
    """A record kept under an enrolment, e.g. `episode`, with its detail and edit pages."""

    name: str
    audit_kind: str
    access: Callable                   # id -> record of the current tenant, or 404
    form_class: type
    choice_field: str                  # the enum attribute a form shows as a choice
    form_values: Callable              # form -> the positional arguments of do_add/do_update
    do_add: Callable
    do_update: Callable
    do_delete: Callable
    field_labels: dict
    recorded_message: Callable[[], str]
    saved_message: Callable[[], str]
    deleted_message: Callable[[], str]


def file_code(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in code)[:60]


def export_format() -> str:
    fmt = request.args.get("fmt", "xlsx")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return fmt


def add_list_routes(bp, spec: RecordList) -> None:
    def show(project_id):
        project = access_project(project_id)
        listing = spec.listing()
        return render_recorded_view(f"support/{spec.name}.html", spec.audit_kind, project.id,
                                    detail=spec.page_detail(project, listing), project=project,
                                    page=spec.page_of(project, listing), listing=listing)

    def export(project_id):
        project, fmt = access_project(project_id), export_format()
        headers, rows = spec.sheet(spec.all_of(project, spec.listing()))
        record_access(AccessAction.EXPORT, spec.audit_kind, project.id, detail=spec.export_detail(project, rows, fmt))
        return spreadsheet_response(f"{spec.file_stem}-{file_code(project.code)}", fmt, headers, rows)

    bp.add_url_rule(f"/projects/<uuid:project_id>/{spec.name}", spec.name, show)
    bp.add_url_rule(f"/projects/<uuid:project_id>/{spec.name}/export", f"export_{spec.name}", export)


def add_record_routes(bp, spec: EnrolmentRecord, access_enrolment: Callable) -> None:
    name, id_arg = spec.name, f"{spec.name}_id"

    def form_page(form, enrolment, record, save, message, next_url):
        """The add/edit form: saved and redirected when valid, shown again with the errors otherwise."""
        if form.validate_on_submit():
            try:
                save(*spec.form_values(form), today=today_in_poland())
            except ValidationFailed as failure:
                apply_to_form(form, failure)
            else:
                flash(message(), "success")
                return redirect(next_url)
        return render_template(f"support/{name}_form.html", enrolment=enrolment, project=enrolment.project,
                               form=form, **{name: record})

    @require_writer
    def add(enrolment_id):
        enrolment = access_enrolment(enrolment_id)
        return form_page(spec.form_class(), enrolment, None, partial(spec.do_add, enrolment), spec.recorded_message,
                         url_for(".enrolment", enrolment_id=enrolment.id))

    def show(**ids):
        record = spec.access(ids[id_arg])
        return render_recorded_view(f"support/{name}.html", spec.audit_kind, record.id,
                                    detail=record.enrolment.participant.full_name, enrolment=record.enrolment,
                                    project=record.enrolment.project, history=history_for(record),
                                    field_labels=spec.field_labels, delete_form=FlaskForm(), **{name: record})

    @require_writer
    def edit(**ids):
        record = spec.access(ids[id_arg])
        form = spec.form_class(obj=record if request.method == "GET" else None)
        if request.method == "GET":
            getattr(form, spec.choice_field).data = getattr(record, spec.choice_field).value
        return form_page(form, record.enrolment, record, partial(spec.do_update, record), spec.saved_message,
                         url_for(f".{name}", **{id_arg: record.id}))

    @require_writer
    def delete(**ids):
        record = spec.access(ids[id_arg])
        enrolment_id = record.enrolment_id
        if FlaskForm().validate_on_submit():
            spec.do_delete(record)
            flash(spec.deleted_message(), "success")
        return redirect(url_for(".enrolment", enrolment_id=enrolment_id))

    record_rule = f"/{name}s/<uuid:{id_arg}>"
    bp.add_url_rule(f"/enrolments/<uuid:enrolment_id>/{name}s/new", f"add_{name}", add, methods=["GET", "POST"])
    bp.add_url_rule(record_rule, name, show)
    bp.add_url_rule(f"{record_rule}/edit", f"edit_{name}", edit, methods=["GET", "POST"])
    bp.add_url_rule(f"{record_rule}/delete", f"delete_{name}", delete, methods=["POST"])
