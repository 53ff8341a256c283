"""The coordinator's tables of the region's network (issues 15 and 16, point 6): referrals between
institutions and working groups, from the figures summary, protected in the linked set.

The counts are region_figures rows (figures_api.refresh_region_network, migration 0023n), their
hidden cells the period's pattern (patterns.py), decided together with every other table of the
year: a referral table's rows add up to its total, its one-way tables are the margins of its
cross-tables, quarters add up to half-years and years (figure_links.py). Nothing here decides what
to hide; a figure derived from counts follows them:

* a rate is hidden when its numerator or denominator is (and "—" when the denominator is 0);
* a median (not a count: read from referral_api.region_referral_figures, migration 0018c, with
  the number it is taken over) is shown only when that number is exactly a published count that
  reaches the threshold: a median of one or two referrals would be their own time, and one over
  records that changed since the recount would not be the published figure's.

Table ids (pages and the CSV/XLSX exports): "net-ref--<dim>", "net-cross--<measure>--<rows>--<cols>",
"net-grp--<dim>", "net-att", "net-act".
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from .db import region_reader
from .dimensions import GROUP_DIMS, NETWORK_MEASURES, REFERRAL_COUNTS, REFERRAL_DIMS, canonical_pair
from .disclosure import TOTAL
from .labels import DIM_LABELS, MEASURE_LABELS
from .tables import (
    Cell,
    FigureTable,
    Row,
    Selection,
    _row,
    cross_table,
    cross_title,
    measures_table,
    measures_title,
    protected_one_way,
)

REFERRAL_TITLES = {"ref_from": _l("Referrals by type of the sending institution"),
                   "ref_to": _l("Referrals by type of the receiving institution"),
                   "ref_service": _l("Referrals by type of service"),
                   "ref_county": _l("Referrals by county of the sending institution")}


def _ratio(part, whole) -> Cell:
    if whole == 0:
        return Cell(None, percent=True, na=True)
    return Cell(None if part is None or whole is None else part / whole, percent=True)


_API_DIMS = {"sender_kind": "ref_from", "receiver_kind": "ref_to", "service_type": "ref_service",
             "county": "ref_county", "total": ""}


def referral_medians(sel: Selection) -> dict:
    """{(dim, key): {"accept": (n, days), "start": (n, days)}} of the period, from the database's
    referral_api.region_referral_figures (migration 0018c: medians and the counts they are over)."""
    found: dict = {}
    with region_reader(sel.region.teryt_code) as conn:
        for row in conn.execute(text("SELECT * FROM referral_api.region_referral_figures(:start, :end)"),
                                {"start": sel.period.start, "end": sel.period.end}).mappings():
            found[(_API_DIMS[row["dim"]], row["key"])] = {"accept": (row["accept_n"], row["accept_days"]),
                                                          "start": (row["start_n"], row["start_days"])}
    return found


def _median(sel: Selection, medians: dict, which: str, dim: str, key, count) -> Cell:
    """A median only over exactly a published count that reaches the threshold (else hidden)."""
    n, days = medians.get(("", "") if key == TOTAL else (dim, key), {}).get(which, (0, None))
    if count == 0:
        return Cell(None, na=True)
    if count is None or days is None or n != count or count < sel.rule(dim).threshold:
        return Cell(None)
    return Cell(round(days, 1))


def referral_table(sel: Selection, dim: str) -> FigureTable:
    """The five counts, acceptance and completion rates and the two median times, by `dim`."""
    protected = [protected_one_way(sel, m, dim) for m in REFERRAL_COUNTS]
    medians = referral_medians(sel)
    keys = list(dict.fromkeys(k for cats, _p in protected for k in cats))

    def line(key) -> list[Cell]:
        sent, accepted, declined, started, completed = counts = [
            p.value(key) if key == TOTAL or key in p.rows else 0 for _c, p in protected]
        decided = None if accepted is None or declined is None else accepted + declined
        return [Cell(c) for c in counts] + [
            _ratio(accepted, decided), _ratio(completed, started),
            _median(sel, medians, "accept", dim, key, accepted), _median(sel, medians, "start", dim, key, started)]

    rows = [_row(sel, dim, key, line(key)) for key in keys]
    total = Row(TOTAL, _("Total"), _("Total"), line(TOTAL))
    columns = [str(MEASURE_LABELS[m]) for m in REFERRAL_COUNTS] + [
        _("Acceptance rate"), _("Completion rate"), _("Median days to acceptance"), _("Median days to start")]
    notes = [_("Acceptance rate: accepted of those accepted or declined; completion rate: completed with a result "
               "of those started."),
             _("A median is shown when the count it is taken over is published and reaches the threshold.")]
    return FigureTable(f"net-ref--{dim}", str(REFERRAL_TITLES[dim]), str(DIM_LABELS[dim]), columns, rows, total,
                       [sel.rule(dim)], notes, withheld=any(p.withheld for _c, p in protected), row_dim=dim,
                       column_keys=[(m, "", "") for m in REFERRAL_COUNTS] + [None] * 4)


def network_cross(sel: Selection, measure: str, row_dim: str, col_dim: str) -> FigureTable:
    table = cross_table(sel, measure, row_dim, col_dim)
    table.id = f"net-cross--{measure}--{row_dim}--{col_dim}"
    if not table.chart_columns:       # no column category at all (no referral to any service yet): the totals
        table.chart_columns = (len(table.columns) - 1,)
    return table


GROUP_COUNTS = ("grp_groups", "grp_meetings")


def groups_table(sel: Selection, dim: str) -> FigureTable:
    """Working groups (existing by the period's end) and meetings held in it, by `dim`."""
    return measures_table(sel, GROUP_COUNTS, dim, f"net-grp--{dim}")


def _part_of(sel: Selection, dim: str, whole: str, part: str, table_id: str, title, rate_label) -> FigureTable:
    (keys, wholes), (part_keys, parts) = protected_one_way(sel, whole, dim), protected_one_way(sel, part, dim)
    keys = list(dict.fromkeys(keys + part_keys))

    def line(key) -> list[Cell]:
        w = wholes.value(key) if key == TOTAL or key in wholes.rows else 0
        p = parts.value(key) if key == TOTAL or key in parts.rows else 0
        return [Cell(w), Cell(p), _ratio(p, w)]

    return FigureTable(table_id, str(title), str(DIM_LABELS[dim]),
                       [str(MEASURE_LABELS[whole]), str(MEASURE_LABELS[part]), str(rate_label)],
                       [_row(sel, dim, key, line(key)) for key in keys], Row(TOTAL, _("Total"), _("Total"), line(TOTAL)),
                       [sel.rule(dim)], withheld=wholes.withheld or parts.withheld, chart="percent", chart_columns=(2,),
                       row_dim=dim, column_keys=[(whole, "", ""), (part, "", ""), None])


ATTENDANCE_TITLE = _l("Attendance at meetings by the attendee's institution type")
ACTIONS_TITLE = _l("Action items done on time by the owner's institution type")


def attendance_table(sel: Selection) -> FigureTable:
    table = _part_of(sel, "att_kind", "att_recorded", "att_present", "net-att", ATTENDANCE_TITLE,
                     _l("Attendance rate"))
    table.notes = [_("Attendance recorded as present, excused or absent at meetings held in the period; guests "
                     "are counted without their names.")]
    return table


def actions_table(sel: Selection) -> FigureTable:
    table = _part_of(sel, "act_kind", "act_due", "act_on_time", "net-act", ACTIONS_TITLE, _l("Share done on time"))
    table.notes = [_("Action items whose deadline fell in the period and has passed; done on time: marked done "
                     "on or before the deadline.")]
    return table


# The regional PDF report's columns of a referral table: sent, accepted, started, completed, both rates.
REPORT_COLUMNS = (0, 1, 3, 4, 5, 6)


def report_tables(sel: Selection) -> list[FigureTable]:
    """The network's tables in the regional PDF report ("Współpraca w sieci"): the pages' own tables
    (referrals by the sending and by the receiving institution's type, without the declined and the
    medians, one column per type that sent or received any; referrals sent from type to type;
    working groups and meetings), cells as published."""
    referrals = []
    for dim in ("ref_from", "ref_to"):
        table = referral_table(sel, dim).only_columns(REPORT_COLUMNS)
        table.notes = table.notes[:1]          # the rates' note (the medians are not printed)
        table.rows = [row for row in table.rows if row.cells[0].value != 0]   # published zeros: nothing to hide
        referrals.append(table.transposed())
    return referrals + [network_cross(sel, "ref_sent", "ref_from", "ref_to"), groups_table(sel, "grp_kind")]


def referral_tables(sel: Selection) -> list[FigureTable]:
    return [referral_table(sel, dim) for dim in REFERRAL_DIMS] + [
        network_cross(sel, "ref_sent", a, b) for a, b in NETWORK_MEASURES["ref_sent"].offered]


def group_tables(sel: Selection) -> list[FigureTable]:
    return [groups_table(sel, dim) for dim in GROUP_DIMS] + [
        network_cross(sel, m, *GROUP_DIMS) for m in GROUP_COUNTS] + [
        attendance_table(sel), actions_table(sel)]


def downloadable() -> list[str]:
    """Every network table id a coordinator can download for a period (tests/disclosure_attack.py)."""
    ids = [f"net-ref--{d}" for d in REFERRAL_DIMS] + [f"net-grp--{d}" for d in GROUP_DIMS] + ["net-att", "net-act"]
    for measure, spec in NETWORK_MEASURES.items():
        ids += [f"net-cross--{measure}--{a}--{b}" for a, b in spec.offered]
    return ids


def title_of(table_id: str) -> str:
    """The title of a downloadable network table, without counting it (the explorer's choices)."""
    kind, _sep, rest = table_id.partition("--")
    if kind == "net-ref":
        return str(REFERRAL_TITLES[rest])
    if kind == "net-grp":
        return measures_title(GROUP_COUNTS, rest)
    if kind == "net-cross":
        return cross_title(*rest.split("--"))
    return str({"net-att": ATTENDANCE_TITLE, "net-act": ACTIONS_TITLE}[table_id])


NETWORK_GROUPS = {"ref": _l("Referrals between the institutions"), "grp": _l("Working groups")}


def network_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The explorer's network tables, grouped: every table of `downloadable()`, nothing else, so the
    explorer downloads through the same export addresses the network pages use (and the attack
    of tests/test_network_disclosure_attack.py crawls)."""
    groups: dict = {key: [] for key in NETWORK_GROUPS}
    for table_id in downloadable():
        measure = table_id.split("--")[1] if table_id.startswith("net-cross--") else table_id
        groups["ref" if measure.startswith(("net-ref", "ref_")) else "grp"].append((table_id, title_of(table_id)))
    return [(str(NETWORK_GROUPS[key]), options) for key, options in groups.items()]


def network_table(sel: Selection, table_id: str) -> FigureTable | None:
    """The table an export asks for by id, or None when there is no such table."""
    kind, _sep, rest = table_id.partition("--")
    if kind == "net-ref" and rest in REFERRAL_DIMS:
        return referral_table(sel, rest)
    if kind == "net-grp" and rest in GROUP_DIMS:
        return groups_table(sel, rest)
    if table_id == "net-att":
        return attendance_table(sel)
    if table_id == "net-act":
        return actions_table(sel)
    if kind == "net-cross":
        parts = rest.split("--")
        if len(parts) == 3 and parts[0] in NETWORK_MEASURES and canonical_pair(*parts) == tuple(parts[1:]):
            return network_cross(sel, *parts)
    return None
