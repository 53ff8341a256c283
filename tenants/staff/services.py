"""An institution's administrators manage its staff: invite, change roles, suspend, remove.

Every change goes to the accounts' trail (platform/accounts/events.py) with the acting
administrator. The institution always keeps at least one active administrator: the last
one can be neither demoted, suspended nor removed (by themselves or anyone).
"""
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from regionet.platform.accounts.events import EventKind, record_event
from regionet.platform.accounts.models import Membership, MembershipRole, User
from regionet.platform.accounts.services import do_create_user, do_grant_membership, get_user_by_email, normalise_email
from regionet.platform.accounts.tokens import new_token, token_digest
from regionet.platform.accounts.user_sessions import do_end_sessions_without_second_factor
from regionet.platform.extensions import db
from regionet.platform.mail import send_mail
from regionet.platform.validation import ValidationFailed

from .models import StaffInvitation


def now() -> datetime:
    return datetime.now(UTC)


def members_of(institution) -> list[Membership]:
    from sqlalchemy.orm import joinedload

    return list(db.session.execute(
        select(Membership).join(User).where(Membership.institution_id == institution.id)
        .options(joinedload(Membership.user)).order_by(User.full_name)).scalars())


def member_of_or_none(institution, user_id) -> Membership | None:
    """A member of this institution; a person of another institution is not found."""
    if not str(user_id or "").isdigit():
        return None
    return db.session.execute(select(Membership).where(
        Membership.institution_id == institution.id, Membership.user_id == int(user_id))).scalar_one_or_none()


def pending_invitations() -> list[StaffInvitation]:
    return list(db.session.execute(select(StaffInvitation).where(
        StaffInvitation.accepted_at.is_(None), StaffInvitation.cancelled_at.is_(None))
        .order_by(StaffInvitation.created_at.desc())).scalars())


def _active_admins(institution) -> int:
    return sum(1 for m in members_of(institution) if m.role is MembershipRole.ADMIN and m.suspended_at is None)


def _keep_an_admin(institution, membership: Membership) -> None:
    if membership.role is MembershipRole.ADMIN and membership.suspended_at is None and _active_admins(institution) <= 1:
        raise ValidationFailed.single("user_id", _(
            "The institution must keep at least one administrator: make someone else an administrator first."))


def _event(kind: EventKind, institution, actor: User, user_id: int | None = None, **detail) -> None:
    record_event(kind, user_id=user_id, actor_id=actor.id, institution_id=institution.id, detail=detail or None)


def do_change_role(institution, actor: User, membership: Membership, role: MembershipRole) -> None:
    if membership.role is role:
        return
    if role is not MembershipRole.ADMIN:
        _keep_an_admin(institution, membership)
    old = membership.role
    membership.role = role
    _event(EventKind.ROLE_CHANGED, institution, actor, membership.user_id, role=[old.value, role.value])
    if role is MembershipRole.ADMIN:
        # An administrator must use a second factor: a session without one ends (setup at next sign-in).
        do_end_sessions_without_second_factor([membership.user_id])


def do_grant_special_categories(institution, actor: User, membership: Membership) -> None:
    _set_special_categories(institution, actor, membership, True)


def do_revoke_special_categories(institution, actor: User, membership: Membership) -> None:
    _set_special_categories(institution, actor, membership, False)


def _set_special_categories(institution, actor: User, membership: Membership, allowed: bool) -> None:
    """Whether the member sees special-category answers (disability, origin, homelessness...)."""
    if membership.special_categories is allowed:
        return
    membership.special_categories = allowed
    _event(EventKind.ROLE_CHANGED, institution, actor, membership.user_id, special_categories=[not allowed, allowed])


def do_suspend(institution, actor: User, membership: Membership) -> None:
    if membership.suspended_at is not None:
        return
    _keep_an_admin(institution, membership)
    membership.suspended_at = now()
    _event(EventKind.MEMBER_SUSPENDED, institution, actor, membership.user_id)


def do_reactivate(institution, actor: User, membership: Membership) -> None:
    if membership.suspended_at is None:
        return
    membership.suspended_at = None
    _event(EventKind.MEMBER_REACTIVATED, institution, actor, membership.user_id)


