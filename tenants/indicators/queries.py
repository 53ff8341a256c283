"""A project's indicators, counted by the database (GROUP BY), never loaded row by row.

Definitions (shown on the project page as well):
- a participant is one enrolment in the project (a person is enrolled once per project);
- age band: completed years at the entry date, bands under 18, 18–24, 25–29, 30–49, 50–64, 65+;
- a person "took up work" when they have an outcome of a work kind (employment contract,
  civil-law contract, self-employment, internship turned into a job); a person is counted once
  even with several such outcomes;
- employment rate after support (ESF immediate result): people who left the project (exit date
  set and not in the future) with a work outcome dated no later than 4 weeks after their exit,
  divided by the people who left; the 6-month rate uses "no later than 6 months after exit".
"""
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.tenants.participants.models import (
    LabourStatus,
    Participant,
    SensitiveAnswer,
    Sex,
)
from regionet.tenants.projects.catalogues import INDICATORS
from regionet.tenants.projects.models import Project, ProjectTarget
from regionet.tenants.support.models import (
    EMPLOYMENT_OUTCOMES,
    IMMEDIATE_RESULT_WINDOW,
    LONGER_TERM_RESULT_MONTHS,
    Enrolment,
    Instrument,
    Outcome,
    OutcomeKind,
    SupportEpisode,
)
from regionet.tenants.tallies.queries import records_version_for_tenant

from .sql import add_days, add_months

AGE_BANDS = ("under_18", "18_24", "25_29", "30_49", "50_64", "65_plus")


@dataclass
class Count:
    key: str
    value: int


@dataclass
class InstrumentRow:
    instrument: Instrument
    episodes: int
    people: int
    hours: Decimal


@dataclass
class OutcomeRow:
    kind: OutcomeKind
    outcomes: int
    people: int


