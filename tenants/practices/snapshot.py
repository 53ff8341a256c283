"""A version of a practice as a self-contained JSON document.

This is the form in which a practice leaves the institution: the coordinator reviews it,
the catalogue shows it, the regional report prints it. It holds text, partner names and
aggregated, already suppressed numbers; nothing in it identifies a participant. The
institution's own preview renders the same document, so what staff see before submitting
is exactly what the coordinator will read.
"""
import json
from datetime import date

from regionet.platform.coordinator.disclosure import NO_TOTAL, RegionRules, one_way, protect, stored_cell
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.regions.models import TerytUnit
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.projects.catalogues import FUNDING_SOURCES

from .figures import project_indicators_for_tenant, publishable_figures
from .models import PracticeVersion

SNAPSHOT_FORMAT = 1
TEXT_SECTIONS = ("problem", "local_figures", "cooperation", "results_narrative", "success_factors", "barriers",
                 "sustainability", "transferability")


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def institution_facts(institution: Institution) -> dict:
    county_code = institution.teryt_code[:4]
    county = db.session.get(TerytUnit, county_code)
    return {"id": institution.id, "name": institution.name, "short_name": institution.short_name,
            "kind": institution.kind.value, "teryt_code": institution.teryt_code,
            "area": institution.teryt_unit.name, "county_code": county_code,
            "county_name": county.name if county else institution.teryt_unit.name,
            "region_code": institution.region_code}


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _group_size(size: int | None, rules: RegionRules) -> dict:
    if size is None:
        return {"value": None}
    return stored_cell(protect(one_way({"size": size}, total=NO_TOTAL), rules.normal), "size")


def version_content(version: PracticeVersion, institution: Institution, rules: RegionRules) -> dict:
    """The entry as published, for `version` of the current tenant."""
    source = FUNDING_SOURCES.get(version.funding_source or "")
    project = version.project
    content = {
        "format": SNAPSHOT_FORMAT,
        "version": version.number,
        "title": version.title,
        "institution": institution_facts(institution),
        "period": {"start": version.period_start.isoformat() if version.period_start else None,
                   "end": version.period_end.isoformat() if version.period_end else None},
        "target_group": {"description": version.target_group_description,
                         "size": _group_size(version.target_group_size, rules),
                         "groups": list(version.target_groups or [])},
        "instruments": list(version.instruments or []),
        "partners": [{"name": link.partner.name, "kind": link.partner.kind.value,
                      "on_platform": link.partner.institution_id is not None, "role": link.role}
                     for link in version.partners],
        "funding": {"source": version.funding_source,
                    "programme": source.programme if source else None,
                    "measure": source.measure if source else None,
                    "total": _money(version.funding_total), "eu": _money(version.funding_eu),
                    "own": _money(version.funding_own)},
        "project": None if project is None else {
            "title": project.title, "code": project.code, "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat()},
        # Where it came from: working groups, meetings, agreements (as cited; no person's name).
        "sources": [{"kind": source.kind.value, "title": source.title, "context": source.context,
                     "day": source.day.isoformat() if source.day else None} for source in version.sources],
        "contact": {"name": version.contact_name, "email": version.contact_email, "phone": version.contact_phone},
        "photos": [{"position": photo.position, "caption": photo.caption, "width": photo.width,
                    "height": photo.height, "sha256": photo.attachment.sha256,
                    "content_type": photo.attachment.content_type} for photo in version.photos],
    }
    for section in TEXT_SECTIONS:
        content[section] = getattr(version, section)
    return content


def version_figures(version: PracticeVersion, rules: RegionRules, as_of: date | None = None) -> dict | None:
    """The version's results from its linked project's records, suppressed (current tenant)."""
    if version.project_id is None:
        return None
    as_of = as_of or today_in_poland()
    figures = project_indicators_for_tenant([version.project_id], as_of)
    return publishable_figures(figures.get(version.project_id), rules, as_of)


def search_text(content: dict) -> str:
    parts = [content.get("title") or "", content["institution"]["name"], content["institution"]["short_name"],
             content["institution"]["area"], content["target_group"].get("description") or ""]
    parts += [content.get(section) or "" for section in TEXT_SECTIONS]
    parts += [partner["name"] for partner in content.get("partners", [])]
    parts += [source["title"] for source in content.get("sources", [])]
    return " ".join(" ".join(parts).split()).lower()
