"""Writes of working groups and meetings: one place for each change (`do_*`).

Every row inside a group is written with the group's owner (`tenant_id`) and `group_id`, whichever
party institution writes it; the tenancy layer lets a party write them (sharing.PartySetShared)."""
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select

from regionet.platform.accounts.models import Membership, User
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy.sharing import SharedParty
from regionet.platform.validation import ValidationFailed

from .models import (
    ActionItem,
    ActionState,
    AgendaDocument,
    AgendaItem,
    Attendance,
    GroupInstitution,
    GroupKind,
    GroupMember,
    Meeting,
    MemberRole,
    MinutesState,
    MinutesVersion,
    PartyStatus,
    Presence,
    Rsvp,
    WorkingGroup,
)


def _clean(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _in_group(group: WorkingGroup, **values) -> dict:
    return {"tenant_id": group.tenant_id, "group_id": group.id, **values}


def do_create_group(institution: Institution, user: User, name: str, kind: str, purpose: str,
                    link_note: str | None, creator_role: str = MemberRole.CHAIR.value) -> WorkingGroup:
    group = WorkingGroup(tenant_id=institution.id, name=name.strip(), kind=GroupKind(kind), purpose=purpose.strip(),
                         link_note=_clean(link_note), created_by_id=user.id)
    db.session.add(group)
    db.session.flush()
    db.session.add(GroupInstitution(**_in_group(group), institution_id=institution.id, status=PartyStatus.MEMBER,
                                    joined_at=datetime.now(UTC)))
    db.session.add(GroupMember(**_in_group(group), full_name=user.full_name, institution_id=institution.id,
                               user_id=user.id, role=MemberRole(creator_role)))
    db.session.flush()
    return group


def do_update_group(group: WorkingGroup, name: str, kind: str, purpose: str, link_note: str | None) -> None:
    group.name, group.kind, group.purpose = name.strip(), GroupKind(kind), purpose.strip()
    group.link_note = _clean(link_note)
    db.session.flush()


def invitable_institutions(group: WorkingGroup) -> list[Institution]:
    """Active institutions of the owner's region that are not in the group yet."""
    owner = db.session.get(Institution, group.tenant_id)
    taken = {party.institution_id for party in group.institutions}
    return [i for i in db.session.execute(
        select(Institution).where(Institution.region_code == owner.region_code, Institution.is_active.is_(True))
        .order_by(Institution.short_name)).scalars() if i.id not in taken]


def do_invite_institution(group: WorkingGroup, institution_id: int) -> GroupInstitution:
    """The owner invites an institution of its region: from now on it sees the group."""
    if institution_id not in {i.id for i in invitable_institutions(group)}:
        raise ValidationFailed.single("institution_id", _("Choose an institution of the region that is not in the "
                                                          "group yet."))
    db.session.add(SharedParty(tenant_id=group.tenant_id, party_set_id=group.id, institution_id=institution_id))
    db.session.flush()
    party = GroupInstitution(**_in_group(group), institution_id=institution_id, status=PartyStatus.INVITED)
    db.session.add(party)
    db.session.flush()
    return party


def party_of(group: WorkingGroup, institution_id: int) -> GroupInstitution | None:
    return next((p for p in group.institutions if p.institution_id == institution_id), None)


def do_accept_invitation(group: WorkingGroup, institution_id: int) -> None:
    party = party_of(group, institution_id)
    if party is None or party.status is not PartyStatus.INVITED:
        raise ValidationFailed.single("group", _("There is no pending invitation to this group."))
    party.status, party.joined_at = PartyStatus.MEMBER, datetime.now(UTC)
    db.session.flush()


def do_leave_group(group: WorkingGroup, institution_id: int) -> None:
    """An invited or member institution leaves (declines): its people leave with it, and it no longer
    sees the group. The owner cannot leave its own group."""
    if institution_id == group.tenant_id:
        raise ValidationFailed.single("group", _("The institution that owns the group cannot leave it."))
    party = party_of(group, institution_id)
    if party is None:
        raise ValidationFailed.single("group", _("Your institution is not in this group."))
    for member in [m for m in group.members if m.institution_id == institution_id]:
        _forget_member(member)
    db.session.delete(party)
    db.session.flush()
    # Last: once its party row goes, the institution no longer sees the group's rows.
    db.session.execute(db.delete(SharedParty).where(
        SharedParty.tenant_id == group.tenant_id, SharedParty.party_set_id == group.id,
        SharedParty.institution_id == institution_id))


def member_institution_ids(group: WorkingGroup) -> set[int]:
    return {p.institution_id for p in group.institutions if p.status is PartyStatus.MEMBER}


def candidate_people(group: WorkingGroup, institution_id: int) -> list[tuple[int, str]]:
    """Active staff of `institution_id` (a member institution) not yet in the group."""
    taken = {m.user_id for m in group.members if m.user_id}
    rows = db.session.execute(
        select(User.id, User.full_name).join(Membership, Membership.user_id == User.id)
        .where(Membership.institution_id == institution_id, Membership.suspended_at.is_(None))
        .order_by(User.full_name)).all()
    return [(user_id, name) for user_id, name in rows if user_id not in taken]


def do_add_member(group: WorkingGroup, institution_id: int, user_id: int | None, full_name: str | None,
                  organisation: str | None, role: str, term_from: date | None, term_to: date | None) -> GroupMember:
    """A person of the adding institution (an account), or a guest named with an organisation."""
    if user_id:
        if user_id not in {uid for uid, _name in candidate_people(group, institution_id)}:
            raise ValidationFailed.single("user_id", _("Choose a person of your institution who is not in the "
                                                       "group yet."))
        user = db.session.get(User, user_id)
        member = GroupMember(**_in_group(group), full_name=user.full_name, user_id=user.id,
                             institution_id=institution_id, role=MemberRole(role))
    else:
        errors = {}
        if not _clean(full_name):
            errors["full_name"] = [_("Choose a person of your institution or enter a guest's name.")]
        if not _clean(organisation):
            errors["organisation"] = [_("Enter the guest's organisation.")]
        if errors:
            raise ValidationFailed(errors)
        member = GroupMember(**_in_group(group), full_name=full_name.strip(), organisation=organisation.strip(),
                             role=MemberRole(role))
    member.term_from, member.term_to = term_from, term_to
    db.session.add(member)
    db.session.flush()
    for meeting in upcoming_meetings(group):
        db.session.add(Attendance(**_in_group(group), meeting_id=meeting.id, member_id=member.id))
    db.session.flush()
    return member


def _forget_member(member: GroupMember) -> None:
    for action in db.session.execute(select(ActionItem).where(ActionItem.owner_member_id == member.id)).scalars():
        action.owner_member_id = None
        action.owner_institution_id = action.owner_institution_id or member.institution_id or member.tenant_id
    db.session.flush()
    db.session.delete(member)


def do_remove_member(member: GroupMember) -> None:
    _forget_member(member)
    db.session.flush()


def upcoming_meetings(group: WorkingGroup) -> list[Meeting]:
    return list(db.session.execute(select(Meeting).where(
        Meeting.tenant_id == group.tenant_id, Meeting.group_id == group.id,
        Meeting.starts_at >= datetime.now(UTC))).scalars())


def _poland():
    """The platform's time zone: a meeting's wall-clock time in Poland, summer and winter time alike."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Warsaw"))


def do_save_meeting(group: WorkingGroup, meeting: Meeting | None, user: User, title: str, day: date, starts: time,
                    ends: time | None, place: str | None, online_url: str | None) -> Meeting:
    """Create or change a meeting; a new one invites every member of the group (RSVP)."""
    created = meeting is None
    if created:
        meeting = Meeting(**_in_group(group), created_by_id=user.id)
        db.session.add(meeting)
    meeting.title = title.strip()
    meeting.starts_at = datetime.combine(day, starts, tzinfo=_poland())
    meeting.ends_at = datetime.combine(day, ends, tzinfo=_poland()) if ends else None
    meeting.place, meeting.online_url = _clean(place), _clean(online_url)
    db.session.flush()
    if created:
        for member in group.members:
            db.session.add(Attendance(**_in_group(group), meeting_id=meeting.id, member_id=member.id))
        db.session.flush()
    return meeting


def do_send_invitations(meeting: Meeting) -> int:
    """E-mail the invitation (date, place, agenda, the meeting's page) to every member of the group
    who has an account; guests without one are invited by the secretary. Returns how many were sent."""
    from regionet.platform.mail.services import send_mail

    sent = 0
    for row in meeting.attendance:
        member = row.member
        if member is None or member.user_id is None or member.institution is None:
            continue
        if member.institution.office_of_region is not None:   # the coordinator: no workspace link to send
            continue
        user = db.session.get(User, member.user_id)
        if user is None or not user.is_active:
            continue
        send_mail(user.email, "groups/meeting_invitation", institution=db.session.get(Institution, meeting.tenant_id),
                  context={"meeting": meeting, "member": member, "slug": member.institution.slug})
        sent += 1
    return sent


def do_add_agenda_item(meeting: Meeting, title: str, presenter: str | None, duration: int | None,
                       notes: str | None) -> AgendaItem:
    position = (max((item.position for item in meeting.agenda), default=0)) + 1
    item = AgendaItem(tenant_id=meeting.tenant_id, group_id=meeting.group_id, meeting_id=meeting.id,
                      position=position, title=title.strip(), presenter=_clean(presenter),
                      duration_minutes=duration, notes=_clean(notes))
    db.session.add(item)
    db.session.flush()
    return item


def do_attach_document(item: AgendaItem, upload, user: User, institution_id: int, max_bytes: int) -> AgendaDocument:
    """A document for an agenda item, checked by its content as every attachment is
    (tenants/attachments/services.check_document); stored with the group for its institutions."""
    import hashlib

    from regionet.tenants.attachments.files import safe_file_name
    from regionet.tenants.attachments.services import check_document

    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationFailed.single("document", _("Choose a file to attach."))
    try:
        data, kind = check_document(upload, max_bytes)
    except ValueError as problem:
        raise ValidationFailed.single("document", str(problem)) from None
    document = AgendaDocument(tenant_id=item.tenant_id, group_id=item.group_id, agenda_item_id=item.id,
                              file_name=safe_file_name(upload.filename, kind), content_type=kind.mimetype,
                              size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                              uploaded_by_id=user.id, uploaded_by_institution_id=institution_id)
    item.documents.append(document)
    db.session.flush()
    return document


def do_remove_document(document: AgendaDocument) -> None:
    document.item.documents.remove(document)
    db.session.flush()


def do_delete_agenda_item(item: AgendaItem) -> None:
    meeting = item.meeting
    db.session.delete(item)
    db.session.flush()
    for position, rest in enumerate(sorted((i for i in meeting.agenda if i is not item), key=lambda i: i.position),
                                    start=1):
        rest.position = position
    db.session.flush()


def do_set_rsvp(meeting: Meeting, user: User, answer: str) -> Attendance:
    row = next((a for a in meeting.attendance if a.member and a.member.user_id == user.id), None)
    if row is None:
        raise ValidationFailed.single("rsvp", _("You are not invited to this meeting as a member of the group."))
    row.rsvp = Rsvp(answer)
    db.session.flush()
    return row


def do_record_attendance(meeting: Meeting, marks: dict[str, tuple[str, str | None]]) -> None:
    """`marks`: attendance row id -> (presence, substitute). Rows of other meetings are ignored."""
    for row in meeting.attendance:
        mark = marks.get(str(row.id))
        if mark is None:
            continue
        presence, substitute = mark
        row.presence = Presence(presence)
        row.substitute = _clean(substitute) if row.member_id else None
    db.session.flush()


def do_add_guest(meeting: Meeting, name: str, organisation: str) -> Attendance:
    guest = Attendance(tenant_id=meeting.tenant_id, group_id=meeting.group_id, meeting_id=meeting.id,
                       guest_name=name.strip(), guest_organisation=organisation.strip(), presence=Presence.PRESENT)
    db.session.add(guest)
    db.session.flush()
    return guest


def current_minutes(meeting: Meeting) -> MinutesVersion | None:
    return meeting.minutes[-1] if meeting.minutes else None


def approved_minutes(meeting: Meeting) -> MinutesVersion | None:
    return next((m for m in reversed(meeting.minutes) if m.state is MinutesState.APPROVED), None)


def do_save_minutes(meeting: Meeting, user: User, body: str, decisions: str | None) -> MinutesVersion:
    """Edit the draft, or start a new draft after an approved version (which stays as it is)."""
    latest = current_minutes(meeting)
    if latest is None or latest.state is not MinutesState.DRAFT:
        latest = MinutesVersion(tenant_id=meeting.tenant_id, group_id=meeting.group_id, meeting_id=meeting.id,
                                number=(latest.number + 1) if latest else 1, state=MinutesState.DRAFT)
        meeting.minutes.append(latest)
    latest.body, latest.decisions, latest.written_by_id = body.strip(), _clean(decisions), user.id
    latest.updated_at = func.now()
    db.session.flush()
    return latest


def may_approve(group: WorkingGroup, user: User, institution_id: int, is_admin: bool) -> bool:
    """The group's chair approves its minutes; so may an administrator of the owning institution."""
    if is_admin and institution_id == group.tenant_id:
        return True
    return any(m.user_id == user.id and m.role is MemberRole.CHAIR for m in group.members)


def do_approve_minutes(meeting: Meeting, user: User) -> MinutesVersion:
    draft = current_minutes(meeting)
    if draft is None or draft.state is not MinutesState.DRAFT:
        raise ValidationFailed.single("minutes", _("There is no draft of the minutes to approve."))
    for older in meeting.minutes:
        if older.state is MinutesState.APPROVED:
            older.state = MinutesState.SUPERSEDED
    draft.state, draft.approved_by_id, draft.approved_at = MinutesState.APPROVED, user.id, datetime.now(UTC)
    db.session.flush()
    return draft


def owner_choices(group: WorkingGroup) -> list[tuple[str, str]]:
    """Who can own a task: a member of the group (`m:<id>`) or a member institution (`i:<id>`)."""
    people = [(f"m:{m.id}", f"{m.full_name} ({m.affiliation})") for m in group.members]
    institutions = [(f"i:{p.institution_id}", p.institution.short_name) for p in group.institutions
                    if p.status is PartyStatus.MEMBER]
    return people + institutions


def do_save_action(group: WorkingGroup, action: ActionItem | None, meeting: Meeting | None, title: str, owner: str,
                   deadline: date) -> ActionItem:
    if owner not in {value for value, _label in owner_choices(group)}:
        raise ValidationFailed.single("owner", _("Choose a member or an institution of the group."))
    if action is None:
        action = ActionItem(**_in_group(group), meeting_id=meeting.id if meeting else None)
        db.session.add(action)
    kind, _sep, value = owner.partition(":")
    action.title, action.deadline = title.strip(), deadline
    if kind == "m":
        member = next(m for m in group.members if str(m.id) == value)
        action.owner_member_id, action.owner_institution_id = member.id, member.institution_id
    else:
        action.owner_member_id, action.owner_institution_id = None, int(value)
    db.session.flush()
    return action


def do_close_action(action: ActionItem, today: date) -> None:
    if action.state is ActionState.DONE:
        raise ValidationFailed.single("action", _("This task is already done."))
    action.state, action.done_on = ActionState.DONE, today
    db.session.flush()


def do_reopen_action(action: ActionItem) -> None:
    action.state, action.done_on = ActionState.OPEN, None
    db.session.flush()