@dataclass
class TargetRow:
    key: str
    actual: Decimal | int | None
    target: Decimal

    @property
    def unit(self) -> str:
        return INDICATORS[self.key].unit

    @property
    def label(self):
        return INDICATORS[self.key].label

    @property
    def percent_of_target(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return Decimal(self.actual) * 100 / self.target


@dataclass
class ProjectIndicators:
    participants: int = 0
    left: int = 0
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    by_disability: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    instruments: list[InstrumentRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    employed: int = 0
    employed_within_4_weeks: int = 0
    employed_within_6_months: int = 0
    targets: list[TargetRow] = field(default_factory=list)

    @property
    def episodes(self) -> int:
        return sum(row.episodes for row in self.instruments)

    @property
    def hours(self) -> Decimal:
        return sum((row.hours for row in self.instruments), Decimal(0))

    def people_with(self, kind: OutcomeKind) -> int:
        return next((row.people for row in self.outcomes if row.kind is kind), 0)

    @property
    def employed_by_kind(self) -> list[tuple[OutcomeKind, int]]:
        return [(kind, self.people_with(kind)) for kind in OutcomeKind if kind in EMPLOYMENT_OUTCOMES]

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        return None if not whole else Decimal(part) * 100 / whole

    @property
    def employment_rate(self) -> Decimal | None:
        return self._rate(self.employed_within_4_weeks, self.left)

    @property
    def employment_rate_6_months(self) -> Decimal | None:
        return self._rate(self.employed_within_6_months, self.left)

    def actual(self, key: str):
        """The computed value an indicator target is compared with."""
        return {
            "participants_total": self.participants,
            "participants_women": self.by_sex.get(Sex.FEMALE.value, 0),
            "participants_disability": self.by_disability.get(SensitiveAnswer.YES.value, 0),
            "participants_long_term_unemployed": self.by_status.get(LabourStatus.LONG_TERM_UNEMPLOYED.value, 0),
            "participants_50_plus": self.by_age.get("50_64", 0) + self.by_age.get("65_plus", 0),
            "support_episodes": self.episodes,
            "employed": self.employed,
            "employment_rate": self.employment_rate,
            "qualified": self.people_with(OutcomeKind.QUALIFICATION),
            "independent_of_assistance": self.people_with(OutcomeKind.INDEPENDENT_OF_ASSISTANCE),
        }[key]


def _age_band(entry, birth):
    """The band of completed years at entry: born after entry minus N years means younger than N.

    Comparing dates (rather than computing ages with EXTRACT) keeps the GROUP BY cheap.
    """
    def younger_than(years: int):
        return birth > add_months(entry, -12 * years)

    return case((younger_than(18), "under_18"), (younger_than(25), "18_24"), (younger_than(30), "25_29"),
                (younger_than(50), "30_49"), (younger_than(65), "50_64"), else_="65_plus")


def indicators_for_project(project: Project, today: date) -> ProjectIndicators:
    """The project page's indicators with their targets (counts reused while the records are unchanged)."""
    result = replace(_counted(project.id, today), targets=[])
    _add_targets({project.id: result})
    return result


def indicators_for_projects(project_ids: list[uuid.UUID], today: date, *,
                            records_until: date | None = None) -> dict[uuid.UUID, ProjectIndicators]:
    """The indicators of several projects of the current tenant, one GROUP BY query per kind.

    `records_until` counts the records as they stood on that day (enrolments that had
    started, episodes that had begun, outcomes achieved by then): a practice's results
    "as of" a day. Without it every record counts (the project page).
    """
    result = _count(list(dict.fromkeys(project_ids)), today, records_until)
    _add_targets(result)
    return result


def _count(ids: list[uuid.UUID], today: date, records_until: date | None) -> dict[uuid.UUID, ProjectIndicators]:
    result = {project_id: ProjectIndicators() for project_id in ids}
    if ids:
        _participant_counts(ids, today, records_until, result)
        _instrument_counts(ids, records_until, result)
        _outcome_counts(ids, today, records_until, result)
    return result


def _add_targets(result: dict[uuid.UUID, ProjectIndicators]) -> None:
    if not result:
        return
    order = list(INDICATORS)
    targets = db.session.execute(select(ProjectTarget).where(ProjectTarget.project_id.in_(list(result)))).scalars()
    for target in sorted(targets, key=lambda t: order.index(t.indicator) if t.indicator in INDICATORS else 0):
        if target.indicator in INDICATORS:
            indicators = result[target.project_id]
            indicators.targets.append(TargetRow(target.indicator, indicators.actual(target.indicator),
                                                target.target_value))


# A large project's counts read tens of thousands of rows; they are kept per process while the
# institution's records stay unchanged (`records_version`, moved on by every write of
# participants, enrolments, support or outcomes in the writing transaction; tenants/tallies).
# Cached results are shared between requests: callers must not modify them.
_COUNTED: OrderedDict = OrderedDict()
_COUNTED_SIZE = 256
_COUNTED_LOCK = threading.Lock()


def _counted(project_id: uuid.UUID, today: date) -> ProjectIndicators:
    version = records_version_for_tenant()
    key = (current_tenant_id(), project_id, version, today)
    with _COUNTED_LOCK:
        found = _COUNTED.get(key)
        if found is not None:
            _COUNTED.move_to_end(key)
            return found
    counted = count_project_indicators(project_id, today)
    with _COUNTED_LOCK:
        _COUNTED[key] = counted
        while len(_COUNTED) > _COUNTED_SIZE:
            _COUNTED.popitem(last=False)
    return counted


def count_project_indicators(project_id: uuid.UUID, today: date) -> ProjectIndicators:
    """The project's counts from its records (no targets)."""
    return _count([project_id], today, None)[project_id]


def _entered(records_until: date | None) -> tuple:
    return () if records_until is None else (Enrolment.entry_date <= records_until,)


def _participant_counts(ids: list, today: date, records_until: date | None, result: dict) -> None:
    band = _age_band(Enrolment.entry_date, Participant.birth_date).label("band")
    left = func.sum(case((and_(Enrolment.exit_date.is_not(None), Enrolment.exit_date <= today), 1), else_=0))
    rows = db.session.execute(
        select(Enrolment.project_id, Participant.sex, band, Participant.disability, Enrolment.status_at_entry,
               func.count(), left)
        .select_from(Enrolment).join(Participant, Participant.id == Enrolment.participant_id)
        .where(Enrolment.project_id.in_(ids), *_entered(records_until))
        .group_by(Enrolment.project_id, Participant.sex, band, Participant.disability,
                  Enrolment.status_at_entry)).all()
    # At most 2 × 6 × 3 × 5 groups a project: summing them here is summing aggregates, not rows.
    for project_id, sex, age_band, disability, status, count, left_count in rows:
        indicators = result[project_id]
        indicators.participants += count
        indicators.left += int(left_count or 0)
        for bucket, key in ((indicators.by_sex, sex), (indicators.by_age, age_band),
                            (indicators.by_disability, disability), (indicators.by_status, status)):
            key = getattr(key, "value", key)
            bucket[key] = bucket.get(key, 0) + count


def _instrument_counts(ids: list, records_until: date | None, result: dict) -> None:
    started = () if records_until is None else (SupportEpisode.start_date <= records_until,)
    rows = db.session.execute(
        select(Enrolment.project_id, SupportEpisode.instrument, func.count(),
               func.count(func.distinct(SupportEpisode.enrolment_id)),
               func.coalesce(func.sum(SupportEpisode.hours), 0))
        .join(Enrolment, Enrolment.id == SupportEpisode.enrolment_id)
        .where(Enrolment.project_id.in_(ids), *_entered(records_until), *started)
        .group_by(Enrolment.project_id, SupportEpisode.instrument)).all()
    order = list(Instrument)
    for project_id, instrument, n, people, hours in rows:
        result[project_id].instruments.append(InstrumentRow(instrument, n, people, Decimal(hours)))
    for indicators in result.values():
        indicators.instruments.sort(key=lambda row: order.index(row.instrument))


def _outcome_counts(ids: list, today: date, records_until: date | None, result: dict) -> None:
    achieved = () if records_until is None else (Outcome.achieved_on <= records_until,)
    rows = db.session.execute(
        select(Enrolment.project_id, Outcome.kind, func.count(), func.count(func.distinct(Outcome.enrolment_id)))
        .join(Enrolment, Enrolment.id == Outcome.enrolment_id)
        .where(Enrolment.project_id.in_(ids), *_entered(records_until), *achieved)
        .group_by(Enrolment.project_id, Outcome.kind)).all()
    order = list(OutcomeKind)
    for project_id, kind, n, people in rows:
        result[project_id].outcomes.append(OutcomeRow(kind, n, people))
    for indicators in result.values():
        indicators.outcomes.sort(key=lambda row: order.index(row.kind))
    has_left = and_(Enrolment.exit_date.is_not(None), Enrolment.exit_date <= today)

    def people_where(condition):
        return func.count(func.distinct(case((condition, Outcome.enrolment_id))))

    employment = db.session.execute(
        select(Enrolment.project_id, func.count(func.distinct(Outcome.enrolment_id)),
               people_where(and_(has_left, Outcome.achieved_on <= add_days(Enrolment.exit_date,
                                                                           IMMEDIATE_RESULT_WINDOW.days))),
               people_where(and_(has_left, Outcome.achieved_on <= add_months(Enrolment.exit_date,
                                                                             LONGER_TERM_RESULT_MONTHS))))
        .join(Enrolment, Enrolment.id == Outcome.enrolment_id)
        .where(Enrolment.project_id.in_(ids), Outcome.kind.in_(list(EMPLOYMENT_OUTCOMES)),
               *_entered(records_until), *achieved)
        .group_by(Enrolment.project_id)).all()
    for project_id, employed, within_4_weeks, within_6_months in employment:
        indicators = result[project_id]
        indicators.employed, indicators.employed_within_4_weeks, indicators.employed_within_6_months = \
            employed, within_4_weeks, within_6_months
