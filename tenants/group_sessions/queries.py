"""Tenant-scoped reads of group sessions and of the people who may attend them."""
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.tenants.participants.models import Participant
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


def enrolments_for_attendance(project_id: uuid.UUID) -> list[Enrolment]:
    """Everyone enrolled in the project, in Polish name order (the attendance list's rows)."""
    return list(db.session.execute(
        select(Enrolment).join(Participant, Participant.id == Enrolment.participant_id)
        .options(contains_eager(Enrolment.participant)).where(Enrolment.project_id == project_id)
        .order_by(Participant.name_key, Enrolment.id)).scalars().unique())


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
