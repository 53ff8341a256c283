"""Reads of participants, scoped to the current tenant by the tenancy module."""
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select

from regionet.platform.accounts.models import User
from regionet.platform.extensions import db
from regionet.platform.regions.models import TerytUnit
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery, Page, paginate, search_words, sort_order
from regionet.platform.ui.polish import contains_word, folded_words
from regionet.tenants.projects.models import Project
from regionet.tenants.referrals.queries import counts_for_tenant_with
from regionet.tenants.support.models import Enrolment
from regionet.tenants.tallies.queries import participant_total_column

from .models import LabourStatus, Participant, SensitiveAnswer, Sex
from .pesel import normalise_pesel

# Name order is the Polish alphabet's, kept by the database in `name_key` (migration 0013); it
# follows the (tenant_id, name_key) index, so the first page needs no sort.
SORTABLE = {
    "name": Participant.name_key,
    "birth_date": Participant.birth_date,
    "commune": TerytUnit.name_key,
    "status": Participant.labour_status,
    "created": Participant.created_at,
}
FILTERS = ("sex", "labour_status", "disability", "commune")
_FILTER_VALUES = {"sex": Sex, "labour_status": LabourStatus, "disability": SensitiveAnswer}


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """One line of the participant list: only the columns it shows."""
    id: uuid.UUID
    first_name: str
    last_name: str
    pesel: str | None
    birth_date: date
    sex: Sex
    labour_status: LabourStatus
    created_at: datetime
    commune_name: str | None


# What a list line reads: a page of 50 lines loads these rather than 50 whole records.
_ROW_COLUMNS = (Participant.id, Participant.first_name, Participant.last_name, Participant.pesel,
                Participant.birth_date, Participant.sex, Participant.labour_status, Participant.created_at,
                Participant.commune_code)


@dataclass(frozen=True)
class EnrolmentLine:
    enrolment_id: uuid.UUID
    project_title: str
    entry_date: date
    exit_date: date | None


def access_participant(participant_id: uuid.UUID) -> Participant:
    return get_for_tenant_or_404(Participant, participant_id)


def participant_with_pesel_for_tenant(pesel: str, except_id: uuid.UUID | None = None) -> Participant | None:
    statement = select(Participant).where(Participant.pesel == pesel)
    if except_id is not None:
        statement = statement.where(Participant.id != except_id)
    return db.session.execute(statement.limit(1)).scalar_one_or_none()


def registered_pesels_for_tenant() -> dict[str, uuid.UUID]:
    """Every PESEL the institution has registered, with the participant's id (for imports)."""
    return dict(db.session.execute(select(Participant.pesel, Participant.id).where(Participant.pesel.is_not(None))).all())


def name_or_pesel_search(q: str) -> list:
    """One clause per word: digits are part of a PESEL, other words part of the first or last name,
    ignoring case and diacritics (the folded name has a trigram index)."""
    words = search_words(q)
    names = iter(folded_words([word for word in words if not word.isdigit()]))
    return [Participant.pesel.contains(word, autoescape=True) if word.isdigit()
            else contains_word(Participant.search_text, next(names), already_folded=True) for word in words]


PICK_LIMIT = 20


@dataclass(frozen=True)
class PickedPerson:
    """What a person picker shows of one person: enough to tell two namesakes apart, nothing more."""

    id: uuid.UUID
    last_name: str
    first_name: str
    pesel: str | None
    birth_date: date


def people_to_pick_for_tenant(q: str, limit: int = PICK_LIMIT) -> list[PickedPerson]:
    """The institution's people whose name (ignoring case and diacritics) or PESEL contains every word
    of `q`, in Polish name order, at most `limit` (a type-ahead's answer: identity columns only)."""
    if not search_words(q):
        return []
    rows = db.session.execute(
        select(Participant.id, Participant.last_name, Participant.first_name, Participant.pesel, Participant.birth_date)
        .where(*name_or_pesel_search(q), Participant.anonymised_at.is_(None))
        .order_by(Participant.name_key, Participant.id).limit(limit)).all()
    return [PickedPerson(*row) for row in rows]


def person_to_pick_for_tenant(participant_id) -> PickedPerson | None:
    """The one person a picker's answer names (kept in a form that comes back with errors)."""
    try:
        participant_id = uuid.UUID(str(participant_id))
    except ValueError:
        return None
    row = db.session.execute(
        select(Participant.id, Participant.last_name, Participant.first_name, Participant.pesel, Participant.birth_date)
        .where(Participant.id == participant_id, Participant.anonymised_at.is_(None))).one_or_none()
    return PickedPerson(*row) if row else None


def listing_statement(listing: ListQuery) -> Select:
    """The participants a list (or its export) shows: search and filters applied, not paginated."""
    statement = select(Participant)
    if listing.sort == "commune":  # only this order needs the communes' names in the query
        statement = statement.outerjoin(TerytUnit, TerytUnit.code == Participant.commune_code)
    if listing.q:
        words = listing.q.split()
        pesel_like = normalise_pesel(listing.q)
        if pesel_like.isdigit() and len(words) == 1:
            statement = statement.where(Participant.pesel.startswith(pesel_like, autoescape=True))
        else:
            statement = statement.where(*name_or_pesel_search(listing.q))
    for name, enum_class in _FILTER_VALUES.items():
        value = listing.filters.get(name)
        if value in {member.value for member in enum_class}:
            statement = statement.where(getattr(Participant, name) == enum_class(value))
    if listing.filters.get("commune"):
        statement = statement.where(Participant.commune_code == listing.filters["commune"])
    return statement


def participants_for_tenant(listing: ListQuery, commune_names: Mapping[str, str]) -> Page:
    # The whole list's total is kept by a trigger (tenants/tallies): no count of every row. It is
    # read in the round trip of the workspace's referral badge, which the layout then reuses.
    total = None if listing.q or listing.filters else (
        counts_for_tenant_with(today_in_poland(), participant_total_column()) or 0)
    return paginate(listing_statement(listing).with_only_columns(*_ROW_COLUMNS), listing, SORTABLE,
                    tiebreaker=Participant.id, scalars=False, total=total,
                    row_mapper=lambda row: ParticipantRow(*row[:-1], commune_names.get(row[-1] or "")))


def sorted_listing_statement(listing: ListQuery) -> Select:
    return listing_statement(listing).order_by(*sort_order(SORTABLE, listing), Participant.id)


def registered_by(participant: Participant) -> str | None:
    user = db.session.get(User, participant.created_by_id) if participant.created_by_id else None
    return user.full_name if user else None


def enrolments_of(participant: Participant) -> list[EnrolmentLine]:
    rows = db.session.execute(
        select(Enrolment.id, Project.title, Enrolment.entry_date, Enrolment.exit_date)
        .select_from(Enrolment).join(Enrolment.project)
        .where(Enrolment.participant_id == participant.id)
        .order_by(Enrolment.entry_date.desc())).all()
    return [EnrolmentLine(*row) for row in rows]


def enrolment_count(participant: Participant) -> int:
    return db.session.execute(
        select(func.count()).select_from(Enrolment).where(Enrolment.participant_id == participant.id)).scalar_one()
