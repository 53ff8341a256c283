"""Writes of individual plans. Every rule is checked before anything is written; the plan's
episode and outcome are written in the same transaction as the plan."""
import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import format_day
from regionet.platform.validation import ValidationFailed
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.attachments.services import do_store_attachment
from regionet.tenants.participants.models import Participant
from regionet.tenants.support.models import Outcome, OutcomeKind, SupportEpisode
from regionet.tenants.support.rules import episode_errors, outcome_errors

from .labels import PLAN_KIND_LABELS, PLAN_RESULT_LABELS
from .models import (
    AMENDABLE,
    IndividualPlan,
    PlanAmendment,
    PlanKind,
    PlanRecord,
    PlanResult,
    PlanReview,
    PlanStep,
)
from .queries import enrolment_of_participant


@dataclass(frozen=True)
class PlanContent:
    number: str | None
    case_worker_id: int | None
    other_parties: str | None
    planned_end_date: date | None
    goals: str
    institution_obligations: str
    participant_obligations: str


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _content_errors(content: PlanContent, start: date | None, case_workers: set[int]) -> dict:
    errors: dict[str, list[str]] = {}
    if content.planned_end_date is None:
        _add(errors, "planned_end_date", _("Enter the date the plan is to end."))
    elif start is not None and content.planned_end_date < start:
        _add(errors, "planned_end_date", _("The planned end cannot be earlier than the start of the plan."))
    if content.case_worker_id is not None and content.case_worker_id not in case_workers:
        _add(errors, "case_worker_id", _("Choose a member of the institution's staff."))
    for name, message in (("goals", _("Write down the goals of the plan.")),
                          ("institution_obligations", _("Write down what the institution undertakes to do.")),
                          ("participant_obligations", _("Write down what the person undertakes to do."))):
        if not (getattr(content, name) or "").strip():
            _add(errors, name, message)
    return errors


def _apply_content(plan: IndividualPlan, content: PlanContent) -> None:
    plan.number = (content.number or "").strip() or None
    plan.case_worker_id = content.case_worker_id
    plan.other_parties = (content.other_parties or "").strip() or None
    plan.planned_end_date = content.planned_end_date
    plan.goals, plan.institution_obligations = content.goals.strip(), content.institution_obligations.strip()
    plan.participant_obligations = content.participant_obligations.strip()


def plan_title(plan: IndividualPlan) -> str:
    label = str(PLAN_KIND_LABELS[plan.kind])
    return _("%(kind)s no. %(number)s", kind=label, number=plan.number) if plan.number else label


def do_start_plan(participant: Participant, kind: PlanKind | None, enrolment_id: uuid.UUID | None,
                  start_date: date | None, first_review_on: date | None, content: PlanContent,
                  case_workers: set[int], today: date) -> IndividualPlan:
    """A new plan; tied to an enrolment, it also starts that enrolment's support episode."""
    errors = _content_errors(content, start_date, case_workers)
    if kind is None:
        _add(errors, "kind", _("Choose the type of plan."))
    enrolment = enrolment_of_participant(participant.id, enrolment_id)
    if enrolment_id is not None and enrolment is None:
        _add(errors, "enrolment_id", _("Choose one of the person's projects."))
    if start_date is None:
        _add(errors, "start_date", _("Enter the date the plan starts."))
    elif start_date > today:
        _add(errors, "start_date", _("The start date cannot be in the future: record the plan once it is signed."))
    elif enrolment is not None:
        for message in episode_errors(enrolment, start_date, None, None, today).get("start_date", []):
            _add(errors, "start_date", message)
    if first_review_on is not None and start_date is not None and first_review_on < start_date:
        _add(errors, "first_review_on", _("A review cannot come before the start of the plan."))
    if errors:
        raise ValidationFailed(errors)
    plan = IndividualPlan(participant_id=participant.id, enrolment_id=enrolment.id if enrolment else None, kind=kind,
                          start_date=start_date, version=1)
    _apply_content(plan, content)
    db.session.add(plan)
    if first_review_on is not None:
        plan.reviews.append(PlanReview(due_on=first_review_on))
    if enrolment is not None:
        episode = SupportEpisode(enrolment_id=enrolment.id, instrument=kind.instrument, start_date=start_date,
                                 notes=plan_title(plan))
        db.session.add(episode)
        plan.records.append(PlanRecord(episode=episode))
    db.session.commit()
    return plan


def do_amend_plan(plan: IndividualPlan, content: PlanContent, reason: str | None, case_workers: set[int],
                  today: date, user_id: int | None) -> IndividualPlan:
    """Change a plan. Once signed (its scan attached), a change is an amendment: it needs a reason,
    makes a new version and keeps the content before it."""
    errors = _content_errors(content, plan.start_date, case_workers)
    if plan.is_ended:
        _add(errors, "reason", _("The plan has ended; it can no longer be changed."))
    signed = plan.signed_scan_id is not None
    if signed and not (reason or "").strip():
        _add(errors, "reason", _("The plan is signed: give the reason for the amendment."))
    if errors:
        raise ValidationFailed(errors)
    before = {name: _json(getattr(plan, name)) for name in AMENDABLE}
    before["steps"] = [[s.description, s.owner, s.due_on.isoformat()] for s in plan.steps]
    _apply_content(plan, content)
    changed = any(_json(getattr(plan, name)) != before[name] for name in AMENDABLE)
    if signed and changed:
        plan.version += 1
        plan.amendments.append(PlanAmendment(version=plan.version, made_on=today, reason=reason.strip(),
                                             previous=before, made_by_id=user_id))
    db.session.commit()
    return plan


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


