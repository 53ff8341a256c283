"""The data behind a regional report, collected and hashed before the job is queued.

The dataset is plain JSON: the published entries (their approved text), their current
figures from the records and the regional summary (the region's figures of the period
from the coordinator's figures summary), every count through the disclosure module; the
period with its sign-off, and the region's rules. Its SHA-256 names the job, keys the report row and is printed
on the report's last page; the job renders exactly this document, so the same data
always gives the same report, built once.
"""
import hashlib
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from regionet.platform.coordinator.disclosure import RegionRules
from regionet.platform.coordinator.freshness import region_states
from regionet.platform.coordinator.refresh import do_refresh_period_now
from regionet.platform.extensions import db
from regionet.platform.pdf.catalogue import polish_sort_key
from regionet.platform.practices.entry_figures import count_entries_figures, figures_are_current
from regionet.platform.practices.models import PublishedPractice
from regionet.platform.practices.services import set_entry_figures
from regionet.platform.regions.models import Region
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.practices.snapshot import canonical_json

from .models import RegionalReportKind
from .periods import WARSAW, ReportPeriod, coordinator_period, period_sign_off
from .summary import PracticeFacts, regional_summary_figures

DATASET_FORMAT = 2


def dataset_sha256(dataset: dict) -> str:
    return hashlib.sha256(canonical_json(dataset)).hexdigest()


def _entries(region_code: str, period: ReportPeriod) -> list[PublishedPractice]:
    published_before = datetime.combine(period.end + timedelta(days=1), time(0), WARSAW)
    entries = db.session.execute(select(PublishedPractice).where(
        PublishedPractice.region_code == region_code, PublishedPractice.published_at < published_before)).scalars()
    return sorted(entries, key=lambda e: (polish_sort_key(e.county_name), polish_sort_key(e.institution_name),
                                          polish_sort_key(e.title), str(e.id)))


def _project_key(entry: PublishedPractice, figures: dict | None) -> tuple | None:
    """The linked project as the approved text names it (the same project behind two entries counts once)."""
    project = entry.submission.content.get("project")
    if figures is None or project is None:
        return None
    return entry.institution_id, project.get("code"), project["title"], project["start"]


def _current_figures(region_code: str, period_key: str, entries: list[PublishedPractice], rules: RegionRules,
                     as_of: date, today: date) -> dict:
    """{entry id: figures}: the catalogue's where current (entry_figures.py), else counted from the records.

    Counted figures of today are kept on the entries (one flush for all); those of an
    earlier day are the report's only.
    """
    states = region_states(region_code, period_key)
    versions = {state.tenant_id: state.records_version for state in states}
    figures, behind = {}, defaultdict(list)
    for entry in entries:
        if figures_are_current(entry, rules, as_of, versions.get(entry.institution_id)):
            figures[entry.id] = entry.figures
        else:
            behind[entry.institution_id].append(entry)
    for institution_id, stale in behind.items():
        counted = count_entries_figures(institution_id, stale, rules, as_of)
        figures.update(counted)
        if as_of == today:
            for entry in stale:
                set_entry_figures(entry, counted[entry.id], as_of, versions.get(institution_id))
    return figures


def _stored_photos(submission) -> dict:
    """The approved text with only the photos the region still holds: a photo taken out when its
    consent was withdrawn (tenants/privacy/photos.py) leaves the next report's data too."""
    content = submission.content
    listed = content.get("photos") or []
    held = {(photo.position, photo.sha256) for photo in submission.photos}
    kept = [item for item in listed if (item.get("position"), item.get("sha256")) in held]
    return content if len(kept) == len(listed) else {**content, "photos": kept}


def collect_regional_dataset(region: Region, period: ReportPeriod, today: date | None = None) -> dict:
    """Collect (and, for the current period, refresh in the catalogue) the report's data."""
    today = today or today_in_poland()
    as_of = min(period.end, today)
    rules = RegionRules.for_region(region)
    figures_period, reporting = coordinator_period(region.teryt_code, period)
    do_refresh_period_now(region.teryt_code, figures_period)
    entries = _entries(region.teryt_code, period)
    figures_of = _current_figures(region.teryt_code, figures_period.key, entries, rules, as_of, today)

    practices, facts = [], []
    for entry in entries:
        submission, figures = entry.submission, figures_of[entry.id]
        content = _stored_photos(submission)
        practices.append({
            "published_id": str(entry.id), "submission_id": str(submission.id), "version": entry.version_number,
            "published_at": entry.published_at.astimezone(UTC).isoformat(timespec="seconds"),
            "approved_by": entry.approved_by_name, "content": content, "figures": figures,
        })
        facts.append(PracticeFacts(
            institution_id=entry.institution_id, institution_kind=entry.institution_kind,
            county_name=entry.county_name, instruments=list(content.get("instruments") or []),
            target_groups=list(content["target_group"].get("groups") or []),
            project_key=_project_key(entry, figures)))
    db.session.flush()
    return {
        "format": DATASET_FORMAT,
        "kind": RegionalReportKind.CATALOGUE.value,
        "region": {"code": region.teryt_code, "name": region.name, "slug": region.slug},
        "period": {**period.to_json(), "sign_off": period_sign_off(region.teryt_code, reporting)},
        "as_of": as_of.isoformat(),
        "rule": rules.to_json(),
        "summary": regional_summary_figures(region, figures_period, as_of, facts),
        "practices": practices,
    }
