"""What administrators and the operator do to others' sign-in: reset a second factor, require one."""
from sqlalchemy import select

from ..extensions import db
from ..institutions.models import Institution
from ..mail import send_mail
from ..regions.models import Region
from .events import EventKind, record_event
from .models import Membership, SessionEnd, User
from .password_reset import mail_institution
from .second_factor import do_remove_second_factor, second_factor_of
from .user_sessions import do_end_sessions, do_end_sessions_without_second_factor


def admin_may_reset(actor_membership: Membership, user: User) -> bool:
    """An institution's administrator resets the second factor of people who work only there
    (and hold no platform-wide role); anyone else asks the platform operator."""
    if user.is_operator or user.coordinated_regions or user.id == actor_membership.user_id:
        return False
    return all(m.institution_id == actor_membership.institution_id for m in user.memberships)


def do_reset_second_factor(user: User, actor: User, institution: Institution | None = None) -> bool:
    """Remove the user's authenticator and recovery codes and end their sessions; they set a new
    one up at their next sign-in (when required) and are told by e-mail. False: nothing to reset."""
    if second_factor_of(user) is None:
        return False
    do_remove_second_factor(user)
    do_end_sessions(user, SessionEnd.ACCOUNT_CHANGED)
    record_event(EventKind.SECOND_FACTOR_RESET, user_id=user.id, actor_id=actor.id,
                 institution_id=institution.id if institution is not None else None)
    send_mail(user.email, "accounts/second_factor_reset", institution=institution or mail_institution(user),
              user_id=user.id, locale=user.preferred_locale or "pl", context={"user": user, "actor": actor})
    return True


def do_require_for_institution(institution: Institution, required: bool, actor: User) -> int:
    """Require (or stop requiring) a second factor of every member; returns the sessions ended
    (members signed in without one sign in again, setting it up)."""
    if institution.require_second_factor == required:
        return 0
    institution.require_second_factor = required
    record_event(EventKind.SECOND_FACTOR_REQUIRED, actor_id=actor.id, institution_id=institution.id,
                 detail={"required": required})
    if not required:
        return 0
    members = db.session.execute(select(Membership.user_id).where(
        Membership.institution_id == institution.id)).scalars().all()
    return do_end_sessions_without_second_factor(list(members))


def do_require_for_region(region: Region, required: bool, actor: User) -> int:
    if region.require_second_factor == required:
        return 0
    region.require_second_factor = required
    record_event(EventKind.SECOND_FACTOR_REQUIRED, actor_id=actor.id, region_code=region.teryt_code,
                 detail={"required": required})
    if not required:
        return 0
    members = db.session.execute(select(Membership.user_id).join(Institution).where(
        Institution.region_code == region.teryt_code)).scalars().all()
    return do_end_sessions_without_second_factor(list(set(members)))
