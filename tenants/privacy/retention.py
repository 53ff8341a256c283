"""How long a person's records are kept, and who is due for anonymisation.

Each project keeps its participants' records as long as its funding rules require: the default
below, or the date set on the project with its reason (`projects.retention_until`). A person's
records may go once every retention of the projects they took part in has ended. A person
enrolled nowhere has no retention: they may be erased at once.

Defaults (a starting point: the funding agreement decides, and the admin sets it per project):
* EU funds: five years from the 31 December of the year the project ended (CPR 2021/1060 art. 82
  counts from the last payment, which follows the end);
* other funds: ten years (the archival category B10 of municipal social-assistance records).
"""
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.tenants.participants.models import Participant
from regionet.tenants.projects.catalogues import FUNDING_SOURCES
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment

EU_YEARS = 5
OTHER_YEARS = 10


def default_retention_until(project: Project) -> date:
    source = FUNDING_SOURCES.get(project.funding_source)
    years = EU_YEARS if source is not None and source.eu_funded else OTHER_YEARS
    return date(project.end_date.year + years, 12, 31)


def retention_until(project: Project) -> date:
    """The last day the project's records are kept."""
    return project.retention_until or default_retention_until(project)


@dataclass(frozen=True)
class PersonRetention:
    """The retentions that hold a person's records: `running` ones (project, until) keep them."""

    running: tuple[tuple[Project, date], ...]
    ended_on: date | None       # the last retention that ended, when all have

    @property
    def applies(self) -> bool:
        return bool(self.running)


def retention_of(participant: Participant, today: date) -> PersonRetention:
    projects = db.session.execute(select(Project).join(Enrolment, Enrolment.project_id == Project.id)
                                  .where(Enrolment.participant_id == participant.id)).scalars().unique().all()
    untils = [(project, retention_until(project)) for project in projects]
    running = tuple(sorted(((p, d) for p, d in untils if d >= today), key=lambda item: item[1], reverse=True))
    ended = max((d for _p, d in untils), default=None) if untils and not running else None
    return PersonRetention(running, ended)


def people_due(today: date) -> dict[uuid.UUID, date]:
    """People of the current institution, not yet anonymised, enrolled somewhere and whose every
    project's retention ended before `today`: {participant id: the day the last one ended}."""
    untils = {project.id: retention_until(project) for project in db.session.execute(select(Project)).scalars()}
    pairs = db.session.execute(
        select(Enrolment.participant_id, Enrolment.project_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .where(Participant.anonymised_at.is_(None))).all()
    by_person: dict[uuid.UUID, list[date]] = defaultdict(list)
    for participant_id, project_id in pairs:
        by_person[participant_id].append(untils[project_id])
    return {person: max(days) for person, days in by_person.items() if max(days) < today}


def do_set_retention(project: Project, until: date | None, reason: str | None) -> None:
    """Set the project's retention (None: the funding rules' default); a date needs its reason."""
    from flask_babel import gettext as _

    from regionet.platform.validation import ValidationFailed

    reason = (reason or "").strip() or None
    if until is not None and until < project.end_date:
        raise ValidationFailed.single("retention_until", _(
            "The records must be kept at least until the project ends (%(day)s).",
            day=project.end_date.strftime("%d.%m.%Y")))
    if until is not None and until != default_retention_until(project) and reason is None:
        raise ValidationFailed.single("reason", _(
            "Give the reason for a retention other than the default (%(day)s), e.g. the clause of the funding "
            "agreement.", day=default_retention_until(project).strftime("%d.%m.%Y")))
    project.retention_until, project.retention_reason = until, reason if until is not None else None
    db.session.commit()
