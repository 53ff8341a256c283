"""Working groups of several institutions and their meetings.

A group is owned by the institution that created it (`tenant_id`) and shared with the institutions
it invites (`PartySetShared`, platform/tenancy/sharing.py): the group's id names the party set, and
every row inside the group (members, meetings, agenda, attendance, minutes, action items) carries the
owner's `tenant_id` and the `group_id`, so the owner and every party institution read and write it,
under the ORM criterion and PostgreSQL's policies alike, and nobody else sees it.

These rows are written by several institutions, so they are not in the institution's change history
(`__audited__`, one tenant's trail); the minutes keep their versions and who approved them instead.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.platform.tenancy.sharing import PartySetShared


class GroupKind(enum.StrEnum):
    WORKING = "working"            # Grupa Robocza
    THEMATIC = "thematic"          # Grupa Tematyczna of a project
    COMMITTEE = "committee"        # e.g. the region's social-economy committee (RKRES)
    EMPLOYMENT_PACT = "employment_pact"
    OTHER = "other"


class PartyStatus(enum.StrEnum):
    INVITED = "invited"
    MEMBER = "member"


class MemberRole(enum.StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    GUEST = "guest"


class Rsvp(enum.StrEnum):
    NONE = "none"
    YES = "yes"
    NO = "no"


class Presence(enum.StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class MinutesState(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class ActionState(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


def _group_key():
    return tenant_foreign_key("group_id", "working_groups", ondelete="CASCADE")


class WorkingGroup(PartySetShared, TenantScoped, db.Model):
    __tablename__ = "working_groups"
    __url_arg__ = "group_id"
    __party_set__ = "id"

    name: Mapped[str] = mapped_column(String(250))
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind, "working_group_kind", 20))
    purpose: Mapped[str] = mapped_column(Text)
    link_note: Mapped[str | None] = mapped_column(String(300))   # the project or agreement it belongs to
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    institutions = relationship("GroupInstitution", back_populates="group", cascade="all, delete-orphan",
                                order_by="GroupInstitution.invited_at", lazy="selectin",
                                overlaps="members,meetings,actions")
    members = relationship("GroupMember", back_populates="group", cascade="all, delete-orphan",
                           order_by="GroupMember.created_at", lazy="selectin",
                           overlaps="institutions,meetings,actions")
    meetings = relationship("Meeting", back_populates="group", cascade="all, delete-orphan",
                            order_by="Meeting.starts_at", overlaps="institutions,members,actions")
    actions = relationship("ActionItem", back_populates="group", cascade="all, delete-orphan",
                           order_by="ActionItem.deadline", overlaps="institutions,members,meetings")


class GroupInstitution(PartySetShared, TenantScoped, db.Model):
    """An institution of the group (the owner's row is here too), invited or a member."""

    __tablename__ = "working_group_institutions"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), UniqueConstraint("tenant_id", "group_id", "institution_id",
                                                     name="uq_working_group_institutions"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    status: Mapped[PartyStatus] = mapped_column(str_enum(PartyStatus, "working_group_party_status", 10))
    invited_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    joined_at: Mapped[datetime | None] = mapped_column(Timestamp())

    group = relationship(WorkingGroup, back_populates="institutions", overlaps="group")
    institution = relationship("Institution", lazy="joined", foreign_keys=[institution_id])


class GroupMember(PartySetShared, TenantScoped, db.Model):
    """A person in the group: an account of a member institution, or a guest by name and organisation."""

    __tablename__ = "working_group_members"
    __url_arg__ = "member_id"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(),
                      CheckConstraint("term_to IS NULL OR term_from IS NULL OR term_from <= term_to",
                                      name="ck_working_group_members_term"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    full_name: Mapped[str] = mapped_column(String(200))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    organisation: Mapped[str | None] = mapped_column(String(250))   # a guest's organisation
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "working_group_member_role", 10))
    term_from: Mapped[date | None] = mapped_column(Date)
    term_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    group = relationship(WorkingGroup, back_populates="members", overlaps="group")
    institution = relationship("Institution", lazy="joined", foreign_keys=[institution_id])

    @property
    def affiliation(self) -> str:
        return self.institution.short_name if self.institution else (self.organisation or "")


class Meeting(PartySetShared, TenantScoped, db.Model):
    __tablename__ = "group_meetings"
    __url_arg__ = "meeting_id"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), Index("ix_group_meetings_group_starts", "tenant_id", "group_id", "starts_at"),
                      CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ck_group_meetings_times"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(250))
    starts_at: Mapped[datetime] = mapped_column(Timestamp())
    ends_at: Mapped[datetime | None] = mapped_column(Timestamp())
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group = relationship(WorkingGroup, back_populates="meetings", overlaps="group,institutions,members,actions")
    agenda = relationship("AgendaItem", back_populates="meeting", cascade="all, delete-orphan",
                          order_by="AgendaItem.position", lazy="selectin", overlaps="group")
    attendance = relationship("Attendance", back_populates="meeting", cascade="all, delete-orphan",
                              order_by="Attendance.created_at", lazy="selectin", overlaps="group,agenda")
    minutes = relationship("MinutesVersion", back_populates="meeting", cascade="all, delete-orphan",
                           order_by="MinutesVersion.number", overlaps="group,agenda,attendance")


