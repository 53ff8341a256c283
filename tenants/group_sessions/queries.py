"""Tenant-scoped reads of group sessions and of the people who may attend them."""
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.listing import search_words
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.queries import name_or_pesel_search
from regionet.tenants.support.models import Enrolment

from .models import GroupSession, SessionAttendance


def access_group_session(group_session_id: uuid.UUID) -> GroupSession:
    return get_for_tenant_or_404(GroupSession, group_session_id)


def sessions_for_project(project_id: uuid.UUID) -> list[tuple[GroupSession, int]]:
    """The project's sessions, newest first, each with its number of attendees."""
    attendees = (select(func.count()).where(SessionAttendance.group_session_id == GroupSession.id)
                 .correlate(GroupSession).scalar_subquery())
    return list(db.session.execute(
        select(GroupSession, attendees).where(GroupSession.project_id == project_id)
        .order_by(GroupSession.held_on.desc(), GroupSession.id.desc())).all())


# Up to this many people enrolled, the form lists them all; above it, those marked and those found
# (a project with 2,000 enrolments made a 1.4 s page of 2,000 checkboxes nobody scrolls through).
FULL_LIST_LIMIT = 60
FIND_LIMIT = 20


@dataclass(frozen=True)
class AttendanceRow:
    id: uuid.UUID                # the enrolment's
    last_name: str
    first_name: str
    entry_date: date
    exit_date: date | None


def _rows() -> Select:
    return (select(Enrolment.id, Participant.last_name, Participant.first_name, Enrolment.entry_date,
                   Enrolment.exit_date).join(Participant, Participant.id == Enrolment.participant_id))


def _listed(statement: Select) -> list[AttendanceRow]:
    return [AttendanceRow(*row) for row in db.session.execute(statement.order_by(Participant.name_key, Enrolment.id))]


def enrolment_count_for_project(project_id: uuid.UUID) -> int:
    return db.session.execute(select(func.count()).where(Enrolment.project_id == project_id)).scalar_one()


def enrolments_for_attendance(project_id: uuid.UUID) -> list[AttendanceRow]:
    """Everyone enrolled in the project, in Polish name order (the attendance list's rows)."""
    return _listed(_rows().where(Enrolment.project_id == project_id))


def marked_enrolments(project_id: uuid.UUID, ids: list[str]) -> list[AttendanceRow]:
    """The project's enrolments among `ids` (what the form marked; anything else is ignored)."""
    wanted = set()
    for value in ids:
        try:
            wanted.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not wanted:
        return []
    return _listed(_rows().where(Enrolment.project_id == project_id, Enrolment.id.in_(wanted)))


def enrolments_matching(project_id: uuid.UUID, q: str, limit: int = FIND_LIMIT) -> list[AttendanceRow]:
    """The project's enrolments whose person's name or PESEL contains every word of `q` (ignoring
    case and Polish diacritics), at most `limit`."""
    if not search_words(q):
        return []
    return _listed(_rows().where(Enrolment.project_id == project_id, Participant.anonymised_at.is_(None),
                                 *name_or_pesel_search(q)).limit(limit))


def attendance_of(session: GroupSession) -> list[SessionAttendance]:
    """The session's attendees in Polish name order."""
    return list(db.session.execute(
        select(SessionAttendance).join(Enrolment, Enrolment.id == SessionAttendance.enrolment_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .where(SessionAttendance.group_session_id == session.id)
        .order_by(Participant.name_key, SessionAttendance.id)).scalars().unique())


def sessions_of_enrolment(enrolment_id: uuid.UUID) -> dict[uuid.UUID, GroupSession]:
    """{episode id: its session} for an enrolment's episodes that came from a group session."""
    rows = db.session.execute(
        select(SessionAttendance.episode_id, GroupSession)
        .join(GroupSession, GroupSession.id == SessionAttendance.group_session_id)
        .where(SessionAttendance.enrolment_id == enrolment_id)).all()
    return {episode_id: session for episode_id, session in rows}
