"""Reads of imports (scoped to the current tenant by the tenancy module)."""
import uuid

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.listing import ListQuery, Page, paginate
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.spreadsheet import header_key
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment

from .models import ImportBatch, ImportStatus
from .progress import published_progress
from .project_rows import EnrolmentRef, Lookups, ProjectRef

SORTABLE = {"created": ImportBatch.created_at, "file": ImportBatch.file_name, "status": ImportBatch.status}


def access_import(import_id: uuid.UUID) -> ImportBatch:
    return get_for_tenant_or_404(ImportBatch, import_id)


def import_for_tenant(import_id: uuid.UUID) -> ImportBatch | None:
    return db.session.execute(select(ImportBatch).where(ImportBatch.id == import_id)).scalar_one_or_none()


def imports_for_tenant(listing: ListQuery) -> Page:
    return paginate(select(ImportBatch), listing, SORTABLE, tiebreaker=ImportBatch.id.desc())


def current_progress(batch: ImportBatch) -> int:
    if batch.status is ImportStatus.IMPORTING:
        live = published_progress(batch.id)
        if live is not None:
            return max(batch.progress, live)
    return batch.progress


def import_lookups_for_tenant() -> Lookups:
    """Everything the rows of a whole-project import may name, read once (a few queries, not one per row)."""
    projects: dict = {}
    rows = db.session.execute(select(Project.id, Project.code, Project.title, Project.start_date,
                                     Project.end_date)).all()
    for row in rows:   # a title shared by two projects is ambiguous; a code is unique
        projects[header_key(row.title)] = None if header_key(row.title) in projects else \
            ProjectRef(row.id, row.start_date, row.end_date)
    for row in rows:
        projects[header_key(row.code)] = ProjectRef(row.id, row.start_date, row.end_date)
    people = db.session.execute(select(Participant.id, Participant.pesel, Participant.labour_status)).all()
    enrolments = db.session.execute(select(Enrolment.id, Enrolment.project_id, Enrolment.participant_id,
                                           Enrolment.entry_date, Enrolment.exit_date)).all()
    return Lookups(
        projects=projects,
        people_by_pesel={p.pesel: (p.id, p.labour_status) for p in people if p.pesel},
        people_by_id={p.id: p.labour_status for p in people},
        enrolments={(e.project_id, e.participant_id): EnrolmentRef(e.id, e.entry_date, e.exit_date)
                    for e in enrolments})


def projects_for_template() -> list[Project]:
    """The institution's projects, as the templates list them for the "Projekt" column."""
    return list(db.session.execute(select(Project).order_by(Project.start_date.desc(), Project.code)).scalars())
