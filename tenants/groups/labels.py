"""Human names of the groups' kinds, roles and states."""
from flask_babel import lazy_gettext as _l

from .models import ActionState, GroupKind, MemberRole, MinutesState, PartyStatus, Presence, Rsvp

GROUP_KIND_LABELS = {
    GroupKind.WORKING: _l("Working group"),
    GroupKind.THEMATIC: _l("Thematic group of a project"),
    GroupKind.COMMITTEE: _l("Regional committee"),
    GroupKind.EMPLOYMENT_PACT: _l("Employment pact"),
    GroupKind.OTHER: _l("Other group"),
}

PARTY_STATUS_LABELS = {PartyStatus.INVITED: _l("Invited"), PartyStatus.MEMBER: _l("Member")}

MEMBER_ROLE_LABELS = {
    MemberRole.CHAIR: _l("Chair"),
    MemberRole.SECRETARY: _l("Secretary"),
    MemberRole.MEMBER: _l("Member"),
    MemberRole.GUEST: _l("Guest"),
}

RSVP_LABELS = {Rsvp.NONE: _l("No answer"), Rsvp.YES: _l("Will attend"), Rsvp.NO: _l("Will not attend")}

PRESENCE_LABELS = {
    Presence.UNKNOWN: _l("Not recorded"),
    Presence.PRESENT: _l("Present"),
    Presence.EXCUSED: _l("Excused"),
    Presence.ABSENT: _l("Absent"),
}

MINUTES_STATE_LABELS = {
    MinutesState.DRAFT: _l("Draft"),
    MinutesState.APPROVED: _l("Approved"),
    MinutesState.SUPERSEDED: _l("Superseded"),
}

ACTION_STATE_LABELS = {ActionState.OPEN: _l("Open"), ActionState.DONE: _l("Done"), "overdue": _l("Overdue")}

GROUP_FIELD_LABELS = {"name": _l("Name"), "kind": _l("Type of group"), "purpose": _l("Purpose"),
                      "link_note": _l("Project or agreement")}
