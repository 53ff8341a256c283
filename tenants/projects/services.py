"""Writes for projects: create and update, with their partners and indicator targets."""
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import format_day
from regionet.platform.validation import ValidationFailed, unique_or_error

from .models import Project, ProjectTarget
from .queries import (
    enrolment_counts_for_tenant,
    enrolment_date_span_for_project,
    partners_by_ids_for_tenant,
    project_by_code_for_tenant,
)
from .rules import ProjectData, project_errors


def do_create_project(data: ProjectData) -> Project:
    project = Project()
    _apply(project, data)
    db.session.add(project)
    _commit()
    return project


def do_update_project(project: Project, data: ProjectData) -> Project:
    _apply(project, data)
    _commit()
    return project


def _commit() -> None:
    with unique_or_error({"uq_projects_tenant_code": ("code", lambda: _("Another project already has this code."))}):
        db.session.commit()


def do_delete_project(project: Project) -> None:
    """Only a project nobody is enrolled in can go: enrolments carry people's history."""
    if enrolment_counts_for_tenant([project.id]).get(project.id):
        raise ValidationFailed.single("project", _("People are enrolled in this project, so it cannot be deleted."))
    db.session.delete(project)
    db.session.commit()


def _check(project: Project, data: ProjectData) -> list:
    """Every problem at once, as a ValidationFailed; otherwise the chosen partner organisations."""
    errors = project_errors(data)
    if data.code and "code" not in errors:
        same_code = project_by_code_for_tenant(data.code)
        if same_code is not None and same_code.id != project.id:
            errors["code"] = [_("Another project already has the code %(code)s: %(title)s.",
                                code=same_code.code, title=same_code.title)]
    if project.id is not None and data.start_date and data.end_date and "end_date" not in errors:
        first_entry, last_date = enrolment_date_span_for_project(project.id)
        if first_entry is not None and first_entry < data.start_date:
            errors.setdefault("start_date", []).append(_(
                "A participant entered the project on %(day)s, before this start date.", day=format_day(first_entry)))
        if last_date is not None and last_date > data.end_date:
            errors.setdefault("end_date", []).append(_(
                "A participant's enrolment runs until %(day)s, after this end date.", day=format_day(last_date)))
    partners = partners_by_ids_for_tenant(data.partner_ids)
    if len(partners) != len(set(data.partner_ids)):
        errors.setdefault("partners", []).append(_("Choose partners from the list."))
    if errors:
        raise ValidationFailed(errors)
    return partners


def _apply(project: Project, data: ProjectData) -> None:
    """Validate everything first, then write: nothing half-valid reaches the database."""
    partners = _check(project, data)
    project.title = data.title.strip()
    project.code = data.code.strip()
    project.funding_source = data.funding_source
    project.start_date, project.end_date = data.start_date, data.end_date
    project.budget_total = data.budget_total
    project.eu_cofinancing = data.eu_cofinancing
    project.own_contribution = data.own_contribution
    project.description = (data.description or "").strip() or None
    project.partners = partners
    existing = {t.indicator: t for t in project.targets}
    for key, value in data.targets.items():
        if value is None:
            if key in existing:
                project.targets.remove(existing[key])
        elif key in existing:
            existing[key].target_value = value
        else:
            project.targets.append(ProjectTarget(indicator=key, target_value=value))
