"""Template helpers shared by every page that shows a practice (institution, catalogue, coordinator)."""
from datetime import date

from regionet.platform.coordinator.disclosure import RegionRules, cell_text, is_hidden
from regionet.platform.ui.formatting import format_day
from regionet.tenants.projects.catalogues import FUNDING_SOURCES, INDICATORS
from regionet.tenants.support.labels import INSTRUMENT_LABELS

from .labels import PARTNER_KIND_LABELS, SOURCE_KIND_LABELS, STATE_LABELS, TARGET_GROUP_LABELS, label_of


def indicator_label(key: str) -> str:
    definition = INDICATORS.get(key)
    return str(definition.label) if definition else key


def funding_label(key: str | None) -> str:
    source = FUNDING_SOURCES.get(key or "")
    if source is None:
        return "—"
    return f"{source.programme} · {source.measure}" if source.measure else source.programme


def iso_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rule_text(rule: dict | None) -> str:
    return RegionRules.from_json(rule).text() if rule else ""


def source_text(source: dict) -> str:
    """One cited source as a line: "Meeting: Analysis of the tools — Grupa Robocza MOPS–CIS, 16.05.2026"."""
    text = f"{label_of(SOURCE_KIND_LABELS, source['kind'])}: {source['title']}"
    details = [d for d in (source.get("context"), format_day(iso_day(source.get("day"))) if source.get("day")
                           else None) if d]
    return f"{text} — {', '.join(details)}" if details else text


def template_helpers() -> dict:
    return {
        "instrument_label": lambda key: label_of(INSTRUMENT_LABELS, key),
        "target_group_label": lambda key: label_of(TARGET_GROUP_LABELS, key),
        "partner_kind_label": lambda key: label_of(PARTNER_KIND_LABELS, key),
        "practice_state_label": lambda state: str(STATE_LABELS[state]),
        "indicator_label": indicator_label,
        "funding_label": funding_label,
        "source_text": source_text,
        "rule_text": rule_text,
        "iso_day": iso_day,
        "cell_text": cell_text,
        "is_hidden_cell": is_hidden,
    }
