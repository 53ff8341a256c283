"""What is due in an institution (the home page's to-do lists), each item with the page where it is done.

* participations ending this month: enrolments still open in projects that end by the end of
  this month (their exit date is to be recorded);
* 4-week results: people who left, whose immediate-result window (exit + 4 weeks) has not been
  over for more than a month, with no outcome dated by the window's end;
* 6-month results: people whose 6-month date falls within a month either side of today, with no
  outcome dated after their 4-week window;
* plan reviews due within two weeks (and overdue ones), and plans past their planned end that
  are still open; these two follow the case worker when a member looks at their own work;
* consents given for a limited time that end within a month (or ended within the last month) and
  that no later record renews: renewed on the person's data-protection page;
* referrals received and waiting for an answer, and referrals overdue either way (their counts).
Each list is one query, at most `LIMIT` rows, with its full count.
"""
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select

from regionet.platform.extensions import db
from regionet.tenants.indicators.sql import add_days, add_months
from regionet.tenants.participants.models import Participant
from regionet.tenants.plans.models import IndividualPlan
from regionet.tenants.plans.queries import reviews_due_for_tenant
from regionet.tenants.privacy.consents import consents_expiring_for_tenant
from regionet.tenants.projects.models import Project
from regionet.tenants.referrals.queries import Counts, counts_for_tenant
from regionet.tenants.support.models import IMMEDIATE_RESULT_WINDOW, LONGER_TERM_RESULT_MONTHS, Enrolment, Outcome

LIMIT = 20
FOUR_WEEKS = IMMEDIATE_RESULT_WINDOW.days
REVIEW_HORIZON = timedelta(days=14)
CONSENT_HORIZON = timedelta(days=31)
GRACE = timedelta(days=31)


@dataclass(frozen=True)
class DueEnrolment:
    enrolment_id: uuid.UUID
    name: str
    project: str
    start: date          # the window's first day (or the project's end, for participations ending)
    end: date            # the window's last day


@dataclass
class DueList:
    items: list = field(default_factory=list)
    total: int = 0


@dataclass
class DueWork:
    ending: DueList
    four_weeks: DueList
    six_months: DueList
    reviews: DueList
    plans_overdue: DueList
    referrals: Counts
    consents: DueList = field(default_factory=DueList)

    @property
    def total(self) -> int:
        return sum(x.total for x in (self.ending, self.four_weeks, self.six_months, self.reviews,
                                     self.plans_overdue, self.consents)) + self.referrals.needing_attention


def _month_end(today: date) -> date:
    first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def _listed(statement, order) -> DueList:
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(statement.order_by(*order).limit(LIMIT)).all()
    return DueList([DueEnrolment(r.id, f"{r.last_name} {r.first_name}", r.title, r.start, r.end) for r in rows], total)


def _people():
    return (select(Enrolment.id, Participant.first_name, Participant.last_name, Project.title)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .join(Project, Project.id == Enrolment.project_id))


def ending_this_month(today: date) -> DueList:
    statement = _people().add_columns(Project.start_date.label("start"), Project.end_date.label("end")).where(
        Enrolment.exit_date.is_(None), Project.end_date <= _month_end(today))
    return _listed(statement, [Project.end_date, Participant.name_key])


def _outcome_between(first, last):
    return exists().where(Outcome.enrolment_id == Enrolment.id, Outcome.achieved_on >= first,
                          Outcome.achieved_on <= last)


def four_week_results_missing(today: date) -> DueList:
    window_end = add_days(Enrolment.exit_date, FOUR_WEEKS)
    statement = _people().add_columns(Enrolment.exit_date.label("start"), window_end.label("end")).where(
        Enrolment.exit_date.is_not(None), Enrolment.exit_date <= today, window_end >= today - GRACE,
        ~_outcome_between(Enrolment.entry_date, window_end))
    return _listed(statement, [window_end, Participant.name_key])


def six_month_results_missing(today: date) -> DueList:
    window_start = add_days(Enrolment.exit_date, FOUR_WEEKS + 1)
    window_end = add_months(Enrolment.exit_date, LONGER_TERM_RESULT_MONTHS)
    statement = _people().add_columns(window_start.label("start"), window_end.label("end")).where(
        Enrolment.exit_date.is_not(None), and_(window_end >= today - GRACE, window_end <= today + GRACE),
        ~_outcome_between(window_start, window_end))
    return _listed(statement, [window_end, Participant.name_key])


def plans_past_their_end(today: date, case_worker_id: int | None) -> DueList:
    statement = (select(IndividualPlan).join(Participant, Participant.id == IndividualPlan.participant_id)
                 .where(IndividualPlan.ended_on.is_(None), IndividualPlan.planned_end_date < today))
    if case_worker_id is not None:
        statement = statement.where(IndividualPlan.case_worker_id == case_worker_id)
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    plans = db.session.execute(statement.order_by(IndividualPlan.planned_end_date, Participant.name_key)
                               .limit(LIMIT)).scalars().unique().all()
    return DueList(list(plans), total)


def due_work(today: date, case_worker_id: int | None = None) -> DueWork:
    reviews = reviews_due_for_tenant(today + REVIEW_HORIZON, case_worker_id)
    consents, consent_total = consents_expiring_for_tenant(today, today + CONSENT_HORIZON, LIMIT)
    return DueWork(ending=ending_this_month(today), four_weeks=four_week_results_missing(today),
                   six_months=six_month_results_missing(today), reviews=DueList(reviews[:LIMIT], len(reviews)),
                   plans_overdue=plans_past_their_end(today, case_worker_id), referrals=counts_for_tenant(today),
                   consents=DueList(consents, consent_total))
