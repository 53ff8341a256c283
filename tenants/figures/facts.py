"""Building an institution's figure facts from its records.

Runs as the institution (tenant scope; as the runtime role under row-level security). The statements are INSERT ... SELECT built with SQLAlchemy Core,
so no person's row passes through Python. Core statements are not touched by the ORM's
automatic tenant criteria, so every table here is filtered on the current tenant
explicitly (PostgreSQL's row-level security enforces the same again).

Definitions (what the coordinator's figures mean):
* supported in a period: enrolled in a project at any time during it, or given a support
  episode or achieving an outcome during it;
* age band: age on the last day of the period;
* exited: left a project during the period; employed: an employment outcome between the
  entry date and 4 weeks after leaving that project.
"""
from dataclasses import dataclass, field

from sqlalchemy import (
    Date,
    String,
    and_,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    type_coerce,
    union,
    union_all,
)

from regionet.platform.coordinator.dimensions import AGE_BANDS, AGE_LIMITS
from regionet.platform.coordinator.periods import Period, years_back
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScopeMissing, current_tenant_id
from regionet.tenants.indicators.sql import add_days
from regionet.tenants.participants.models import Participant
from regionet.tenants.support.models import (
    EMPLOYMENT_OUTCOMES,
    IMMEDIATE_RESULT_WINDOW,
    Enrolment,
    Outcome,
    SupportEpisode,
)
from regionet.tenants.tallies.queries import records_version_for_tenant

from .models import FigureActivity, FigureFactBuild, FigureParticipation

FP = FigureParticipation.__table__
FA = FigureActivity.__table__
FB = FigureFactBuild.__table__


def _tenant() -> int:
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeMissing("figure facts built with no tenant in context")
    return tenant_id


def _periods(periods: list[Period]):
    rows = [select(literal(p.key, String(40)).label("period_key"), literal(p.start, Date).label("p_start"),
                   literal(p.end, Date).label("p_end"),
                   *[literal(years_back(p.end, limit), Date).label(f"born_by_{limit}") for limit in AGE_LIMITS])
            for p in periods]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("periods")


