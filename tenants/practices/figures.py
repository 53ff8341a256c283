"""The results of a practice, computed from the records of its linked project.

`compute_project_figures_for_tenant` is the one place that counts: a small aggregate SQL
over enrolments, participants, support episodes and outcomes, run in the current tenant
scope (the ORM and PostgreSQL's row-level security both keep it inside one institution).
It returns raw counts; `publishable_figures` turns them into suppressed cells, the only
form that ever leaves the institution. When the shared indicators module lands, the lead
re-points `compute_project_figures_for_tenant` at it.
"""
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import and_, case, distinct, extract, func, select

from regionet.platform.extensions import db
from regionet.platform.practices.suppression import SuppressionRule, suppress_count, suppress_rate
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import LabourStatus, Participant, SensitiveAnswer, Sex
from regionet.tenants.projects.models import ProjectTarget
from regionet.tenants.support.models import EMPLOYMENT_OUTCOMES, IMMEDIATE_RESULT_WINDOW, Enrolment, Outcome, \
    OutcomeKind, SupportEpisode

# Indicator keys (tenants.projects.catalogues.INDICATORS) in the order results tables show them,
# with whether the count is about health (stricter suppression).
RESULT_ROWS = (
    ("participants_total", False), ("participants_women", False), ("participants_disability", True),
    ("participants_long_term_unemployed", False), ("participants_50_plus", False), ("support_episodes", False),
    ("employed", False), ("employment_rate", False), ("qualified", False), ("independent_of_assistance", False),
)


