"""Tenant-scoped reads of enrolments, support episodes and outcomes."""
import uuid
from datetime import date

from sqlalchemy import Select, and_, func, not_, or_, select
from sqlalchemy.orm import contains_eager

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.listing import ListQuery, Page, paginate
from regionet.tenants.indicators.sql import add_days, add_months
from regionet.tenants.participants.models import LabourStatus, Participant
from regionet.tenants.participants.queries import name_or_pesel_search
from regionet.tenants.projects.models import Project

from .models import (
    IMMEDIATE_RESULT_WINDOW,
    LONGER_TERM_RESULT_MONTHS,
    Enrolment,
    Instrument,
    Outcome,
    OutcomeKind,
    SupportEpisode,
)

PARTICIPANT_SEARCH_LIMIT = 20

ENROLMENT_SORTABLE = {"name": Participant.name_key, "entry": Enrolment.entry_date, "exit": Enrolment.exit_date,
                      "status": Enrolment.status_at_entry}
ENROLMENT_FILTERS = ("status", "state")
EPISODE_SORTABLE = {"name": Participant.name_key, "instrument": SupportEpisode.instrument,
                    "start": SupportEpisode.start_date, "end": SupportEpisode.end_date, "hours": SupportEpisode.hours}
EPISODE_FILTERS = ("instrument",)
OUTCOME_SORTABLE = {"name": Participant.name_key, "kind": Outcome.kind, "date": Outcome.achieved_on}
OUTCOME_FILTERS = ("kind", "window")


def access_enrolment(enrolment_id: uuid.UUID) -> Enrolment:
    return get_for_tenant_or_404(Enrolment, enrolment_id)


def access_episode(episode_id: uuid.UUID) -> SupportEpisode:
    return get_for_tenant_or_404(SupportEpisode, episode_id)


def access_outcome(outcome_id: uuid.UUID) -> Outcome:
    return get_for_tenant_or_404(Outcome, outcome_id)


def participant_for_tenant(participant_id: uuid.UUID | None) -> Participant | None:
    if participant_id is None:
        return None
    return db.session.execute(select(Participant).where(Participant.id == participant_id)).scalar_one_or_none()


def search_participants_for_tenant(q: str, limit: int = PARTICIPANT_SEARCH_LIMIT) -> list[Participant]:
    """Participants whose name or PESEL contains every word of `q` (for choosing whom to enrol)."""
    if not q.strip():
        return []
    return list(db.session.execute(
        select(Participant).where(*name_or_pesel_search(q))
        .order_by(Participant.name_key, Participant.id).limit(limit)).scalars())


def enrolment_of_for_tenant(project_id: uuid.UUID, participant_id: uuid.UUID) -> Enrolment | None:
    return db.session.execute(select(Enrolment).where(
        Enrolment.project_id == project_id, Enrolment.participant_id == participant_id)).scalar_one_or_none()


def projects_open_to(participant_id: uuid.UUID) -> list[Project]:
    """The institution's projects the person is not enrolled in, the most recent first."""
    enrolled = select(Enrolment.project_id).where(Enrolment.participant_id == participant_id)
    return list(db.session.execute(select(Project).where(Project.id.not_in(enrolled))
                                   .order_by(Project.end_date.desc(), Project.id)).scalars())


def projects_open_to_all(participant_ids: list[uuid.UUID]) -> list[Project]:
    """The projects none of these people is enrolled in, the most recent first."""
    enrolled = select(Enrolment.project_id).where(Enrolment.participant_id.in_(participant_ids))
    return list(db.session.execute(select(Project).where(Project.id.not_in(enrolled))
                                   .order_by(Project.end_date.desc(), Project.id)).scalars())


def participants_by_ids_for_tenant(ids: list[uuid.UUID]) -> list[Participant]:
    if not ids:
        return []
    return list(db.session.execute(select(Participant).where(Participant.id.in_(ids))
                                   .order_by(Participant.name_key, Participant.id)).scalars())


def enrolments_by_ids_for_project(project_id: uuid.UUID, ids: list[uuid.UUID]) -> list[Enrolment]:
    if not ids:
        return []
    return list(db.session.execute(
        select(Enrolment).join(Participant, Participant.id == Enrolment.participant_id)
        .options(contains_eager(Enrolment.participant))
        .where(Enrolment.project_id == project_id, Enrolment.id.in_(ids))
        .order_by(Participant.name_key, Enrolment.id)).scalars().unique())


def enrolled_participant_ids_for_project(project_id: uuid.UUID, participant_ids: list[uuid.UUID]) -> set:
    if not participant_ids:
        return set()
    return set(db.session.execute(select(Enrolment.participant_id).where(
        Enrolment.project_id == project_id, Enrolment.participant_id.in_(participant_ids))).scalars())


def support_span_for_enrolment(enrolment_id: uuid.UUID) -> tuple[date | None, date | None]:
    """(earliest date of any support or outcome, latest date of any support) of one enrolment."""
    first_episode, last_episode = db.session.execute(
        select(func.min(SupportEpisode.start_date),
               func.max(func.coalesce(SupportEpisode.end_date, SupportEpisode.start_date)))
        .where(SupportEpisode.enrolment_id == enrolment_id)).one()
    first_outcome = db.session.execute(
        select(func.min(Outcome.achieved_on)).where(Outcome.enrolment_id == enrolment_id)).scalar_one()
    firsts = [d for d in (first_episode, first_outcome) if d is not None]
    return (min(firsts) if firsts else None), last_episode


