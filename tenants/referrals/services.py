"""Writes of referrals: sending, every step of the closed loop, withdrawal. One place.

Each step checks who may take it (the sender or the receiver) and from which states, records an
event for both sides and notifies the other side (e-mail through platform/mail, never with the
person's data in it: the message names the service and links to the referral).
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect, or_, select

from regionet.platform.accounts.models import Membership, MembershipRole, User
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.mail import send_mail
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed
from regionet.tenants.audit.recording import acting_user_id
from regionet.tenants.participants.models import Participant
from regionet.tenants.privacy.models import Consent, ConsentBasis, ConsentPurpose
from regionet.tenants.service_catalogue.models import DataItem, ReferralBasis, Service
from regionet.tenants.support.models import OutcomeKind

from .models import OPEN_STATES, WAITING_STATES, Referral, ReferralEvent, ReferralState, StopReason, Urgency
from .queries import accepting_service, participant_with_pesel

ESCALATED = "escalated"


def build_payload(participant: Participant, data_set: list[str], eligibility: str | None) -> dict:
    """Exactly what the service's minimum data set names, copied from the sender's record."""
    payload: dict = {}
    items = set(data_set)
    if DataItem.NAME in items:
        payload.update(first_name=participant.first_name, last_name=participant.last_name)
    if DataItem.PESEL in items and participant.pesel:
        payload["pesel"] = participant.pesel
    if DataItem.BIRTH_DATE in items:
        payload["birth_date"] = participant.birth_date.isoformat()
    if DataItem.CONTACT in items:
        payload.update({k: v for k, v in (("phone", participant.phone), ("email", participant.email)) if v})
    if DataItem.ADDRESS in items:
        payload.update({k: v for k, v in (("street", participant.street), ("postal_code", participant.postal_code),
                                          ("locality", participant.locality),
                                          ("commune_code", participant.commune_code)) if v})
    if DataItem.LABOUR_STATUS in items:
        payload["labour_status"] = participant.labour_status.value
    if DataItem.ELIGIBILITY in items and eligibility:
        payload["eligibility"] = eligibility.strip()
    return payload


@dataclass
class ConsentGiven:
    given_on: date | None
    notice_version: str | None
    evidence: str | None


@dataclass
class Request:
    reason: str
    urgency: str
    eligibility: str | None
    consent: ConsentGiven | None


def _check_request(service: Service | None, request: Request) -> None:
    errors: dict[str, list[str]] = {}
    if service is None:
        raise ValidationFailed.single("service_id", _("Choose a service of the region that accepts referrals."))
    if not (request.reason or "").strip():
        errors["reason"] = [_("Say why you refer the person.")]
    if DataItem.ELIGIBILITY in service.data_set and not (request.eligibility or "").strip():
        errors["eligibility"] = [_("State the eligibility category (not a diagnosis).")]
    if service.referral_basis == ReferralBasis.CONSENT:
        consent = request.consent
        if consent is None or consent.given_on is None:
            errors["consent_given_on"] = [_("This service needs the person's consent: enter the day it was given.")]
        elif consent.given_on > today_in_poland():
            errors["consent_given_on"] = [_("The date cannot be in the future.")]
        if consent is None or not (consent.notice_version or "").strip():
            errors["consent_notice"] = [_("Name the information notice the person was given.")]
        if consent is None or not (consent.evidence or "").strip():
            errors["consent_evidence"] = [_("Say where the consent is kept (e.g. the signed form).")]
    if errors:
        raise ValidationFailed(errors)


def do_send_referral(participant: Participant, service_id, request: Request) -> Referral:
    """Send a person to a service of another institution of the region; nothing is stored on error."""
    service = accepting_service(service_id) if service_id else None
    _check_request(service, request)
    consent_id = notice = evidence = None
    if service.referral_basis == ReferralBasis.CONSENT:
        consent = Consent(participant_id=participant.id, purpose=ConsentPurpose.REFERRAL, basis=ConsentBasis.CONSENT,
                          given_on=request.consent.given_on, recorded_by_id=acting_user_id())
        db.session.add(consent)
        db.session.flush()
        consent_id = consent.id
        notice, evidence = request.consent.notice_version.strip(), request.consent.evidence.strip()
    referral = Referral(
        participant_id=participant.id, receiver_tenant_id=service.tenant_id, service_id=service.id,
        service_name=service.name, state=ReferralState.SENT, urgency=Urgency(request.urgency),
        reason=request.reason.strip(), payload=build_payload(participant, service.data_set, request.eligibility),
        legal_basis=service.referral_basis, legal_reference=service.legal_reference, consent_id=consent_id,
        consent_notice=notice, consent_evidence=evidence,
        due_on=today_in_poland() + timedelta(days=service.accept_within_days), sent_by_id=acting_user_id())
    db.session.add(referral)
    db.session.flush()
    _event(referral, ReferralState.SENT)
    _notify(referral, to_receiver=True, service_email=service.email)
    return referral


# --- the loop ----------------------------------------------------------------------------------------

RECEIVER, SENDER, EITHER = "receiver", "sender", "either"
STEPS = {
    # step: (who, from which states)
    "accept": (RECEIVER, WAITING_STATES),
    "decline": (RECEIVER, WAITING_STATES),
    "start": (RECEIVER, {ReferralState.ACCEPTED}),
    "complete": (RECEIVER, {ReferralState.STARTED}),
    "end": (RECEIVER, {ReferralState.ACCEPTED, ReferralState.STARTED}),
    "close": (SENDER, {ReferralState.DECLINED, ReferralState.COMPLETED, ReferralState.ENDED_EARLY}),
    "withdraw": (SENDER, OPEN_STATES),
    "withdraw_consent": (SENDER, OPEN_STATES),
    "escalate": (EITHER, WAITING_STATES),
}


def side(referral: Referral) -> str:
    return SENDER if referral.tenant_id == current_tenant_id() else RECEIVER


def steps_for(referral: Referral) -> list[str]:
    """The steps the current institution may take now."""
    mine = side(referral)
    return [step for step, (who, states) in STEPS.items()
            if who in (mine, EITHER) and referral.state in states
            and (step != "escalate" or (referral.is_overdue(today_in_poland()) and referral.escalated_at is None))
            and (step != "withdraw_consent" or referral.consent_id is not None)]


@dataclass
class StepInput:
    reason: str | None = None          # StopReason value (decline, end)
    comment: str | None = None
    on_day: date | None = None         # start, complete, end
    result: str | None = None          # OutcomeKind value (complete)
    participant_id: object = None      # the receiver's record (start)
    redirect_service_id: object = None  # decline: a service suggested instead


def do_mark_received(referral: Referral) -> None:
    """The receiver opened a sent referral: it is received (once)."""
    if side(referral) == RECEIVER and referral.state == ReferralState.SENT:
        referral.state = ReferralState.RECEIVED
        referral.received_at = datetime.now(UTC)
        _event(referral, ReferralState.RECEIVED)


def do_step(referral: Referral, step: str, given: StepInput) -> None:
    if step not in steps_for(referral):
        raise ValidationFailed.single("step", _("This step is not possible in the referral's present state."))
    now, today = datetime.now(UTC), today_in_poland()
    day = given.on_day or today
    if given.on_day is not None and given.on_day > today:
        raise ValidationFailed.single("on_day", _("The date cannot be in the future."))
    note = (given.comment or "").strip()[:500] or None
    if step == "accept":
        referral.state, referral.accepted_at = ReferralState.ACCEPTED, now
    elif step == "decline":
        referral.stop_reason, referral.stop_comment = _reason(given.reason), note
        redirect = accepting_service(given.redirect_service_id) if given.redirect_service_id else None
        if redirect is not None:
            referral.redirect_tenant_id, referral.redirect_service_id = redirect.tenant_id, redirect.id
        referral.state = ReferralState.DECLINED
    elif step == "start":
        referral.receiver_participant_id = _receivers_record(referral, given.participant_id).id
        referral.state, referral.started_on = ReferralState.STARTED, day
    elif step == "complete":
        if given.result not in {kind.value for kind in OutcomeKind}:
            raise ValidationFailed.single("result", _("Choose the result."))
        referral.state, referral.result, referral.finished_on = ReferralState.COMPLETED, given.result, day
    elif step == "end":
        referral.stop_reason, referral.stop_comment = _reason(given.reason), note
        referral.state, referral.finished_on = ReferralState.ENDED_EARLY, day
    elif step == "close":
        referral.state, referral.closed_at = ReferralState.CLOSED, now
    elif step == "withdraw":
        _withdraw(referral, note)
        return
    elif step == "withdraw_consent":
        do_withdraw_consent(referral, note)
        return
    elif step == "escalate":
        referral.escalated_at = now
        _event(referral, ESCALATED, note)
        _notify(referral, to_receiver=side(referral) == SENDER)
        return
    _event(referral, referral.state, note, on_day=day if step in ("start", "complete", "end") else None)
    _notify(referral, to_receiver=side(referral) == SENDER)


def _reason(value: str | None) -> StopReason:
    if value not in {reason.value for reason in StopReason}:
        raise ValidationFailed.single("reason", _("Choose the reason."))
    return StopReason(value)


def _receivers_record(referral: Referral, participant_id) -> Participant:
    """The receiver's record of the person: the one with the same PESEL when there is one (never
    a duplicate), otherwise the one chosen."""
    same_pesel = participant_with_pesel((referral.payload or {}).get("pesel"))
    if same_pesel is not None:
        return same_pesel
    chosen = db.session.execute(select(Participant).where(
        Participant.tenant_id == current_tenant_id(), Participant.id == participant_id)).scalar_one_or_none() \
        if participant_id else None
    if chosen is None:
        raise ValidationFailed.single("participant_id", _(
            "Choose the person's record in your institution (register them first if they are new)."))
    return chosen


def _withdraw(referral: Referral, note: str | None, notify_now: bool = True) -> None:
    """Stop sharing: the receiver no longer sees the person's data; what it recorded stays its own."""
    referral.state = ReferralState.WITHDRAWN
    referral.payload = {}
    _event(referral, ReferralState.WITHDRAWN, note)
    if notify_now:
        _notify(referral, to_receiver=True)
    else:  # inside a flush: the receiver is told just before the commit (_tell_receivers)
        db.session().info.setdefault(_NOTICES, []).append(referral)


