"""Reads of referrals. The ORM scope lets an institution read the referrals it sent or received
(tenancy/sharing.py, `PartyShared`) and nothing else; these queries pick the side."""
import functools
import uuid
from dataclasses import dataclass
from datetime import date

from flask import g, has_request_context
from sqlalchemy import Select, and_, bindparam, func, or_, select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import current_tenant_id, get_for_tenant_or_404
from regionet.platform.tenancy.criteria import built_once
from regionet.platform.tenancy.sharing import owned_only
from regionet.platform.ui.listing import ListQuery, Page, paginate
from regionet.platform.ui.polish import folded, folded_words
from regionet.tenants.participants.models import Participant
from regionet.tenants.service_catalogue.models import Service, ServiceStatus

from .models import WAITING_STATES, Referral, ReferralEvent, ReferralState

LIST_SORTABLE = {"sent": Referral.sent_at, "due": Referral.due_on, "state": Referral.state}
LIST_FILTERS = ("state", "service", "waiting")


def access_referral(referral_id: uuid.UUID) -> Referral:
    """A referral the institution sent or received; any other answers 404."""
    return get_for_tenant_or_404(Referral, referral_id)


def side_of(referral: Referral) -> str:
    return "sender" if referral.tenant_id == current_tenant_id() else "receiver"


def _overdue(today: date):
    return and_(Referral.state.in_(list(WAITING_STATES)), Referral.due_on < today)


def _list_statement(incoming: bool, listing: ListQuery, today: date) -> Select:
    mine = Referral.receiver_tenant_id == current_tenant_id() if incoming else owned_only(Referral)
    statement = select(Referral).where(mine)
    chosen = listing.filters
    if chosen.get("state") in {s.value for s in ReferralState}:
        statement = statement.where(Referral.state == chosen["state"])
    if chosen.get("service"):
        try:
            statement = statement.where(Referral.service_id == uuid.UUID(chosen["service"]))
        except ValueError:
            statement = statement.where(False)
    if chosen.get("waiting") == "overdue":
        statement = statement.where(_overdue(today))
    elif chosen.get("waiting") == "open":
        statement = statement.where(Referral.state.in_([ReferralState.SENT, ReferralState.RECEIVED,
                                                        ReferralState.ACCEPTED, ReferralState.STARTED]))
    return statement


def referrals_for_tenant(incoming: bool, listing: ListQuery, today: date) -> Page:
    return paginate(_list_statement(incoming, listing, today), listing, LIST_SORTABLE, tiebreaker=Referral.id)


def services_in_list(incoming: bool) -> list[tuple[str, str]]:
    mine = Referral.receiver_tenant_id == current_tenant_id() if incoming else owned_only(Referral)
    rows = db.session.execute(select(Referral.service_id, func.min(Referral.service_name)).where(mine)
                              .group_by(Referral.service_id).order_by(func.min(Referral.service_name))).all()
    return [(str(service_id), name) for service_id, name in rows]


@dataclass(frozen=True)
class Counts:
    incoming_waiting: int
    incoming_overdue: int
    outgoing_overdue: int

    @property
    def needing_attention(self) -> int:
        return self.incoming_waiting + self.outgoing_overdue


def counts_for_tenant(today: date) -> Counts:
    """The top bar's numbers, one query over the waiting referrals only (the (tenant, state) and
    (receiver, state) indexes find them): incoming waiting to be accepted, and overdue both ways.
    Asked once per request (the top bar and the lists share it)."""
    cached = g.get("_referral_counts") if has_request_context() else None
    if cached is not None:
        return cached
    counts, _value = _read_counts(today)
    return counts


def counts_for_tenant_with(today: date, column):
    """`column` (a scalar subquery of the institution's, a tally say) read in the same round trip
    as the top bar's counts, which the rest of the request then reuses: a page that needs one
    figure of its own pays no extra round trip for the badge. `column` is built once (the
    institution is its execution parameter `tenant_id`), so the statement is too."""
    _counts, value = _read_counts(today, column)
    return value


@functools.cache
def _counts_statement(*extra) -> Select:
    """Built once (with each `extra`), the tenant and the day as execution parameters; the tenant
    criteria scope it once per institution (tenancy.criteria.built_once)."""
    tenant, today = bindparam("tenant_id"), bindparam("today")
    incoming = Referral.receiver_tenant_id == tenant
    late = Referral.due_on < today
    return built_once(select(
        func.count().filter(incoming), func.count().filter(incoming, late),
        func.count().filter(Referral.tenant_id == tenant, late), *extra)
        .where(Referral.state.in_(list(WAITING_STATES))))