def _meeting_key():
    return tenant_foreign_key("meeting_id", "group_meetings", ondelete="CASCADE")


class AgendaItem(PartySetShared, TenantScoped, db.Model):
    __tablename__ = "group_agenda_items"
    __url_arg__ = "agenda_item_id"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), _meeting_key(),
                      CheckConstraint("duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 600",
                                      name="ck_group_agenda_items_duration"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(250))
    duration_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)

    meeting = relationship(Meeting, back_populates="agenda", overlaps="agenda,group")
    documents = relationship("AgendaDocument", back_populates="item", cascade="all, delete-orphan",
                             order_by="AgendaDocument.uploaded_at", lazy="selectin", overlaps="group")


class AgendaDocument(PartySetShared, TenantScoped, db.Model):
    """A document attached to an agenda item (a presentation, a draft agreement). Checked by its content
    like every attachment (tenants/attachments), but stored with the group, not in one institution's
    attachments: every institution of the group reads it, nobody else (the party set's policy)."""

    __tablename__ = "group_agenda_documents"
    __url_arg__ = "document_id"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(),
                      tenant_foreign_key("agenda_item_id", "group_agenda_items", ondelete="CASCADE"),
                      Index("ix_group_agenda_documents_item", "tenant_id", "agenda_item_id"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id",
                                                                              ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    item = relationship(AgendaItem, back_populates="documents", overlaps="documents,group")


class Attendance(PartySetShared, TenantScoped, db.Model):
    """A member's invitation to a meeting (RSVP) and presence, or a guest by name and organisation."""

    __tablename__ = "group_attendance"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), _meeting_key(),
                      tenant_foreign_key("member_id", "working_group_members", ondelete="CASCADE"),
                      UniqueConstraint("tenant_id", "meeting_id", "member_id", name="uq_group_attendance_member"),
                      CheckConstraint("member_id IS NOT NULL OR guest_name IS NOT NULL",
                                      name="ck_group_attendance_who"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_organisation: Mapped[str | None] = mapped_column(String(250))
    rsvp: Mapped[Rsvp] = mapped_column(str_enum(Rsvp, "group_attendance_rsvp", 5), default=Rsvp.NONE)
    presence: Mapped[Presence] = mapped_column(str_enum(Presence, "group_attendance_presence", 10),
                                               default=Presence.UNKNOWN)
    substitute: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    meeting = relationship(Meeting, back_populates="attendance", overlaps="agenda,attendance,group,meeting")
    member = relationship(GroupMember, lazy="joined", overlaps="agenda,attendance,group,meeting")

    @property
    def name(self) -> str:
        return self.member.full_name if self.member else self.guest_name

    @property
    def affiliation(self) -> str:
        return self.member.affiliation if self.member else (self.guest_organisation or "")


class MinutesVersion(PartySetShared, TenantScoped, db.Model):
    """The minutes of a meeting: drafts by the secretary, approved by the group; an approved version
    is never edited (a correction is a new draft, and approving it supersedes the old one)."""

    __tablename__ = "group_minutes"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), _meeting_key(),
                      UniqueConstraint("tenant_id", "meeting_id", "number", name="uq_group_minutes_number"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    number: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[MinutesState] = mapped_column(str_enum(MinutesState, "group_minutes_state", 10),
                                                default=MinutesState.DRAFT)
    body: Mapped[str] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(Timestamp())

    meeting = relationship(Meeting, back_populates="minutes", overlaps="agenda,attendance,group,meeting")
    approved_by = relationship("User", foreign_keys=[approved_by_id], lazy="joined")


class ActionItem(PartySetShared, TenantScoped, db.Model):
    """A decision's task: an owner (a member of the group, or an institution), a deadline and a state;
    open items are carried over from meeting to meeting until done."""

    __tablename__ = "group_action_items"
    __url_arg__ = "action_id"
    __party_set__ = "group_id"
    __table_args__ = (_group_key(), _meeting_key(),
                      tenant_foreign_key("owner_member_id", "working_group_members"),
                      Index("ix_group_action_items_owner", "owner_institution_id", "state", "deadline"))

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(500))
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    owner_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[ActionState] = mapped_column(str_enum(ActionState, "group_action_state", 10),
                                               default=ActionState.OPEN)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    group = relationship(WorkingGroup, back_populates="actions", overlaps="group,institutions,members,meetings")
    owner_member = relationship(GroupMember, lazy="joined", overlaps="actions,group")
    owner_institution = relationship("Institution", lazy="joined", foreign_keys=[owner_institution_id])

    def is_overdue(self, today: date) -> bool:
        return self.state is ActionState.OPEN and self.deadline < today

    @property
    def owner_label(self) -> str:
        if self.owner_member is not None:
            return f"{self.owner_member.full_name} ({self.owner_member.affiliation})"
        return self.owner_institution.short_name if self.owner_institution else ""