def do_add_step(plan: IndividualPlan, description: str | None, owner: str | None, due_on: date | None) -> PlanStep:
    errors: dict[str, list[str]] = {}
    description, owner = (description or "").strip(), (owner or "").strip()
    if plan.is_ended:
        _add(errors, "description", _("The plan has ended; steps can no longer be added."))
    elif not description:
        _add(errors, "description", _("Describe the step."))
    if not owner:
        _add(errors, "owner", _("Say who takes this step, e.g. the person or the case worker."))
    if due_on is None:
        _add(errors, "due_on", _("Enter the date the step is due."))
    elif due_on < plan.start_date:
        _add(errors, "due_on", _("A step cannot be due before the plan starts (%(day)s).",
                                 day=format_day(plan.start_date)))
    if errors:
        raise ValidationFailed(errors)
    step = PlanStep(description=description, owner=owner, due_on=due_on)
    plan.steps.append(step)
    db.session.commit()
    return step


def do_mark_step_done(step: PlanStep, today: date) -> None:
    step.done_on = None if step.done_on else today
    db.session.commit()


def do_schedule_review(plan: IndividualPlan, due_on: date | None) -> PlanReview:
    if plan.is_ended:
        raise ValidationFailed.single("due_on", _("The plan has ended; no review can be scheduled."))
    if due_on is None or due_on < plan.start_date:
        raise ValidationFailed.single("due_on", _("A review cannot come before the start of the plan."))
    review = PlanReview(due_on=due_on)
    plan.reviews.append(review)
    db.session.commit()
    return review


def do_record_review(review: PlanReview, held_on: date | None, notes: str, today: date) -> PlanReview:
    if held_on is None:
        raise ValidationFailed.single("held_on", _("Enter the date the review took place."))
    if held_on > today:
        raise ValidationFailed.single("held_on", _("The review cannot be recorded before it takes place."))
    if held_on < review.plan.start_date:
        raise ValidationFailed.single("held_on", _("A review cannot come before the start of the plan."))
    review.held_on, review.notes = held_on, notes.strip()
    db.session.commit()
    return review


def do_end_plan(plan: IndividualPlan, ended_on: date | None, result: PlanResult | None,
                outcome_kind: OutcomeKind | None, note: str | None, today: date) -> IndividualPlan:
    """End a plan with its result: its episode ends that day, and an outcome is recorded when asked."""
    errors: dict[str, list[str]] = {}
    if plan.is_ended:
        _add(errors, "ended_on", _("The plan has already ended."))
    if result is None:
        _add(errors, "result", _("Choose the result of the plan."))
    if ended_on is None:
        _add(errors, "ended_on", _("Enter the date the plan ended."))
    elif ended_on > today:
        _add(errors, "ended_on", _("The end date cannot be in the future."))
    elif ended_on < plan.start_date:
        _add(errors, "ended_on", _("The plan cannot end before it starts (%(day)s).", day=format_day(plan.start_date)))
    episode = next((r.episode for r in plan.records if r.episode is not None), None)
    if ended_on is not None and "ended_on" not in errors:
        if episode is not None:
            for message in episode_errors(plan.enrolment, episode.start_date, ended_on, None, today).get("end_date", []):
                _add(errors, "ended_on", message)
        if outcome_kind is not None:
            if plan.enrolment is None:
                _add(errors, "outcome_kind", _("The plan is not tied to a project: an outcome cannot be recorded."))
            else:
                for message in outcome_errors(plan.enrolment, ended_on, today).get("achieved_on", []):
                    _add(errors, "outcome_kind", message)
    if errors:
        raise ValidationFailed(errors)
    plan.ended_on, plan.result, plan.result_note = ended_on, result, (note or "").strip() or None
    if episode is not None:
        episode.end_date = ended_on
    if outcome_kind is not None:
        outcome = Outcome(enrolment_id=plan.enrolment_id, kind=outcome_kind, achieved_on=ended_on,
                          evidence=f"{plan_title(plan)}: {PLAN_RESULT_LABELS[result]}")
        db.session.add(outcome)
        plan.records.append(PlanRecord(outcome=outcome))
    db.session.commit()
    return plan


def do_delete_plans_of(participant: Participant) -> None:
    """Erasure and anonymisation: the person's plans go with their steps, reviews, amendments and
    scans (their support episodes and outcomes stay with the enrolment). In the caller's transaction."""
    plans = db.session.execute(select(IndividualPlan).where(IndividualPlan.participant_id == participant.id)
                               ).scalars().unique().all()
    scans = [plan.signed_scan_id for plan in plans if plan.signed_scan_id]
    for plan in plans:
        db.session.delete(plan)
    db.session.flush()
    if scans:
        db.session.execute(delete(Attachment).where(Attachment.id.in_(scans)))


def do_attach_scan(plan: IndividualPlan, upload, user_id: int | None, max_bytes: int) -> IndividualPlan:
    """Attach (or replace) the signed scan; the replaced file goes."""
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationFailed.single("scan", _("Choose the scanned, signed plan (PDF, JPEG or PNG)."))
    previous = plan.signed_scan
    attachment = do_store_attachment(upload, user_id, max_bytes, field_name="scan")
    db.session.flush()
    plan.signed_scan_id = attachment.id
    if previous is not None:
        db.session.flush()
        db.session.delete(previous)
    db.session.commit()
    return plan