@dataclass
class ProjectFigures:
    """Raw counts for one project as of a day. Never stored or shown as such."""

    participants: int = 0
    women: int = 0
    disability: int = 0
    long_term_unemployed: int = 0
    aged_50_plus: int = 0
    exited: int = 0
    support_episodes: int = 0
    employed: int = 0
    employed_within_4_weeks: int = 0
    qualified: int = 0
    independent: int = 0
    by_instrument: dict[str, int] = field(default_factory=dict)   # participants per instrument
    targets: dict[str, float] = field(default_factory=dict)

    def value(self, key: str) -> int:
        return {
            "participants_total": self.participants, "participants_women": self.women,
            "participants_disability": self.disability,
            "participants_long_term_unemployed": self.long_term_unemployed,
            "participants_50_plus": self.aged_50_plus, "support_episodes": self.support_episodes,
            "employed": self.employed, "qualified": self.qualified, "independent_of_assistance": self.independent,
        }[key]

    def add(self, other: "ProjectFigures") -> None:
        for name, value in asdict(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        for key, n in other.by_instrument.items():
            self.by_instrument[key] = self.by_instrument.get(key, 0) + n


def _day_number(column):
    """yyyymmdd as an integer, portable between PostgreSQL and SQLite (for whole-year ages)."""
    return extract("year", column) * 10000 + extract("month", column) * 100 + extract("day", column)


def compute_project_figures_for_tenant(project_ids: list[uuid.UUID], as_of: date) -> dict[uuid.UUID, ProjectFigures]:
    """Counts for the current tenant's projects, as of `as_of` (entries and results up to that day)."""
    ids = list(dict.fromkeys(project_ids))
    if not ids:
        return {}
    result = {project_id: ProjectFigures() for project_id in ids}
    e, p = Enrolment, Participant
    employment = list(EMPLOYMENT_OUTCOMES)
    base = (e.project_id.in_(ids), e.entry_date <= as_of)

    people = db.session.execute(
        select(e.project_id, func.count(e.id),
               func.sum(case((p.sex == Sex.FEMALE, 1), else_=0)),
               func.sum(case((p.disability == SensitiveAnswer.YES, 1), else_=0)),
               func.sum(case((e.status_at_entry == LabourStatus.LONG_TERM_UNEMPLOYED, 1), else_=0)),
               func.sum(case((_day_number(e.entry_date) - _day_number(p.birth_date) >= 500000, 1), else_=0)),
               func.sum(case((and_(e.exit_date.is_not(None), e.exit_date <= as_of), 1), else_=0)))
        .join(e.participant).where(*base).group_by(e.project_id)).all()
    for project_id, total, women, disability, ltu, older, exited in people:
        figures = result[project_id]
        figures.participants, figures.women, figures.disability = total, int(women or 0), int(disability or 0)
        figures.long_term_unemployed, figures.aged_50_plus, figures.exited = int(ltu or 0), int(older or 0), \
            int(exited or 0)

    outcomes = db.session.execute(
        select(e.project_id,
               func.count(distinct(case((Outcome.kind.in_(employment), e.id)))),
               func.count(distinct(case((Outcome.kind == OutcomeKind.QUALIFICATION, e.id)))),
               func.count(distinct(case((Outcome.kind == OutcomeKind.INDEPENDENT_OF_ASSISTANCE, e.id)))))
        .join(Outcome.enrolment).where(*base, Outcome.achieved_on <= as_of).group_by(e.project_id)).all()
    for project_id, employed, qualified, independent in outcomes:
        result[project_id].employed, result[project_id].qualified, result[project_id].independent = \
            employed, qualified, independent

    # The ESF immediate result: in work within 4 weeks of leaving (dates only, aggregated here).
    first_jobs = db.session.execute(
        select(e.project_id, e.id, e.exit_date, func.min(Outcome.achieved_on))
        .join(Outcome.enrolment)
        .where(*base, e.exit_date.is_not(None), e.exit_date <= as_of, Outcome.kind.in_(employment),
               Outcome.achieved_on <= as_of, Outcome.achieved_on >= e.entry_date)
        .group_by(e.project_id, e.id, e.exit_date)).all()
    for project_id, _enrolment, exit_date, first_job in first_jobs:
        if first_job <= exit_date + IMMEDIATE_RESULT_WINDOW:
            result[project_id].employed_within_4_weeks += 1

    episodes = db.session.execute(
        select(e.project_id, SupportEpisode.instrument, func.count(SupportEpisode.id), func.count(distinct(e.id)))
        .join(SupportEpisode.enrolment).where(*base, SupportEpisode.start_date <= as_of)
        .group_by(e.project_id, SupportEpisode.instrument)).all()
    for project_id, instrument, count, participants in episodes:
        result[project_id].support_episodes += count
        result[project_id].by_instrument[str(getattr(instrument, "value", instrument))] = participants

    for target in db.session.execute(select(ProjectTarget).where(ProjectTarget.project_id.in_(ids))).scalars():
        result[target.project_id].targets[target.indicator] = float(target.target_value)
    return result


def project_figures_of_institution(institution_id: int, project_ids: list[uuid.UUID],
                                   as_of: date) -> dict[uuid.UUID, ProjectFigures]:
    """The same counts for another context (a coordinator's decision, a report job): enters the tenant."""
    with tenant_scope(institution_id):
        return compute_project_figures_for_tenant(project_ids, as_of)


def publishable_figures(figures: ProjectFigures | None, rule: SuppressionRule, as_of: date) -> dict | None:
    """The results table of a practice as suppressed cells: what the coordinator, the catalogue and PDFs see."""
    if figures is None:
        return None
    rows = []
    for key, sensitive in RESULT_ROWS:
        if key == "employment_rate":
            cell = suppress_rate(figures.employed_within_4_weeks, figures.exited, rule)
        else:
            cell = suppress_count(figures.value(key), rule, sensitive=sensitive)
        target = figures.targets.get(key)
        rows.append({"key": key, "cell": cell, "target": target})
    instruments = [{"instrument": key, "cell": suppress_count(n, rule)}
                   for key, n in sorted(figures.by_instrument.items())]
    return {"as_of": as_of.isoformat(), "rule": rule.to_json(), "rows": rows, "by_instrument": instruments}


def published_versions_figures(institution_id: int, version_ids: list[uuid.UUID],
                               as_of: date) -> dict[uuid.UUID, tuple[ProjectFigures, tuple]]:
    """Raw figures of the projects linked to published versions of one institution (enters its scope).

    Returns {version_id: (figures, (institution_id, project_id))} for versions with a project.
    """
    from .models import PracticeVersion

    with tenant_scope(institution_id):
        links = dict(db.session.execute(select(PracticeVersion.id, PracticeVersion.project_id).where(
            PracticeVersion.id.in_(version_ids), PracticeVersion.project_id.is_not(None))).all())
        figures = compute_project_figures_for_tenant(list(links.values()), as_of)
    return {version_id: (figures[project_id], (institution_id, project_id)) for version_id, project_id in links.items()}
