"""Labels of referrals and consents."""
from flask_babel import lazy_gettext as _l

from .models import ReferralState, StopReason, Urgency

STATE_LABELS = {
    ReferralState.SENT: _l("Sent"),
    ReferralState.RECEIVED: _l("Received"),
    ReferralState.ACCEPTED: _l("Accepted"),
    ReferralState.DECLINED: _l("Declined"),
    ReferralState.STARTED: _l("Started"),
    ReferralState.COMPLETED: _l("Completed"),
    ReferralState.ENDED_EARLY: _l("Ended early"),
    ReferralState.CLOSED: _l("Closed"),
    ReferralState.WITHDRAWN: _l("Withdrawn"),
    "escalated": _l("Escalated"),
}

URGENCY_LABELS = {Urgency.NORMAL: _l("Normal"), Urgency.URGENT: _l("Urgent")}

STOP_REASON_LABELS = {
    StopReason.NO_CAPACITY: _l("No places"),
    StopReason.NOT_ELIGIBLE: _l("Not eligible"),
    StopReason.UNREACHABLE: _l("Could not contact the person"),
    StopReason.REFUSED: _l("The person refused"),
    StopReason.NO_LONGER_NEEDED: _l("No longer needed"),
    StopReason.DROPPED_OUT: _l("The person stopped coming"),
    StopReason.OTHER: _l("Other reason"),
}

STEP_LABELS = {
    "accept": _l("Accept the referral"), "decline": _l("Decline the referral"), "start": _l("Record the start"),
    "complete": _l("Record the result"), "end": _l("Record an early end"), "close": _l("Close the referral"),
    "withdraw": _l("Withdraw the referral"), "withdraw_consent": _l("The person withdrew the consent"),
    "escalate": _l("Escalate"),
}

PAYLOAD_LABELS = {
    "first_name": _l("First name"), "last_name": _l("Last name"), "pesel": _l("PESEL"),
    "birth_date": _l("Date of birth"), "phone": _l("Phone"), "email": _l("E-mail address"),
    "street": _l("Street"), "postal_code": _l("Postal code"), "locality": _l("Locality"),
    "commune_code": _l("Commune"), "labour_status": _l("Labour market status"),
    "eligibility": _l("Eligibility category"),
}
