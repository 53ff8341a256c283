"""The rules a project's data must satisfy, in one place for forms, services and the demo seed."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from regionet.platform.ui.formatting import format_money

from .catalogues import FUNDING_SOURCES, INDICATORS


@dataclass
class ProjectData:
    title: str
    code: str
    funding_source: str
    start_date: date | None
    end_date: date | None
    budget_total: Decimal | None
    eu_cofinancing: Decimal | None
    own_contribution: Decimal | None
    description: str | None = None
    partner_ids: list = field(default_factory=list)
    targets: dict[str, Decimal] = field(default_factory=dict)   # indicator key -> target value


def project_errors(data: ProjectData) -> dict[str, list[str]]:
    """Every problem with `data`, keyed by the form field it concerns (empty when valid)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (data.title or "").strip():
        add("title", _("Enter the project's title."))
    if not (data.code or "").strip():
        add("code", _("Enter the project's code (e.g. the number of the funding agreement)."))
    source = FUNDING_SOURCES.get(data.funding_source)
    if source is None:
        add("funding_source", _("Choose the funding source from the list."))
    if data.start_date is None:
        add("start_date", _("Enter the date the project starts."))
    if data.end_date is None:
        add("end_date", _("Enter the date the project ends."))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        add("end_date", _("The project cannot end before it starts."))
    for name in ("budget_total", "eu_cofinancing", "own_contribution"):
        if getattr(data, name) is None:
            add(name, _("Enter an amount in złoty, e.g. 904 150,00 (0 if none)."))
    amounts = (data.budget_total, data.eu_cofinancing, data.own_contribution)
    if source is not None and not source.eu_funded and data.eu_cofinancing:
        add("eu_cofinancing", _("%(source)s is not an EU programme: EU co-financing must be 0.", source=source.short))
    elif None not in amounts and data.eu_cofinancing + data.own_contribution != data.budget_total:
        add("own_contribution", _(
            "EU co-financing and own contribution add up to %(sum)s, not to the budget of %(total)s.",
            sum=format_money(data.eu_cofinancing + data.own_contribution), total=format_money(data.budget_total)))
    for key, value in data.targets.items():
        if key not in INDICATORS:
            add(f"target_{key}", _("Unknown indicator."))
        elif value is not None and INDICATORS[key].unit == "percent" and value > 100:
            add(f"target_{key}", _("A percentage target cannot exceed 100."))
    return errors


def share(part: Decimal | None, total: Decimal | None) -> Decimal | None:
    """`part` as a percentage of `total`, or None when there is no total."""
    if part is None or not total:
        return None
    return part * 100 / total
