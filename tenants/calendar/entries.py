"""What an institution's calendar holds, in its tenant scope: the meetings of its working groups,
the deadlines of the group tasks it owns, its agreements ending, the statutory reporting deadlines
of its type (platform/calendar: data the operator corrects) and, on the calendar page and the feed,
the days by which received referrals must be accepted (counted per day and service: no person)."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from regionet.platform.calendar.deadlines import deadlines_for_kind, occurrences
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.ui.formatting import to_local_time
from regionet.tenants.groups.models import ActionItem, ActionState, GroupMember, Meeting
from regionet.tenants.partners.models import Agreement
from regionet.tenants.referrals.models import WAITING_STATES, Referral

MEETING, TASK, AGREEMENT, DEADLINE, REFERRALS = "meeting", "task", "agreement", "deadline", "referrals"


@dataclass(frozen=True)
class Entry:
    kind: str
    day: date
    title: str
    detail: str
    uid: str
    url: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def _meetings(institution: Institution, start: date, end: date) -> list[Entry]:
    since = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(days=1)
    until = datetime.combine(end, time.max, tzinfo=UTC) + timedelta(days=1)
    meetings = db.session.execute(select(Meeting).where(Meeting.starts_at.between(since, until))
                                  .order_by(Meeting.starts_at)).scalars()
    return [Entry(MEETING, to_local_time(m.starts_at).date(), f"{m.group.name}: {m.title}", m.place or m.online_url or "",
                  f"meeting-{m.id}@regionet", url_for("tenant_meetings.detail", tenant=institution.slug, meeting_id=m.id),
                  m.starts_at, m.ends_at) for m in meetings if start <= to_local_time(m.starts_at).date() <= end]


def _tasks(institution: Institution, start: date, end: date) -> list[Entry]:
    tasks = db.session.execute(
        select(ActionItem).outerjoin(GroupMember, (GroupMember.tenant_id == ActionItem.tenant_id)
                                     & (GroupMember.id == ActionItem.owner_member_id))
        .where(ActionItem.state == ActionState.OPEN, ActionItem.deadline.between(start, end),
               or_(ActionItem.owner_institution_id == institution.id, GroupMember.institution_id == institution.id))
        .order_by(ActionItem.deadline)).scalars()
    return [Entry(TASK, a.deadline, _("Task deadline: %(title)s", title=a.title), f"{a.group.name} · {a.owner_label}",
                  f"task-{a.id}@regionet", url_for("tenant_groups.detail", tenant=institution.slug, group_id=a.group_id))
            for a in tasks]


def _agreements(institution: Institution, start: date, end: date) -> list[Entry]:
    agreements = db.session.execute(select(Agreement).where(Agreement.valid_to.between(start, end))
                                    .order_by(Agreement.valid_to)).scalars()
    return [Entry(AGREEMENT, a.valid_to, _("Agreement ends: %(title)s", title=a.title), a.number or "",
                  f"agreement-{a.id}-{a.valid_to.isoformat()}@regionet",
                  url_for("tenant_agreements.detail", tenant=institution.slug, agreement_id=a.id)) for a in agreements]


def _deadlines(institution: Institution, start: date, end: date) -> list[Entry]:
    entries = []
    for deadline in deadlines_for_kind(institution.kind.value):
        for day in occurrences(deadline, start, end):
            detail = f"{deadline.name} → {deadline.recipient}" + (f" ({deadline.period_note})" if deadline.period_note
                                                                   else "")
            entries.append(Entry(DEADLINE, day, _("Report due: %(form)s", form=deadline.form_code), detail,
                                 f"deadline-{deadline.id}-{institution.kind.value}-{day.isoformat()}@regionet"))
    return entries


def _referrals(institution: Institution, start: date, end: date) -> list[Entry]:
    """Received referrals waiting for acceptance, by their deadline and service (counts only)."""
    rows = db.session.execute(
        select(Referral.due_on, Referral.service_id, Referral.service_name, func.count())
        .where(Referral.receiver_tenant_id == institution.id, Referral.state.in_(list(WAITING_STATES)),
               Referral.due_on.between(start, end))
        .group_by(Referral.due_on, Referral.service_id, Referral.service_name)).all()
    return [Entry(REFERRALS, due_on, _("Referrals to accept: %(n)s", n=count), service_name,
                  f"referrals-{institution.id}-{service_id}-{due_on.isoformat()}@regionet",
                  url_for("tenant_referrals.index", tenant=institution.slug))
            for due_on, service_id, service_name, count in rows]


def entries_for_institution(institution: Institution, start: date, end: date,
                            referrals: bool = False) -> list[Entry]:
    """Everything on the institution's calendar from `start` to `end`, by day (meetings by hour).
    `referrals`: also the acceptance deadlines of received referrals (a view that shows them is
    `aggregates_only`: it reads the referrals only to count them)."""
    entries = (_meetings(institution, start, end) + _tasks(institution, start, end)
               + _agreements(institution, start, end) + _deadlines(institution, start, end)
               + (_referrals(institution, start, end) if referrals else []))
    return sorted(entries, key=lambda e: (e.day, e.starts_at or datetime.min.replace(tzinfo=UTC), e.kind, e.title))


def unconfirmed_deadlines(institution: Institution) -> list:
    """The institution type's reports whose day is not confirmed yet (listed, never put on a day)."""
    return [d for d in deadlines_for_kind(institution.kind.value) if d.due_day is None]
