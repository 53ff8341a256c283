"""Reads of working groups: fetch-and-authorize (`access_*`, 404 for anybody outside the group) and
the lists of the current institution. The ORM scope already limits every read to the groups the
institution owns or was invited to (sharing.PartySetShared)."""
import uuid
from datetime import date, datetime

from sqlalchemy import or_, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id, get_for_tenant_or_404
from regionet.platform.tenancy.sharing import get_owned_or_404

from .models import (
    ActionItem,
    ActionState,
    AgendaDocument,
    AgendaItem,
    Attendance,
    GroupMember,
    Meeting,
    Presence,
    WorkingGroup,
)

UNEXCUSED_IN_A_ROW = 3   # RKRES (act on social economy): the marshal may dismiss a member after three


def access_group(group_id: uuid.UUID) -> WorkingGroup:
    return get_for_tenant_or_404(WorkingGroup, group_id)


def access_own_group(group_id: uuid.UUID) -> WorkingGroup:
    """A group the current institution owns (its settings and invitations)."""
    return get_owned_or_404(WorkingGroup, group_id)


def access_member(member_id: uuid.UUID) -> GroupMember:
    return get_for_tenant_or_404(GroupMember, member_id)


def access_meeting(meeting_id: uuid.UUID) -> Meeting:
    return get_for_tenant_or_404(Meeting, meeting_id)


def access_agenda_item(agenda_item_id: uuid.UUID) -> AgendaItem:
    return get_for_tenant_or_404(AgendaItem, agenda_item_id)


def access_document(document_id: uuid.UUID, with_data: bool = False) -> AgendaDocument:
    """A document of an agenda item: only the group's institutions find it (404 for everybody else)."""
    from sqlalchemy.orm import undefer

    return get_for_tenant_or_404(AgendaDocument, document_id, *((undefer(AgendaDocument.data),) if with_data else ()))


def access_action(action_id: uuid.UUID) -> ActionItem:
    return get_for_tenant_or_404(ActionItem, action_id)


def groups_for_tenant() -> list[WorkingGroup]:
    """Every group the institution owns or belongs to (invitations included)."""
    return list(db.session.execute(select(WorkingGroup).order_by(WorkingGroup.name, WorkingGroup.id)).scalars())


def meetings_of(group: WorkingGroup) -> list[Meeting]:
    return list(db.session.execute(select(Meeting).where(
        Meeting.tenant_id == group.tenant_id, Meeting.group_id == group.id)
        .order_by(Meeting.starts_at.desc())).scalars())


def actions_of(group: WorkingGroup) -> list[ActionItem]:
    """Open tasks first (carried over until done, by deadline), then the done ones."""
    return list(db.session.execute(select(ActionItem).where(
        ActionItem.tenant_id == group.tenant_id, ActionItem.group_id == group.id)
        .order_by(ActionItem.state.desc(), ActionItem.deadline, ActionItem.id)).scalars())


def open_actions(group: WorkingGroup) -> list[ActionItem]:
    """What every meeting carries over: the group's tasks still open."""
    return [a for a in actions_of(group) if a.state is ActionState.OPEN]


def absence_alerts(group: WorkingGroup, now: datetime) -> list[tuple[GroupMember, int]]:
    """Members whose latest recorded meetings are at least three unexcused absences in a row
    (an excused absence or a presence breaks the run; meetings without a record are skipped)."""
    rows = db.session.execute(
        select(Attendance.member_id, Attendance.presence).join(
            Meeting, (Meeting.tenant_id == Attendance.tenant_id) & (Meeting.id == Attendance.meeting_id))
        .where(Attendance.tenant_id == group.tenant_id, Attendance.group_id == group.id,
               Attendance.member_id.is_not(None), Attendance.presence != Presence.UNKNOWN, Meeting.starts_at < now)
        .order_by(Meeting.starts_at.desc())).all()
    runs: dict = {}
    broken: set = set()
    for member_id, presence in rows:
        if member_id in broken:
            continue
        if presence is Presence.ABSENT:
            runs[member_id] = runs.get(member_id, 0) + 1
        else:
            broken.add(member_id)
    members = {m.id: m for m in group.members}
    return [(members[m], n) for m, n in runs.items() if n >= UNEXCUSED_IN_A_ROW and m in members]


def overdue_actions_for_tenant(today: date) -> list[ActionItem]:
    """Open tasks past their deadline owned by the current institution or one of its people."""
    tenant = current_tenant_id()
    return list(db.session.execute(
        select(ActionItem).outerjoin(GroupMember, (GroupMember.tenant_id == ActionItem.tenant_id)
                                     & (GroupMember.id == ActionItem.owner_member_id))
        .where(ActionItem.state == ActionState.OPEN, ActionItem.deadline < today,
               or_(ActionItem.owner_institution_id == tenant, GroupMember.institution_id == tenant))
        .order_by(ActionItem.deadline, ActionItem.id)).scalars())
