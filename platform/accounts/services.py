"""Writes for accounts: users, memberships, coordinators, sign-in bookkeeping."""
from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from .models import Membership, MembershipRole, RegionCoordinator, SessionEnd, User
from .passwords import hash_password, needs_rehash
from .user_sessions import do_end_sessions


def normalise_email(email: str) -> str:
    return email.strip().lower()


def do_create_user(email: str, full_name: str, password: str, *, is_operator: bool = False) -> User:
    user = User(email=normalise_email(email), full_name=full_name.strip(),
                password_hash=hash_password(password), is_operator=is_operator)
    db.session.add(user)
    db.session.flush()
    return user


def do_ensure_user(email: str, full_name: str, password: str, *, is_operator: bool = False) -> tuple[User, bool]:
    """The user with this e-mail, created if missing; (user, created). Existing passwords are kept."""
    existing = get_user_by_email(email)
    if existing is not None:
        return existing, False
    return do_create_user(email, full_name, password, is_operator=is_operator), True


def do_set_password(user: User, password: str) -> None:
    """A new password ends every session of the user but the one it was changed in (if any)."""
    user.password_hash = hash_password(password)
    do_end_sessions(user, SessionEnd.PASSWORD_CHANGED, keep=user.current_session)


def do_grant_membership(user: User, institution_id: int, role: MembershipRole) -> Membership:
    membership = user.membership_in(institution_id)
    if membership is None:
        membership = Membership(user=user, institution_id=institution_id, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    return membership


def do_make_coordinator(user: User, region_code: str) -> RegionCoordinator:
    for assignment in user.coordinated_regions:
        if assignment.region_code == region_code:
            return assignment
    assignment = RegionCoordinator(user=user, region_code=region_code)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def do_record_login(user: User, password: str | None) -> None:
    """Note a completed sign-in (with the trail entry) and commit it with the new session."""
    from .events import EventKind, record_event

    user.last_login_at = datetime.now(UTC)
    if password is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session = user.current_session
    record_event(EventKind.SIGNED_IN, user_id=user.id, actor_id=user.id,
                 detail={"second_factor": bool(session and session.second_factor)})
    db.session.commit()


def get_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()