def _read_counts(today: date, *extra) -> tuple[Counts, object]:
    row = db.session.execute(_counts_statement(*extra), {"tenant_id": current_tenant_id(), "today": today}).one()
    counts = Counts(*row[:3])
    if has_request_context():
        g._referral_counts = counts
    return counts, (row[3] if extra else None)


def events_of(referral: Referral) -> list[ReferralEvent]:
    return list(db.session.execute(select(ReferralEvent).where(
        ReferralEvent.tenant_id == referral.tenant_id, ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.at, ReferralEvent.id)).scalars())


def referrals_of_participant(participant: Participant) -> list[tuple[Referral, list[ReferralEvent]]]:
    """The sender's referrals of one of its people, each with its dated events."""
    referrals = db.session.execute(select(Referral).where(
        owned_only(Referral), Referral.participant_id == participant.id).order_by(Referral.sent_at.desc())).scalars()
    return [(referral, events_of(referral)) for referral in referrals]


def accepting_services() -> list[tuple[Service, Institution]]:
    """Published services of other institutions of the region that accept referrals now."""
    return list(db.session.execute(
        select(Service, Institution).join(Institution, Institution.id == Service.tenant_id)
        .where(Service.published.is_(True), Service.accepts_referrals.is_(True),
               Service.status == ServiceStatus.ACTIVE, Service.tenant_id != current_tenant_id(),
               Institution.is_active.is_(True))
        .order_by(Institution.short_name, Service.name_key)).all())


def accepting_service(service_id: uuid.UUID) -> Service | None:
    for service, _institution in accepting_services():
        if service.id == service_id:
            return service
    return None


def candidates_for(referral: Referral) -> list[Participant]:
    """The receiver's people who may be the referred person: the same PESEL, or the same name."""
    payload = referral.payload or {}
    conditions = []
    if payload.get("pesel"):
        conditions.append(Participant.pesel == payload["pesel"])
    if payload.get("first_name") and payload.get("last_name"):
        first, last = folded_words([payload["first_name"], payload["last_name"]])
        conditions.append(and_(folded(Participant.first_name) == first, folded(Participant.last_name) == last))
    if not conditions:
        return []
    return list(db.session.execute(select(Participant).where(
        Participant.tenant_id == current_tenant_id(), or_(*conditions)).limit(10)).scalars())


def participant_with_pesel(pesel: str | None) -> Participant | None:
    if not pesel:
        return None
    return db.session.execute(select(Participant).where(
        Participant.tenant_id == current_tenant_id(), Participant.pesel == pesel)).scalar_one_or_none()


def referral_days_of(participant_id: uuid.UUID) -> list[tuple[date, str, str, str, uuid.UUID]]:
    """The dated steps of a person's referrals for their timeline: (day, state, service, other
    institution, referral id); the sender's referrals of its record, and those the receiver linked
    to its own record of the person."""
    tenant = current_tenant_id()
    sender, receiver = Institution.__table__.alias("sender"), Institution.__table__.alias("receiver")
    rows = db.session.execute(
        select(func.coalesce(ReferralEvent.on_day, func.date(func.timezone("Europe/Warsaw", ReferralEvent.at))),
               ReferralEvent.state, Referral.service_name,
               func.coalesce(func.nullif(receiver.c.short_name, ""), receiver.c.name),
               sender.c.short_name, Referral.tenant_id, Referral.id)
        .join(Referral, and_(Referral.tenant_id == ReferralEvent.tenant_id, Referral.id == ReferralEvent.referral_id))
        .join(sender, sender.c.id == Referral.tenant_id).join(receiver, receiver.c.id == Referral.receiver_tenant_id)
        .where(or_(and_(Referral.tenant_id == tenant, Referral.participant_id == participant_id),
                   and_(Referral.receiver_tenant_id == tenant, Referral.receiver_participant_id == participant_id)),
               ReferralEvent.state != "received")).all()
    return [(day, state, service, receiver_name if owner == tenant else sender_name, referral_id)
            for day, state, service, receiver_name, sender_name, owner, referral_id in rows]
