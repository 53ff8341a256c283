"""Small-number suppression of every person count this module publishes.

ONE function turns a raw count into a publishable cell: `suppress_count`. Everything
the practices and the regional report print (entry figures, target-group sizes, regional
totals, chart values) goes through it, so when the shared disclosure-control module
(platform/coordinator/disclosure.py) lands, re-pointing `suppress_count` and
`suppress_rate` is the whole change.

Rule (GUS, Public Statistics Act art. 38): a count of people below the region's
`suppression_threshold` is not published (0 is); counts about health (disability) use the
stricter `sensitive_threshold`. A suppressed cell keeps no value at all, so nothing
stored for the coordinator or the catalogue can reveal it.
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from regionet.platform.ui.formatting import format_number


@dataclass(frozen=True)
class SuppressionRule:
    threshold: int
    sensitive_threshold: int

    @classmethod
    def for_region(cls, region) -> "SuppressionRule":
        return cls(threshold=int(region.suppression_threshold), sensitive_threshold=int(region.sensitive_threshold))

    @classmethod
    def from_json(cls, data: dict) -> "SuppressionRule":
        return cls(threshold=int(data["threshold"]), sensitive_threshold=int(data["sensitive_threshold"]))

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "sensitive_threshold": self.sensitive_threshold}

    def describe(self) -> str:
        """The rule as printed next to suppressed figures (in the current locale)."""
        return _("Counts of people below %(k)s (below %(s)s for data on disability) are not published and are "
                 "shown as “<%(k)s”; rates based on such counts are shown as “hidden”.",
                 k=self.threshold, s=self.sensitive_threshold)


def suppress_count(value: int | None, rule: SuppressionRule, sensitive: bool = False) -> dict:
    """A publishable cell for a count of people: {"value": n} or {"value": None, "below": k}."""
    if value is None:
        return {"value": None}
    limit = rule.sensitive_threshold if sensitive else rule.threshold
    if 0 < int(value) < limit:
        return {"value": None, "below": limit}
    return {"value": int(value)}


def suppress_rate(numerator: int, denominator: int, rule: SuppressionRule) -> dict:
    """A percentage, published only when both counts behind it are publishable."""
    if not denominator:
        return {"value": None}
    if suppress_count(numerator, rule).get("below") or suppress_count(denominator, rule).get("below"):
        return {"value": None, "hidden": True}
    return {"value": round(100.0 * numerator / denominator, 1), "percent": True}


def is_suppressed(cell: dict | None) -> bool:
    return bool(cell) and (cell.get("below") is not None or bool(cell.get("hidden")))


def cell_text(cell: dict | None) -> str:
    """How a cell is printed: "12", "<3", "45,5%", "hidden" or "—" (no data)."""
    if not cell:
        return "—"
    if cell.get("below") is not None:
        return f"<{cell['below']}"
    if cell.get("hidden"):
        return _("hidden")
    if cell.get("value") is None:
        return "—"
    if cell.get("percent"):
        return format_number(cell["value"], 1) + "%"
    return format_number(cell["value"])
