"""Writes of group sessions. A session, its attendance and every attendee's support episode are
written together in one transaction, after every rule has been checked: nothing half-written."""
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import format_day
from regionet.platform.validation import ValidationFailed
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode
from regionet.tenants.support.queries import enrolments_by_ids_for_project
from regionet.tenants.support.rules import episode_errors

from .models import GroupSession, SessionAttendance

MAX_HOURS = Decimal(24)


@dataclass(frozen=True)
class SessionValues:
    instrument: Instrument
    held_on: date | None
    hours: Decimal | None
    topic: str
    place: str | None = None
    instructor: str | None = None


def do_record_session(project: Project, values: SessionValues, attendee_ids: list[str], today: date) -> GroupSession:
    """Record a session with its attendance; each attendee gets a support episode of that day."""
    chosen = _checked(project, values, attendee_ids, today)
    session = GroupSession(project_id=project.id)
    _apply(session, values)
    db.session.add(session)
    for enrolment in chosen:
        _attend(session, enrolment)
    db.session.commit()
    return session


def do_update_session(session: GroupSession, values: SessionValues, attendee_ids: list[str],
                      today: date) -> GroupSession:
    """Change a session and correct its attendance: the attendees' episodes follow, the episodes of
    people marked absent go, people marked present get theirs."""
    chosen = {e.id: e for e in _checked(session.project, values, attendee_ids, today)}
    _apply(session, values)
    for attendance in list(session.attendance):
        if attendance.enrolment_id in chosen:
            _apply_episode(attendance.episode, session)
            del chosen[attendance.enrolment_id]
        else:
            session.attendance.remove(attendance)
            db.session.delete(attendance.episode)
    for enrolment in chosen.values():
        _attend(session, enrolment)
    db.session.commit()
    return session


def do_delete_session(session: GroupSession) -> None:
    """The session goes with its attendees' episodes."""
    for attendance in list(session.attendance):
        db.session.delete(attendance.episode)
    db.session.delete(session)
    db.session.commit()


def _checked(project: Project, values: SessionValues, attendee_ids: list[str], today: date) -> list[Enrolment]:
    errors: dict[str, list[str]] = {}
    day = values.held_on
    if day is None:
        errors["held_on"] = [_("Enter the date of the session.")]
    elif day > today:
        errors["held_on"] = [_("The date of the session cannot be in the future.")]
    elif not project.start_date <= day <= project.end_date:
        errors["held_on"] = [_("The session must fall within the project period (%(start)s – %(end)s).",
                               start=format_day(project.start_date), end=format_day(project.end_date))]
    if values.hours is None or values.hours <= 0 or values.hours > MAX_HOURS:
        errors["hours"] = [_("Enter how many hours the session lasted: more than 0 and at most 24.")]
    if not (values.topic or "").strip():
        errors["topic"] = [_("Enter the topic of the session.")]
    wanted = list(dict.fromkeys(attendee_ids))
    # Only the people marked are read (not every enrolment of a project of thousands).
    enrolments = {str(e.id): e for e in enrolments_by_ids_for_project(project.id, _uuids(wanted))}
    chosen = [enrolments[i] for i in wanted if i in enrolments]
    if len(chosen) != len(wanted):
        errors["attendees"] = [_("Some of the people marked are not enrolled in this project; "
                                 "reload the page and mark them again.")]
    elif not chosen:
        errors["attendees"] = [_("Mark at least one person who attended.")]
    elif "held_on" not in errors:
        outside = [f"{e.participant.full_name} ({format_day(e.entry_date)} – "
                   f"{format_day(e.exit_date) if e.exit_date else _('now')})"
                   for e in chosen if episode_errors(e, day, day, None, today)]
        if outside:
            errors["attendees"] = [_("On %(day)s these people were not taking part in the project: %(names)s. "
                                     "Unmark them or correct their enrolment.",
                                     day=format_day(day), names="; ".join(outside))]
    if errors:
        raise ValidationFailed(errors)
    return chosen


def _uuids(values: list[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue   # not an id: counted as "not enrolled" by the caller
    return found


def _apply(session: GroupSession, values: SessionValues) -> None:
    session.instrument, session.held_on, session.hours = values.instrument, values.held_on, values.hours
    session.topic = values.topic.strip()
    session.place = (values.place or "").strip() or None
    session.instructor = (values.instructor or "").strip() or None


def _apply_episode(episode: SupportEpisode, session: GroupSession) -> None:
    episode.instrument, episode.start_date, episode.end_date = session.instrument, session.held_on, session.held_on
    episode.hours = session.hours
    episode.notes = _("Group session: %(topic)s", topic=session.topic)


def _attend(session: GroupSession, enrolment: Enrolment) -> None:
    episode = SupportEpisode(enrolment_id=enrolment.id)
    _apply_episode(episode, session)
    db.session.add(episode)
    session.attendance.append(SessionAttendance(enrolment_id=enrolment.id, episode=episode))

