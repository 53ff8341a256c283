"""What the coordinator asked for: the period, the data scope, the dashboard's sections and
the explorer's breakdown, read from the query string (anything unknown falls back)."""
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..regions.models import Region
from ..ui.formatting import today_in_poland
from . import queries, tables
from .dimensions import MEASURES, canonical_pair
from .labels import DIM_LABELS, MEASURE_LABELS
from .network_tables import downloadable, network_choices, network_table
from .periods import Period, calendar_period, year_period


@dataclass(frozen=True)
class Section:
    id: str
    heading: object
    lead: object
    explore: dict           # the explorer's arguments for "more detail"


DASHBOARD = (
    Section("kinds", _l("Institution types"), _l("How many people each type of institution supported."),
            {"measure": "participations", "rows": "institution"}),
    Section("overlap", _l("People supported by several types of institutions"),
            _l("Each person counted once, in the row of the combination of institution types that supported "
               "them (for example MOPS/OPS and PUP)."), {"measure": "people", "rows": "kinds"}),
    Section("county", _l("Where participants live"), _l("Unique people by the county they live in."),
            {"measure": "people", "rows": "commune"}),
    Section("sex", _l("Women and men"), _l("Unique people by sex."), {"measure": "people", "rows": "sex",
                                                                       "cols": "age_band"}),
    Section("age", _l("Age"), _l("Unique people by age on the last day of the period."),
            {"measure": "people", "rows": "age_band", "cols": "sex"}),
    Section("disability", _l("Disability"), _l("Unique people by disability (sensitive data: a stricter "
                                               "threshold applies)."), {"measure": "people", "rows": "disability"}),
    Section("instruments", _l("Support given"), _l("Support episodes that started in the period, by instrument."),
            {"measure": "episodes", "rows": "instrument", "cols": "inst_kind"}),
    Section("outcomes", _l("Results"), _l("Outcomes achieved in the period, by type."),
            {"measure": "outcomes", "rows": "outcome", "cols": "inst_kind"}),
    Section("employment", _l("Employment after support"),
            _l("Participations that ended in the period and the share with a job within 4 weeks."),
            {"measure": "employed", "rows": "institution"}),
)
_BUILDERS = {
    "kinds": lambda sel: tables.measures_table(sel, ("participations", "people"), "inst_kind", "kinds"),
    "overlap": lambda sel: tables.one_way_table(sel, "people", "kinds", "overlap"),
    "county": lambda sel: tables.measures_table(sel, ("people", "participations"), "county", "county"),
    "sex": lambda sel: tables.one_way_table(sel, "people", "sex", "sex"),
    "age": lambda sel: tables.one_way_table(sel, "people", "age_band", "age"),
    "disability": lambda sel: tables.one_way_table(sel, "people", "disability", "disability"),
    "instruments": lambda sel: tables.one_way_table(sel, "episodes", "instrument", "instruments"),
    "outcomes": lambda sel: tables.one_way_table(sel, "outcomes", "outcome", "outcomes"),
    "employment": lambda sel: tables.employment_table(sel, "inst_kind"),
}


def dashboard_table(sel, table_id: str):
    builder = _BUILDERS.get(table_id)
    if builder is None:
        return None
    table = builder(sel)
    table.id = table_id
    return table


def selected_period(region: Region, key: str | None, scope: str | None) -> tuple[Period, str]:
    """The period named by `key` (a calendar key or a reporting period of this region), else this year."""
    period = None
    if key and key.startswith("rp-"):
        try:
            row = queries.reporting_period(region.teryt_code, uuid.UUID(key[3:]))
        except ValueError:
            row = None
        if row is not None:
            period = Period(row.period_key, row.start_date, row.end_date, "reporting", row.name)
    elif key:
        period = calendar_period(key)
    if period is None:
        period = year_period(today_in_poland().year)
    return period, ("accepted" if scope == "accepted" and period.is_reporting else "all")


def period_choices(region: Region, statuses: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped options of the period selector: reporting periods, years, half-years, quarters."""
    reporting = [(row.period_key, row.name) for row in queries.reporting_periods_of_region(region.teryt_code)]
    calendar = [calendar_period(k) for k in statuses if not k.startswith("rp-")]
    calendar = sorted((p for p in calendar if p), key=lambda p: (p.start, p.end), reverse=True)
    groups = [(_("Reporting periods"), reporting)] if reporting else []
    for kind, label in (("year", _("Years")), ("half", _("Half-years")), ("quarter", _("Quarters"))):
        options = [(p.key, p.label) for p in calendar if p.kind == kind]
        if options:
            groups.append((label, options))
    if not any(options for _label, options in groups):
        this_year = year_period(today_in_poland().year)
        groups.append((_("Years"), [(this_year.key, this_year.label)]))
    return groups


@dataclass
class ExploreQuery:
    """The explorer's breakdown: a measure by one dimension, or by two; or one of the network's
    tables (`table`, an id of network_tables.downloadable(): the referrals and working groups pages'
    own tables, downloaded through their own export addresses)."""

    measure: str
    rows: str
    cols: str
    errors: dict
    table: str = ""

    @classmethod
    def from_args(cls, args) -> "ExploreQuery":
        errors: dict = {}
        table = args.get("table", "")
        if table and table not in downloadable():
            errors["table"] = _("Choose one of the listed tables.")
            table = ""
        measure = args.get("measure", "people")
        if measure not in MEASURES:
            errors["measure"] = _("Choose one of the listed measures.")
            measure = "people"
        dims = MEASURES[measure].dims
        rows = args.get("rows", dims[0])
        if rows not in dims:
            errors["rows"] = _("%(measure)s cannot be broken down by this.", measure=MEASURE_LABELS[measure])
            rows = dims[0]
        cols = args.get("cols", "")
        if cols and (cols == rows or canonical_pair(measure, rows, cols) is None):
            errors["cols"] = _("This cross-table is not available for %(measure)s; choose another column "
                               "breakdown or none.", measure=str(MEASURE_LABELS[measure]).lower())
            cols = ""
        return cls(measure, rows, cols, errors, table)

    def build(self, sel) -> "tables.FigureTable":
        """The participants' breakdown (the export "explore"; a network table is exported under its own id)."""
        if self.measure in ("exits", "employed"):
            table = tables.employment_table(sel, self.rows)
        elif self.cols:
            table = tables.cross_table(sel, self.measure, self.rows, self.cols)
        else:
            table = tables.one_way_table(sel, self.measure, self.rows)
        table.id = "explore"
        return table

    def network(self, sel) -> "tables.FigureTable":
        """The chosen network table, as its page shows it (the network's figures count all data)."""
        return network_table(tables.Selection.load(sel.region, sel.period, "all") if sel.scope != "all" else sel,
                             self.table)

    def table_choices(self):
        return [("", [("", _("Participants: a measure by a breakdown"))])] + network_choices()

    def measure_choices(self):
        return [(key, MEASURE_LABELS[key]) for key in MEASURES]

    def row_choices(self):
        return [(d, DIM_LABELS[d]) for d in MEASURES[self.measure].dims]

    def col_choices(self):
        options = {d for pair in MEASURES[self.measure].offered for d in pair if self.rows in pair and d != self.rows}
        return [("", _("None"))] + [(d, DIM_LABELS[d]) for d in MEASURES[self.measure].dims if d in options]

    def args(self, **extra) -> dict:
        values = {"measure": self.measure, "rows": self.rows}
        if self.cols:
            values["cols"] = self.cols
        values.update({k: v for k, v in extra.items() if v})
        return values