def _person_search(statement: Select, q: str) -> Select:
    if q:
        statement = statement.where(*name_or_pesel_search(q))
    return statement


def _enrolments(project_id: uuid.UUID, listing: ListQuery, today: date) -> Select:
    statement = _person_search(
        select(Enrolment).join(Participant, Participant.id == Enrolment.participant_id)
        .options(contains_eager(Enrolment.participant)).where(Enrolment.project_id == project_id), listing.q)
    status = listing.filters.get("status")
    if status in {s.value for s in LabourStatus}:
        statement = statement.where(Enrolment.status_at_entry == LabourStatus(status))
    state = listing.filters.get("state")
    has_left = and_(Enrolment.exit_date.is_not(None), Enrolment.exit_date <= today)
    if state == "left":
        statement = statement.where(has_left)
    elif state == "active":
        statement = statement.where(not_(has_left))
    return statement


def enrolments_for_project(project_id: uuid.UUID, listing: ListQuery, today: date) -> Page:
    page = paginate(_enrolments(project_id, listing, today), listing, ENROLMENT_SORTABLE, tiebreaker=Enrolment.id)
    _attach_counts(page.items)
    return page


def all_enrolments_for_project(project_id: uuid.UUID, listing: ListQuery, today: date) -> list[Enrolment]:
    items = _all(_enrolments(project_id, listing, today), listing, ENROLMENT_SORTABLE, Enrolment.id)
    _attach_counts(items)
    return items


def _attach_counts(enrolments: list[Enrolment]) -> None:
    ids = [e.id for e in enrolments]
    episodes, outcomes = {}, {}
    if ids:
        episodes = dict(db.session.execute(select(SupportEpisode.enrolment_id, func.count())
                                           .where(SupportEpisode.enrolment_id.in_(ids))
                                           .group_by(SupportEpisode.enrolment_id)).all())
        outcomes = dict(db.session.execute(select(Outcome.enrolment_id, func.count())
                                           .where(Outcome.enrolment_id.in_(ids)).group_by(Outcome.enrolment_id)).all())
    for enrolment in enrolments:
        enrolment.episode_count = episodes.get(enrolment.id, 0)
        enrolment.outcome_count = outcomes.get(enrolment.id, 0)


def _all(statement: Select, listing: ListQuery, sortable: dict, tiebreaker) -> list:
    column = sortable[listing.sort]
    return list(db.session.execute(
        statement.order_by(column.desc() if listing.descending else column.asc(), tiebreaker)).scalars().unique())


def _episodes(project_id: uuid.UUID, listing: ListQuery) -> Select:
    statement = _person_search(
        select(SupportEpisode).join(Enrolment, Enrolment.id == SupportEpisode.enrolment_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .options(contains_eager(SupportEpisode.enrolment).contains_eager(Enrolment.participant))
        .where(Enrolment.project_id == project_id), listing.q)
    instrument = listing.filters.get("instrument")
    if instrument in {i.value for i in Instrument}:
        statement = statement.where(SupportEpisode.instrument == Instrument(instrument))
    return statement


def episodes_for_project(project_id: uuid.UUID, listing: ListQuery) -> Page:
    return paginate(_episodes(project_id, listing), listing, EPISODE_SORTABLE, tiebreaker=SupportEpisode.id)


def all_episodes_for_project(project_id: uuid.UUID, listing: ListQuery) -> list[SupportEpisode]:
    return _all(_episodes(project_id, listing), listing, EPISODE_SORTABLE, SupportEpisode.id)


def within_four_weeks():
    return and_(Enrolment.exit_date.is_not(None),
                Outcome.achieved_on <= add_days(Enrolment.exit_date, IMMEDIATE_RESULT_WINDOW.days))


def within_six_months():
    return and_(Enrolment.exit_date.is_not(None),
                Outcome.achieved_on <= add_months(Enrolment.exit_date, LONGER_TERM_RESULT_MONTHS))


def _outcomes(project_id: uuid.UUID, listing: ListQuery) -> Select:
    statement = _person_search(
        select(Outcome).join(Enrolment, Enrolment.id == Outcome.enrolment_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .options(contains_eager(Outcome.enrolment).contains_eager(Enrolment.participant))
        .where(Enrolment.project_id == project_id), listing.q)
    kind = listing.filters.get("kind")
    if kind in {k.value for k in OutcomeKind}:
        statement = statement.where(Outcome.kind == OutcomeKind(kind))
    window = listing.filters.get("window")
    if window == "4w":
        statement = statement.where(within_four_weeks())
    elif window == "6m":
        statement = statement.where(within_six_months())
    elif window == "later":
        statement = statement.where(Enrolment.exit_date.is_not(None), not_(within_six_months()))
    elif window == "in_project":
        statement = statement.where(or_(Enrolment.exit_date.is_(None), Outcome.achieved_on <= Enrolment.exit_date))
    return statement


def outcomes_for_project(project_id: uuid.UUID, listing: ListQuery) -> Page:
    return paginate(_outcomes(project_id, listing), listing, OUTCOME_SORTABLE, tiebreaker=Outcome.id)


def all_outcomes_for_project(project_id: uuid.UUID, listing: ListQuery) -> list[Outcome]:
    return _all(_outcomes(project_id, listing), listing, OUTCOME_SORTABLE, Outcome.id)


