"""Data subjects' requests (GDPR art. 12): registered with their deadline, assigned, extended with
a reason (by two more months at most), closed with the answer given."""
import calendar
import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed

from .models import RequestKind, RequestStatus, SubjectRequest

ANSWER_MONTHS = 1      # art. 12(3): within one month of receipt
EXTENSION_MONTHS = 2   # ... extendable by two further months, with the reasons


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_due(received_on: date) -> date:
    return add_months(received_on, ANSWER_MONTHS + EXTENSION_MONTHS)


def requests_for_tenant(open_only: bool = True) -> list[SubjectRequest]:
    statement = select(SubjectRequest).order_by(SubjectRequest.status, SubjectRequest.due_on, SubjectRequest.id)
    if open_only:
        statement = statement.where(SubjectRequest.status == RequestStatus.OPEN)
    return list(db.session.execute(statement).scalars())


def requests_of(participant_id: uuid.UUID) -> list[SubjectRequest]:
    return list(db.session.execute(select(SubjectRequest).where(SubjectRequest.participant_id == participant_id)
                                   .order_by(SubjectRequest.received_on.desc())).scalars())


def do_register_request(requester: str, participant_id: uuid.UUID | None, kind: str, received_on: date,
                        details: str | None, assigned_to_id: int | None, user_id: int | None) -> SubjectRequest:
    if received_on > today_in_poland():
        raise ValidationFailed.single("received_on", _("The date cannot be in the future."))
    request = SubjectRequest(requester=requester.strip(), participant_id=participant_id, kind=RequestKind(kind),
                             status=RequestStatus.OPEN, received_on=received_on,
                             due_on=add_months(received_on, ANSWER_MONTHS), details=(details or "").strip() or None,
                             assigned_to_id=assigned_to_id, created_by_id=user_id)
    db.session.add(request)
    db.session.commit()
    return request


def do_extend_request(request: SubjectRequest, due_on: date, reason: str | None) -> None:
    errors = {}
    if request.status is RequestStatus.CLOSED:
        errors["due_on"] = [_("The request is closed.")]
    elif due_on <= request.due_on:
        errors["due_on"] = [_("The new deadline must be later than %(day)s.", day=request.due_on.strftime("%d.%m.%Y"))]
    elif due_on > latest_due(request.received_on):
        errors["due_on"] = [_("The deadline can be extended to %(day)s at the latest (two more months).",
                              day=latest_due(request.received_on).strftime("%d.%m.%Y"))]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason: the person must be told why the answer takes longer.")]
    if errors:
        raise ValidationFailed(errors)
    request.due_on, request.extension_reason = due_on, reason.strip()
    db.session.commit()


def do_assign_request(request: SubjectRequest, user_id: int | None) -> None:
    request.assigned_to_id = user_id
    db.session.commit()


def do_close_request(request: SubjectRequest, answer: str | None) -> None:
    if request.status is RequestStatus.CLOSED:
        raise ValidationFailed.single("answer", _("The request is already closed."))
    if not (answer or "").strip():
        raise ValidationFailed.single("answer", _("Write the answer given to the person."))
    request.status, request.answer, request.closed_on = RequestStatus.CLOSED, answer.strip(), today_in_poland()
    db.session.commit()
