"""The results of a practice: its linked project's indicators, as published cells.

The counting is the project's own indicators (`tenants/indicators/queries.py`), taken as
the records stood on a day; the cells go through the disclosure module
(`platform/coordinator/disclosure.py`), the only way a person count leaves the
institution: primary suppression below the region's threshold (the stricter one for
disability), the employment rate published only when neither of the counts behind it
can be worked out.
"""
import uuid
from datetime import date

from sqlalchemy import select

from regionet.platform.coordinator.disclosure import (
    NO_TOTAL,
    RegionRules,
    one_way,
    protect,
    protect_share,
    stored_cell,
    stored_share,
)
from regionet.platform.coordinator.linked import Line, LinkedSet, protect_linked
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.indicators.queries import ProjectIndicators, indicators_for_projects

FIGURES_FORMAT = 2
# Indicator keys (tenants.projects.catalogues.INDICATORS) in the order results tables show them,
# with whether the count is about health (stricter suppression).
RESULT_ROWS = (
    ("participants_total", False), ("participants_women", False), ("participants_disability", True),
    ("participants_long_term_unemployed", False), ("participants_50_plus", False), ("support_episodes", False),
    ("employed", False), ("employment_rate", False), ("qualified", False), ("independent_of_assistance", False),
)


def project_indicators_for_tenant(project_ids: list[uuid.UUID], as_of: date) -> dict[uuid.UUID, ProjectIndicators]:
    """The current tenant's projects' indicators as their records stood on `as_of`."""
    return indicators_for_projects(project_ids, as_of, records_until=as_of)


# People counted in the results table who are also counted in its total: a part printed next to
# the total tells the rest too (total 12, women 10: men 2), so each is protected with its rest.
PARTS_OF_TOTAL = ("participants_women", "participants_disability", "participants_long_term_unemployed",
                  "participants_50_plus", "employed", "qualified", "independent_of_assistance")


def _hidden_results(counts: dict, rules: RegionRules) -> set:
    """The results that may not be printed: the practice's figures as one linked set (linked.py).

    A part printed with the total tells the rest (total minus part). Where that rest is a
    small count (1 or 2 men beside 10 women), it is a hidden cell of its own (never printed)
    on the line total = part + rest, so the part (or, if cheaper, the total) is hidden with
    it; the audit checks what is left. A rest of 0 or of at least the threshold tells no one.
    """
    total = counts["participants_total"]
    normal = rules.normal.threshold
    cells = dict(counts)
    lines = []
    for key in PARTS_OF_TOTAL:
        rest = total - counts[key]
        if 0 < rest < normal:
            cells[("rest", key)] = rest
            lines.append(Line("participants_total", (key, ("rest", key))))

    def threshold(key) -> int:
        return rules.sensitive.threshold if key == "participants_disability" else normal

    def weight(key) -> int:
        return 10 if key == "participants_total" else 1

    ls = LinkedSet(cells, lines, threshold=threshold, weight=weight)
    return {key for key in protect_linked(ls) if not isinstance(key, tuple)}


def _cell(counts: dict, hidden: set, key: str) -> dict:
    return {"value": None, "suppressed": True} if key in hidden else {"value": int(counts[key])}


def publishable_figures(indicators: ProjectIndicators | None, rules: RegionRules, as_of: date) -> dict | None:
    """The results table of a practice as published cells: what the coordinator, the catalogue and PDFs see.

    The total and its parts (women, disability, ...) are protected together (`_hidden_results`);
    support episodes are a count of their own; participants by instrument overlap (one person,
    several instruments), so that list has no total and is protected cell by cell.
    """
    if indicators is None:
        return None
    counts = {key: indicators.actual(key) for key, _sensitive in RESULT_ROWS if key != "employment_rate"}
    hidden = _hidden_results(counts, rules)
    rate = stored_share(protect_share(indicators.employed_within_4_weeks, indicators.left, rules.normal))
    targets = {target.key: float(target.target) for target in indicators.targets}
    rows = []
    for key, _sensitive in RESULT_ROWS:
        cell = rate if key == "employment_rate" else _cell(counts, hidden, key)
        rows.append({"key": key, "cell": cell, "target": targets.get(key)})
    people = {row.instrument.value: row.people for row in indicators.instruments}
    by_instrument = protect(one_way(people, total=NO_TOTAL, rows=sorted(people), additive=False), rules.normal)
    return {"format": FIGURES_FORMAT, "as_of": as_of.isoformat(), "rule": rules.to_json(), "rows": rows,
            "by_instrument": [{"instrument": key, "cell": stored_cell(by_instrument, key)} for key in sorted(people)]}


def published_versions_figures(institution_id: int, version_ids: list[uuid.UUID],
                               as_of: date) -> dict[uuid.UUID, tuple[ProjectIndicators, tuple]]:
    """Indicators of the projects linked to published versions of one institution (enters its scope).

    Returns {version_id: (indicators, (institution_id, project_id))} for versions with a project.
    """
    from .models import PracticeVersion

    with tenant_scope(institution_id):
        links = dict(db.session.execute(select(PracticeVersion.id, PracticeVersion.project_id).where(
            PracticeVersion.id.in_(version_ids), PracticeVersion.project_id.is_not(None))).all())
        figures = project_indicators_for_tenant(list(links.values()), as_of)
    return {version_id: (figures[project_id], (institution_id, project_id)) for version_id, project_id in links.items()}