def _facts_selects(periods: list[Period]):
    """(participations SELECT, activities SELECT) for the current tenant and `periods`."""
    tenant = _tenant()
    e, se, o, pa = Enrolment.__table__, SupportEpisode.__table__, Outcome.__table__, Participant.__table__
    p = _periods(periods)
    episode_enrolment = and_(e.c.tenant_id == se.c.tenant_id, e.c.id == se.c.enrolment_id)
    outcome_enrolment = and_(e.c.tenant_id == o.c.tenant_id, e.c.id == o.c.enrolment_id)

    members = union(
        select(p.c.period_key, e.c.participant_id).select_from(e.join(p, and_(
            e.c.entry_date <= p.c.p_end, or_(e.c.exit_date.is_(None), e.c.exit_date >= p.c.p_start))))
        .where(e.c.tenant_id == tenant),
        select(p.c.period_key, e.c.participant_id).select_from(
            se.join(e, episode_enrolment).join(p, se.c.start_date.between(p.c.p_start, p.c.p_end)))
        .where(se.c.tenant_id == tenant),
        select(p.c.period_key, e.c.participant_id).select_from(
            o.join(e, outcome_enrolment).join(p, o.c.achieved_on.between(p.c.p_start, p.c.p_end)))
        .where(o.c.tenant_id == tenant),
    ).subquery("members")

    job = o.alias("job")
    found_work = exists().where(
        job.c.tenant_id == e.c.tenant_id, job.c.enrolment_id == e.c.id,
        job.c.kind.in_([k.value for k in EMPLOYMENT_OUTCOMES]), job.c.achieved_on >= e.c.entry_date,
        job.c.achieved_on <= add_days(e.c.exit_date, IMMEDIATE_RESULT_WINDOW.days))
    exits = (select(p.c.period_key, e.c.participant_id, func.max(case((found_work, 1), else_=0)).label("employed"))
             .select_from(e.join(p, e.c.exit_date.between(p.c.p_start, p.c.p_end)))
             .where(e.c.tenant_id == tenant).group_by(p.c.period_key, e.c.participant_id).subquery("exits"))

    m, x = members, exits
    age_band = case(*[(pa.c.birth_date > p.c[f"born_by_{limit}"], band)
                      for limit, band in zip(AGE_LIMITS, AGE_BANDS, strict=False)], else_=AGE_BANDS[-1])
    participations = (
        select(literal(tenant).label("tenant_id"), m.c.period_key, m.c.participant_id,
               func.coalesce(pa.c.pseudonym, literal("p:") + cast(pa.c.id, String)).label("person_key"),
               type_coerce(pa.c.sex, String).label("sex"), age_band.label("age_band"),
               type_coerce(pa.c.disability, String).label("disability"), pa.c.commune_code,
               case((x.c.participant_id.is_not(None), true()), else_=false()).label("exited"),
               case((x.c.employed == 1, true()), else_=false()).label("employed"))
        .select_from(m.join(pa, and_(pa.c.tenant_id == tenant, pa.c.id == m.c.participant_id))
                     .join(p, p.c.period_key == m.c.period_key)
                     .outerjoin(x, and_(x.c.period_key == m.c.period_key, x.c.participant_id == m.c.participant_id))))

    activities = union_all(
        select(literal(tenant).label("tenant_id"), p.c.period_key, e.c.participant_id,
               literal("episode").label("kind"), type_coerce(se.c.instrument, String).label("category"), func.count().label("n"))
        .select_from(se.join(e, episode_enrolment).join(p, se.c.start_date.between(p.c.p_start, p.c.p_end)))
        .where(se.c.tenant_id == tenant).group_by(p.c.period_key, e.c.participant_id, se.c.instrument),
        select(literal(tenant).label("tenant_id"), p.c.period_key, e.c.participant_id,
               literal("outcome").label("kind"), type_coerce(o.c.kind, String).label("category"), func.count().label("n"))
        .select_from(o.join(e, outcome_enrolment).join(p, o.c.achieved_on.between(p.c.p_start, p.c.p_end)))
        .where(o.c.tenant_id == tenant).group_by(p.c.period_key, e.c.participant_id, o.c.kind),
    )
    return participations, activities