def do_remove(institution, actor: User, membership: Membership) -> None:
    _keep_an_admin(institution, membership)
    _event(EventKind.MEMBER_REMOVED, institution, actor, membership.user_id, role=membership.role.value)
    db.session.delete(membership)


def _invitation_lifetime() -> timedelta:
    return timedelta(seconds=int(current_app.config["INVITATION_LINK_SECONDS"]))


def _send_invitation(institution, actor: User, invitation: StaffInvitation, token: str) -> None:
    send_mail(invitation.email, "staff/invitation", institution=institution, contains_secret=True,
              reply_to=actor.email,
              context={"invitation": invitation, "actor": actor, "token": token, "slug": institution.slug,
                       "days": _invitation_lifetime().days,
                       "has_account": get_user_by_email(invitation.email) is not None})


def do_invite(institution, actor: User, email: str, full_name: str, role: MembershipRole) -> StaffInvitation:
    email = normalise_email(email)
    existing = get_user_by_email(email)
    if existing is not None and existing.membership_in(institution.id) is not None:
        raise ValidationFailed.single("email", _("This person is already a member of the institution."))
    if any(i.email == email and i.expires_at > now() for i in pending_invitations()):
        raise ValidationFailed.single("email", _(
            "An invitation to this address is waiting; send it again from the list below."))
    token, digest = new_token()
    invitation = StaffInvitation(email=email, full_name=full_name.strip(), role=role, token_hash=digest,
                                 invited_by=actor.id, created_at=now(), expires_at=now() + _invitation_lifetime())
    db.session.add(invitation)
    db.session.flush()
    _send_invitation(institution, actor, invitation, token)
    _event(EventKind.INVITATION_SENT, institution, actor, existing.id if existing else None, email=email,
           role=role.value)
    return invitation


def do_resend(institution, actor: User, invitation: StaffInvitation) -> None:
    """A new link (the old one stops working) with a new expiry."""
    token, invitation.token_hash = new_token()
    invitation.expires_at = now() + _invitation_lifetime()
    _send_invitation(institution, actor, invitation, token)
    _event(EventKind.INVITATION_SENT, institution, actor, email=invitation.email, role=invitation.role.value,
           again=True)


def do_cancel(institution, actor: User, invitation: StaffInvitation) -> None:
    invitation.cancelled_at = now()
    _event(EventKind.INVITATION_CANCELLED, institution, actor, email=invitation.email)


def find_invitation(token: str) -> StaffInvitation | None:
    """The invitation of this link while it can be used (in the institution's scope)."""
    row = db.session.execute(select(StaffInvitation).where(
        StaffInvitation.token_hash == token_digest(token))).scalar_one_or_none()
    if row is None or row.accepted_at or row.cancelled_at or row.expires_at <= now():
        return None
    return row


def do_accept(institution, token: str, user: User | None, full_name: str | None = None,
              password: str | None = None) -> User | None:
    """Use the link once: the signed-in invitee (or a new account for the invited address) becomes
    a member with the invited role. None when the link was used, cancelled or expired meanwhile."""
    moment = now()
    claimed = db.session.execute(
        update(StaffInvitation).where(StaffInvitation.token_hash == token_digest(token),
                                      StaffInvitation.accepted_at.is_(None), StaffInvitation.cancelled_at.is_(None),
                                      StaffInvitation.expires_at > moment)
        .values(accepted_at=moment).returning(StaffInvitation.id)).scalar_one_or_none()
    if claimed is None:
        db.session.rollback()
        return None
    invitation = db.session.execute(select(StaffInvitation).where(StaffInvitation.id == claimed)).scalar_one()
    if user is None:
        user = do_create_user(invitation.email, full_name or invitation.full_name, password)
    membership = do_grant_membership(user, institution.id, invitation.role)
    membership.suspended_at = None
    invitation.accepted_user_id = user.id
    record_event(EventKind.INVITATION_ACCEPTED, user_id=user.id, actor_id=user.id, institution_id=institution.id,
                 detail={"role": invitation.role.value, "invited_by": invitation.invited_by})
    db.session.commit()
    return user
