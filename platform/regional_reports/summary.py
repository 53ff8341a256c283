"""The regional summary of the good-practice report.

`regional_summary_figures` is the one function that produces it. For now it aggregates
what the published practices bring: how many, of which institutions and counties, with
which instruments, and the people in their linked projects (each project once), every
person count suppressed. When the coordinator's aggregates land, the lead points this
function at them (region-wide indicators for the period, with their shared suppression);
its output format (below) is what platform/regional_reports/pdf.py draws.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from regionet.platform.practices.suppression import SuppressionRule, suppress_count, suppress_rate
from regionet.tenants.practices.figures import ProjectFigures

SUMMARY_ROWS = (("participants_total", False), ("participants_women", False), ("participants_disability", True),
                ("participants_long_term_unemployed", False), ("participants_50_plus", False),
                ("employed", False), ("qualified", False), ("independent_of_assistance", False))


@dataclass
class PracticeFacts:
    """What the summary needs of one published practice (raw figures never leave this module)."""

    institution_id: int
    institution_kind: str
    county_name: str
    instruments: list[str]
    target_groups: list[str]
    project_key: tuple | None = None          # (institution_id, project_id) of the linked project
    raw: ProjectFigures | None = None


def _ranked(counter: Counter) -> list[dict]:
    return [{"key": key, "count": count} for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def regional_summary_figures(region_code: str, as_of: date, facts: list[PracticeFacts],
                             rule: SuppressionRule) -> dict:
    """The regional summary as JSON: counts of practices, and suppressed person counts."""
    totals = ProjectFigures()
    seen_projects = set()
    for fact in facts:
        if fact.raw is not None and fact.project_key not in seen_projects:
            seen_projects.add(fact.project_key)
            totals.add(fact.raw)
    people = [{"key": key, "cell": suppress_count(totals.value(key), rule, sensitive=sensitive)}
              for key, sensitive in SUMMARY_ROWS]
    people.append({"key": "employment_rate", "cell": suppress_rate(totals.employed_within_4_weeks, totals.exited,
                                                                   rule)})
    return {
        "region_code": region_code,
        "as_of": as_of.isoformat(),
        "practices": len(facts),
        "institutions": len({f.institution_id for f in facts}),
        "counties": len({f.county_name for f in facts}),
        "linked_projects": len(seen_projects),
        "by_kind": _ranked(Counter(f.institution_kind for f in facts)),
        "by_county": _ranked(Counter(f.county_name for f in facts)),
        "by_instrument": _ranked(Counter(i for f in facts for i in set(f.instruments))),
        "by_target_group": _ranked(Counter(g for f in facts for g in set(f.target_groups))),
        "people": people,
        "participants_by_instrument": [
            {"key": key, "cell": suppress_count(n, rule)}
            for key, n in sorted(totals.by_instrument.items(), key=lambda kv: (-kv[1], kv[0]))],
        "rule": rule.to_json(),
    }
