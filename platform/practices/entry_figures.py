"""Catalogue entries' figures, kept current with their institution's records.

An entry's figures are its linked project's indicators as the records stood on a day,
suppressed under the region's rules (tenants/practices/figures.py). They are stored on
the entry with that day and the institution's records version (tenants/tallies) read
before counting; while the version, the day and the rules are the same, they are what a
recount would give, so the catalogue, and the regional report, read them as they are.
The figures job recounts an institution's entries after its records change; a report
recounts those still behind.
"""
from datetime import date

from sqlalchemy import select

from ..coordinator.disclosure import RegionRules
from ..extensions import db
from ..institutions.models import Institution
from ..ui.formatting import today_in_poland
from .models import PublishedPractice
from .services import set_entry_figures


def figures_are_current(entry: PublishedPractice, rules: RegionRules, as_of: date, records_version: int | None) -> bool:
    from regionet.tenants.practices.figures import FIGURES_FORMAT

    if records_version is None or entry.figures_records_version != records_version or entry.figures_as_of != as_of:
        return False
    return entry.figures is None or (entry.figures.get("format") == FIGURES_FORMAT
                                     and entry.figures.get("rule") == rules.to_json())


def count_entries_figures(institution_id: int, entries: list[PublishedPractice], rules: RegionRules,
                          as_of: date) -> dict:
    """{entry id: figures} of entries of one institution, counted from its records (enters its scope)."""
    from regionet.tenants.practices.figures import publishable_figures, published_versions_figures

    raw = published_versions_figures(institution_id, [e.submission.version_id for e in entries], as_of)
    return {e.id: publishable_figures(raw.get(e.submission.version_id, (None, None))[0], rules, as_of)
            for e in entries}


def do_refresh_catalogue_figures_for_tenant() -> int:
    """Recount the current institution's catalogue entries whose figures are behind; how many were."""
    from regionet.platform.tenancy import current_tenant_id
    from regionet.tenants.tallies.queries import records_version_for_tenant

    records_version = records_version_for_tenant()   # before counting: a later change leaves them behind
    institution = db.session.get(Institution, current_tenant_id())
    rules, as_of = RegionRules.for_region(institution.region), today_in_poland()
    entries = db.session.execute(select(PublishedPractice).where(
        PublishedPractice.institution_id == institution.id)).scalars().all()
    behind = [e for e in entries if not figures_are_current(e, rules, as_of, records_version)]
    if behind:
        counted = count_entries_figures(institution.id, behind, rules, as_of)
        for entry in behind:
            set_entry_figures(entry, counted[entry.id], as_of, records_version)
        db.session.flush()
    return len(behind)
