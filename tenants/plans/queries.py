"""Tenant-scoped reads of individual plans, their steps and reviews."""
import uuid
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager

from regionet.platform.accounts.models import Membership, MembershipRole, User
from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.ui.polish import polish_order
from regionet.tenants.participants.models import Participant
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment

from .models import IndividualPlan, PlanReview, PlanStep


def access_plan(plan_id: uuid.UUID) -> IndividualPlan:
    return get_for_tenant_or_404(IndividualPlan, plan_id)


def access_step(step_id: uuid.UUID) -> PlanStep:
    return get_for_tenant_or_404(PlanStep, step_id)


def access_review(review_id: uuid.UUID) -> PlanReview:
    return get_for_tenant_or_404(PlanReview, review_id)


def plans_of_participant(participant_id: uuid.UUID) -> list[IndividualPlan]:
    return list(db.session.execute(
        select(IndividualPlan).where(IndividualPlan.participant_id == participant_id)
        .order_by(IndividualPlan.start_date.desc(), IndividualPlan.id)).scalars().unique())


def plans_for_tenant(case_worker_id: int | None = None, open_only: bool = False) -> list[IndividualPlan]:
    """The institution's plans (or one case worker's), in Polish name order of the person."""
    statement = (select(IndividualPlan).join(Participant, Participant.id == IndividualPlan.participant_id)
                 .options(contains_eager(IndividualPlan.participant)))
    if case_worker_id is not None:
        statement = statement.where(IndividualPlan.case_worker_id == case_worker_id)
    if open_only:
        statement = statement.where(IndividualPlan.ended_on.is_(None))
    return list(db.session.execute(
        statement.order_by(Participant.name_key, IndividualPlan.start_date.desc())).scalars().unique())


def enrolments_of_participant(participant_id: uuid.UUID) -> list[tuple[uuid.UUID, str, date, date | None]]:
    """(enrolment id, project title, entry, exit) of the person's enrolments, newest first."""
    return list(db.session.execute(
        select(Enrolment.id, Project.title, Enrolment.entry_date, Enrolment.exit_date)
        .join(Project, Project.id == Enrolment.project_id).where(Enrolment.participant_id == participant_id)
        .order_by(Enrolment.entry_date.desc())).all())


def enrolment_of_participant(participant_id: uuid.UUID, enrolment_id: uuid.UUID | None) -> Enrolment | None:
    if enrolment_id is None:
        return None
    return db.session.execute(select(Enrolment).where(
        Enrolment.id == enrolment_id, Enrolment.participant_id == participant_id)).scalar_one_or_none()


def case_workers_for_institution(institution_id: int, with_officer: bool = False) -> list[tuple[int, str]]:
    """(user id, name) of the institution's active members, in Polish order; the data-protection
    officer, who never opens a participant's file, only with `with_officer` (a request's handler)."""
    statement = (select(User.id, User.full_name).join(Membership, Membership.user_id == User.id)
                 .where(Membership.institution_id == institution_id, Membership.suspended_at.is_(None))
                 .order_by(polish_order(User.full_name)))
    if not with_officer:
        statement = statement.where(Membership.role != MembershipRole.IOD)
    return list(db.session.execute(statement).all())


def reviews_due_for_tenant(until: date, case_worker_id: int | None = None) -> list[PlanReview]:
    """Reviews not yet held of plans still running, due on or before `until` (overdue ones too)."""
    statement = (select(PlanReview).join(IndividualPlan, IndividualPlan.id == PlanReview.plan_id)
                 .join(Participant, Participant.id == IndividualPlan.participant_id)
                 .options(contains_eager(PlanReview.plan).contains_eager(IndividualPlan.participant))
                 .where(and_(PlanReview.held_on.is_(None), PlanReview.due_on <= until,
                             IndividualPlan.ended_on.is_(None))))
    if case_worker_id is not None:
        statement = statement.where(IndividualPlan.case_worker_id == case_worker_id)
    return list(db.session.execute(statement.order_by(PlanReview.due_on, PlanReview.id)).scalars().unique())