def do_withdraw_consent(referral: Referral, note: str | None) -> None:
    """The person withdrew the consent a referral rests on: record it on the consent (the privacy
    domain's record); the listener below withdraws every open referral resting on it."""
    consent = db.session.execute(select(Consent).where(
        Consent.tenant_id == current_tenant_id(), Consent.id == referral.consent_id)).scalar_one()
    if consent.withdrawn_on is not None:
        raise ValidationFailed.single("step", _("This consent has already been withdrawn."))
    consent.withdrawn_on = max(today_in_poland(), consent.given_on)
    consent.withdrawal_note = note


_NOTICES = "referrals_to_notify"


@event.listens_for(Session, "before_commit")
def _tell_receivers(session) -> None:
    for referral in session.info.pop(_NOTICES, []):
        _notify(referral, to_receiver=True)


@event.listens_for(Session, "after_rollback")
def _forget_notices(session) -> None:
    session.info.pop(_NOTICES, None)


@event.listens_for(Session, "before_flush")
def _stop_sharing_with_the_person(session, flush_context, instances) -> None:
    """Whoever records it (this module, the privacy pages, erasure), sharing stops in the same flush:
    a withdrawn or deleted consent withdraws the open referrals resting on it, and an anonymised
    person's referrals lose the data they carried. What the receiver recorded stays theirs."""
    withdrawn = [obj.id for obj in session.dirty if isinstance(obj, Consent) and obj.withdrawn_on is not None
                 and inspect(obj).attrs.withdrawn_on.history.has_changes()]
    deleted = [obj.id for obj in session.deleted if isinstance(obj, Consent)]
    anonymised = [obj.id for obj in session.dirty if isinstance(obj, Participant)
                  and getattr(obj, "anonymised_at", None) is not None
                  and inspect(obj).attrs.anonymised_at.history.has_changes()]
    if not (withdrawn or deleted or anonymised):
        return
    with session.no_autoflush:
        found = session.execute(select(Referral).where(
            Referral.tenant_id == current_tenant_id(),
            or_(Referral.consent_id.in_(withdrawn + deleted), Referral.participant_id.in_(anonymised)))).scalars()
        for referral in found:
            if referral.is_open:
                _withdraw(referral, _("The person withdrew their consent.") if referral.consent_id in withdrawn
                          else None, notify_now=False)
            referral.payload = {}
            if referral.consent_id in deleted:
                referral.consent_id = None


