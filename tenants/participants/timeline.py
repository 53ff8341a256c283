"""Everything that happened to a person in this institution, newest first: entries to and exits
from projects, support (group sessions included), outcomes, plans and their reviews and ends, and
the steps of the person's referrals to other institutions (or from them: the receiver's record).
Each event names the page it comes from (endpoint and its argument)."""
import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.tenants.plans.labels import PLAN_KIND_LABELS, PLAN_RESULT_LABELS
from regionet.tenants.plans.models import IndividualPlan, PlanReview
from regionet.tenants.projects.models import Project
from regionet.tenants.referrals.labels import STATE_LABELS
from regionet.tenants.referrals.queries import referral_days_of
from regionet.tenants.support.labels import INSTRUMENT_LABELS, OUTCOME_LABELS
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode


@dataclass(frozen=True)
class Event:
    day: date
    what: str
    endpoint: str
    args: dict


def timeline_of(participant_id: uuid.UUID) -> list[Event]:
    events: list[Event] = []
    mine = select(Enrolment.id).where(Enrolment.participant_id == participant_id).scalar_subquery()
    for enrolment_id, title, entry, exit_ in db.session.execute(
            select(Enrolment.id, Project.title, Enrolment.entry_date, Enrolment.exit_date)
            .join(Project, Project.id == Enrolment.project_id).where(Enrolment.participant_id == participant_id)):
        link = ("tenant_support.enrolment", {"enrolment_id": enrolment_id})
        events.append(Event(entry, _("Entered %(project)s", project=title), *link))
        if exit_:
            events.append(Event(exit_, _("Left %(project)s", project=title), *link))
    for episode_id, instrument, start in db.session.execute(
            select(SupportEpisode.id, SupportEpisode.instrument, SupportEpisode.start_date)
            .where(SupportEpisode.enrolment_id.in_(mine))):
        events.append(Event(start, str(INSTRUMENT_LABELS[instrument]), "tenant_support.episode",
                            {"episode_id": episode_id}))
    for outcome_id, kind, day in db.session.execute(
            select(Outcome.id, Outcome.kind, Outcome.achieved_on).where(Outcome.enrolment_id.in_(mine))):
        events.append(Event(day, str(OUTCOME_LABELS[kind]), "tenant_support.outcome", {"outcome_id": outcome_id}))
    plans = db.session.execute(select(IndividualPlan).where(IndividualPlan.participant_id == participant_id)
                               ).scalars().unique().all()
    for plan in plans:
        link = ("tenant_plans.detail", {"plan_id": plan.id})
        kind = str(PLAN_KIND_LABELS[plan.kind])
        events.append(Event(plan.start_date, _("%(plan)s started", plan=kind), *link))
        if plan.ended_on:
            events.append(Event(plan.ended_on, _("%(plan)s ended: %(result)s", plan=kind,
                                                 result=PLAN_RESULT_LABELS[plan.result]), *link))
    for review_day, plan_id, kind in db.session.execute(
            select(PlanReview.held_on, PlanReview.plan_id, IndividualPlan.kind)
            .join(IndividualPlan, IndividualPlan.id == PlanReview.plan_id)
            .where(IndividualPlan.participant_id == participant_id, PlanReview.held_on.is_not(None))):
        events.append(Event(review_day, _("Review: %(plan)s", plan=PLAN_KIND_LABELS[kind]),
                            "tenant_plans.detail", {"plan_id": plan_id}))
    for day, state, service, other, referral_id in referral_days_of(participant_id):
        events.append(Event(day, _("Referral to %(service)s (%(institution)s): %(state)s", service=service,
                                   institution=other, state=STATE_LABELS.get(state, state)),
                            "tenant_referrals.detail", {"referral_id": referral_id}))
    return sorted(events, key=lambda e: e.day, reverse=True)