def _lock(tenant: int) -> None:
    """One rebuild of an institution's facts at a time (two workers, or a submission and a job)."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('figure_facts/' || :t))"), {"t": str(tenant)})


def _record_builds(tenant: int, period_keys: list[str], records_version: int | None) -> None:
    """Say which records the facts of `period_keys` were built from (nothing where no tally is kept)."""
    db.session.execute(delete(FB).where(FB.c.tenant_id == tenant, FB.c.period_key.in_(period_keys)))
    if records_version is not None and period_keys:
        db.session.execute(insert(FB), [{"tenant_id": tenant, "period_key": key, "records_version": records_version}
                                        for key in period_keys])


def do_refresh_facts(periods: list[Period], frozen_keys: set[str]) -> int:
    """Rebuild the current institution's facts for `periods`, leaving frozen ones untouched.

    Facts of periods no longer summarised (outside the window, not frozen) are removed.
    Runs in the caller's transaction; returns the number of participation rows written.
    """
    tenant = _tenant()
    _lock(tenant)
    # Read before building: a change committed meanwhile leaves the build marked older than it is
    # (rebuilt once more later), never newer.
    records_version = records_version_for_tenant()
    db.session.execute(delete(FP).where(FP.c.tenant_id == tenant, FP.c.period_key.not_in(frozen_keys)))
    db.session.execute(delete(FA).where(FA.c.tenant_id == tenant, FA.c.period_key.not_in(frozen_keys)))
    db.session.execute(delete(FB).where(FB.c.tenant_id == tenant, FB.c.period_key.not_in(frozen_keys)))
    live = [p for p in periods if p.key not in frozen_keys]
    if not live:
        return 0
    _record_builds(tenant, [p.key for p in live], records_version)
    participations, activities = _facts_selects(live)
    written = db.session.execute(insert(FP).from_select(
        ["tenant_id", "period_key", "participant_id", "person_key", "sex", "age_band", "disability",
         "commune_code", "exited", "employed"], participations)).rowcount
    db.session.execute(insert(FA).from_select(
        ["tenant_id", "period_key", "participant_id", "kind", "category", "n"], activities))
    if written < 0:   # the driver did not report the INSERT ... SELECT's row count: count what it wrote
        written = db.session.execute(select(func.count()).select_from(FP).where(
            FP.c.tenant_id == tenant, FP.c.period_key.in_([p.key for p in live]))).scalar_one()
    return written


def do_rewrite_period(period: Period) -> None:
    """Rewrite the facts of one period from the records now (just before they are frozen, or
    before a report is built from them); the other periods' facts stay as they are."""
    tenant = _tenant()
    _lock(tenant)
    _record_builds(tenant, [period.key], records_version_for_tenant())
    db.session.execute(delete(FP).where(FP.c.tenant_id == tenant, FP.c.period_key == period.key))
    db.session.execute(delete(FA).where(FA.c.tenant_id == tenant, FA.c.period_key == period.key))
    participations, activities = _facts_selects([period])
    db.session.execute(insert(FP).from_select(
        ["tenant_id", "period_key", "participant_id", "person_key", "sex", "age_band", "disability",
         "commune_code", "exited", "employed"], participations))
    db.session.execute(insert(FA).from_select(
        ["tenant_id", "period_key", "participant_id", "kind", "category", "n"], activities))


@dataclass
class InstitutionFigures:
    """An institution's own totals for one period (exact: it is the institution's own data)."""

    participations: int = 0
    episodes: int = 0
    outcomes: int = 0
    exits: int = 0
    employed: int = 0
    by_sex: dict = field(default_factory=dict)
    by_age_band: dict = field(default_factory=dict)
    by_disability: dict = field(default_factory=dict)
    by_instrument: dict = field(default_factory=dict)
    by_outcome: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict | None) -> "InstitutionFigures | None":
        return None if data is None else cls(**data)


def institution_figures(period: Period, stored: bool) -> InstitutionFigures:
    """The current institution's figures for `period`: from its stored facts (frozen),
    or computed from its records now (`stored=False`)."""
    tenant = _tenant()
    if stored:
        part = select(FP).where(FP.c.tenant_id == tenant, FP.c.period_key == period.key).subquery("fp")
        acts = select(FA).where(FA.c.tenant_id == tenant, FA.c.period_key == period.key).subquery("fa")
    else:
        participations, activities = _facts_selects([period])
        part, acts = participations.subquery("fp"), activities.subquery("fa")
    figures = InstitutionFigures()
    counts = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((part.c.exited, 1), else_=0)), 0),
        func.coalesce(func.sum(case((part.c.employed, 1), else_=0)), 0)).select_from(part)).one()
    figures.participations, figures.exits, figures.employed = (int(v) for v in counts)
    for column, target in (("sex", figures.by_sex), ("age_band", figures.by_age_band),
                           ("disability", figures.by_disability)):
        for key, n in db.session.execute(select(part.c[column], func.count()).group_by(part.c[column])):
            target[key] = int(n)
    for kind, category, n in db.session.execute(
            select(acts.c.kind, acts.c.category, func.sum(acts.c.n)).group_by(acts.c.kind, acts.c.category)):
        (figures.by_instrument if kind == "episode" else figures.by_outcome)[category] = int(n)
    figures.episodes = sum(figures.by_instrument.values())
    figures.outcomes = sum(figures.by_outcome.values())
    return figures