def _event(referral: Referral, state: str, note: str | None = None, on_day: date | None = None) -> None:
    db.session.add(ReferralEvent(tenant_id=referral.tenant_id, receiver_tenant_id=referral.receiver_tenant_id,
                                 referral_id=referral.id, state=str(state), actor_tenant_id=current_tenant_id(),
                                 actor_user_id=acting_user_id(), note=note, on_day=on_day))


def _notify(referral: Referral, to_receiver: bool, service_email: str | None = None) -> None:
    """E-mail the other side: the service's functional mailbox or the receiver's administrators,
    and the person who sent it on the sender's side. The demo seed sends nothing (`g.quiet_referrals`)."""
    if has_app_context() and g.get("quiet_referrals"):
        return
    other = db.session.get(Institution, referral.receiver_tenant_id if to_receiver else referral.tenant_id)
    acting = db.session.get(Institution, current_tenant_id())
    addresses = []
    if to_receiver:
        addresses = [service_email] if service_email else list(db.session.execute(
            select(User.email).join(Membership, Membership.user_id == User.id).where(
                Membership.institution_id == other.id, Membership.role == MembershipRole.ADMIN,
                Membership.suspended_at.is_(None))).scalars())
    elif referral.sent_by_id:
        sender = db.session.get(User, referral.sent_by_id)
        addresses = [sender.email] if sender is not None else []
    for address in addresses:
        send_mail(address, "referrals/changed", institution=acting,
                  context={"referral": referral, "slug": other.slug, "state": referral.state.value})


def do_forget_person_in_referrals(participant: Participant, mentions) -> None:
    """The sender erases or anonymises the person: every referral of theirs drops the data set it
    carried (whatever its state or legal basis: a closed referral under a statute still held the
    PESEL), and the free texts that name the person are redacted (`mentions(text)` says whether a
    text does). What the receiver recorded in its own file stays the receiver's to erase."""
    from regionet.tenants.audit.models import REDACTED

    referrals = db.session.execute(select(Referral).where(
        Referral.tenant_id == current_tenant_id(), Referral.participant_id == participant.id)).scalars().all()
    for referral in referrals:
        referral.payload = {}
        if mentions(referral.reason):
            referral.reason = REDACTED
        if referral.stop_comment and mentions(referral.stop_comment):
            referral.stop_comment = REDACTED
        for entry in db.session.execute(select(ReferralEvent).where(
                ReferralEvent.tenant_id == referral.tenant_id, ReferralEvent.referral_id == referral.id)).scalars():
            if entry.note and mentions(entry.note):
                entry.note = REDACTED
