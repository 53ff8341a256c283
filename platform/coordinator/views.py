"""The regional coordinator's pages: /r/<region>/. Aggregates only, through the coordinator role.

Thin: the selection comes from the query string (`selection.py`), the tables from
`tables.py` (protected by `disclosure.py`), the charts from `charts.py`.
"""
import click
from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..exports import spreadsheet_response
from ..extensions import db
from ..regions.models import Region
from ..regions.web import RegionBlueprint
from . import queries, tables
from .charts import chart_for
from .db import close_region_readers
from .labels import DIM_LABELS, MEASURE_LABELS
from .refresh import request_full_refresh
from .selection import (
    DASHBOARD,
    ExploreQuery,
    dashboard_table,
    period_choices,
    selected_period,
)

bp = RegionBlueprint("coordinator", __name__, template_folder="templates")
# Every request that read through region_reader (coordinator, practices, reports) ends its transaction.
bp.teardown_app_request(close_region_readers)


@bp.app_template_filter("percent")
def _percent(value) -> str:
    return "—" if value is None else format_percent(value, "#,##0.0%")


@bp.app_context_processor
def _coordinator_helpers():
    return {"chart_for": chart_for, "measure_labels": MEASURE_LABELS, "dim_labels": DIM_LABELS}


def _selection():
    period, scope = selected_period(g.region, request.args.get("period"), request.args.get("scope"))
    return tables.Selection.load(g.region, period, scope)


@bp.route("/")
def home():
    sel = _selection()
    code = g.region.teryt_code
    statuses = queries.figure_statuses(code)
    trend_unit = request.args.get("trend") if request.args.get("trend") in tables.GRANULARITIES else "quarter"
    years = _trend_years(statuses, sel.period)
    submissions = None
    institutions = queries.institutions_of_region(code)
    if sel.period.is_reporting:
        submissions = queries.status_counts(code, _reporting_id(sel.period.key))
    return render_template(
        "coordinator/dashboard.html", sel=sel, head=sel.headline, status=statuses.get(sel.period.key),
        run=queries.figure_run(code), choices=period_choices(g.region, statuses),
        sections=[(section, dashboard_table(sel, section.id)) for section in DASHBOARD],
        trend=tables.trend_table(g.region, years, trend_unit), trend_unit=trend_unit,
        granularities=tables.GRANULARITIES, submissions=submissions, reporting_id=_reporting_id(sel.period.key),
        institutions=institutions, counties=queries.counties_covered(institutions), refresh_form=FlaskForm())


def _trend_years(statuses: dict, period) -> list[int]:
    """The last three summarised years up to the selected period's."""
    years = sorted(int(k) for k in statuses if k.isdigit() and int(k) <= period.end.year)
    return years[-3:] or [period.year]


def _reporting_id(key: str):
    import uuid

    return uuid.UUID(key[3:]) if key.startswith("rp-") else None


@bp.route("/explore")
def explore():
    sel = _selection()
    query = ExploreQuery.from_args(request.args)
    if query.table:      # a network table: downloaded under its own id, as from its page
        table, export_args = query.network(sel), {"period": sel.period.key}
    else:
        table = query.build(sel)
        export_args = query.args(period=sel.period.key, scope=sel.scope if sel.scope == "accepted" else None)
    statuses = queries.figure_statuses(g.region.teryt_code)
    return render_template("coordinator/explore.html", sel=sel, query=query, table=table, export_args=export_args,
                           choices=period_choices(g.region, statuses), status=statuses.get(sel.period.key))


@bp.route("/export/<string:table_id>.<string:fmt>")
def export(table_id, fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    sel = _selection()
    if table_id == "explore":
        table = ExploreQuery.from_args(request.args).build(sel)
    elif table_id.startswith("net-"):
        from .network_tables import network_table

        sel = tables.Selection.load(g.region, sel.period, "all")     # the network's figures: all data
        table = network_table(sel, table_id)
        if table is None:
            abort(404)
    elif table_id.startswith("trend--"):
        unit = table_id.removeprefix("trend--")
        if unit not in tables.GRANULARITIES:
            abort(404)
        table = tables.trend_table(g.region, _trend_years(queries.figure_statuses(g.region.teryt_code), sel.period),
                                   unit)
    else:
        table = dashboard_table(sel, table_id)
        if table is None:
            abort(404)
    headers, rows = table.export()
    rows = [[table.title], [_("Period: %(period)s", period=sel.period.label)]] + (
        [[_("Accepted data only")]] if sel.scope == "accepted" else []) + [[]] + [headers] + rows
    stem = f"{g.region.slug}-{table.id}-{sel.period.key}"
    return spreadsheet_response(stem, fmt, [g.region.name], rows)


@bp.route("/institutions")
def institutions():
    code = g.region.teryt_code
    rows = queries.institutions_of_region(code)
    return render_template("coordinator/institutions.html", counts=queries.institution_counts_by_kind(code),
                           institutions=rows, counties=queries.counties_covered(rows))


@bp.route("/referrals")
def referrals():
    """Referrals between the region's institutions, for a period: counts, rates and times, protected."""
    from .network_tables import referral_tables

    return _network_page("coordinator/referrals.html", referral_tables)


@bp.route("/working-groups")
def working_groups():
    """The region's working groups: groups, meetings, attendance, action items done on time; protected."""
    from .network_tables import group_tables

    return _network_page("coordinator/working_groups.html", group_tables)


def _network_page(template: str, build):
    period, _scope = selected_period(g.region, request.args.get("period"), None)
    sel = tables.Selection.load(g.region, period, "all")
    statuses = queries.figure_statuses(g.region.teryt_code)
    return render_template(template, sel=sel, tables=build(sel), choices=period_choices(g.region, statuses),
                           status=statuses.get(sel.period.key))


@bp.route("/refresh", methods=["POST"])
def refresh():
    if FlaskForm().validate_on_submit():
        request_full_refresh(g.region.teryt_code)
        flash(_("The figures are being recounted. This takes a moment; reload the page to see them."), "info")
    return redirect(url_for(".home", **{k: v for k, v in request.args.items() if k in ("period", "scope")}))


from . import period_views  # noqa: E402, F401  (routes of reporting periods on the same blueprint)


@bp.cli.command("refresh-figures")
@click.option("--if-missing", is_flag=True, help="Only regions whose figures were never counted.")
def refresh_figures_command(if_missing):
    """Recount every institution's figure facts and every region's figures now (no worker needed)."""
    import time

    from ..institutions.models import Institution
    from ..tenancy import tenant_scope
    from .models import RegionFigureStatus
    from .refresh import do_refresh_region, do_refresh_tenant

    counted = set(db.session.execute(select(RegionFigureStatus.region_code).distinct()).scalars()) \
        if if_missing else set()
    for region in db.session.execute(select(Region).order_by(Region.teryt_code)).scalars().all():
        if region.teryt_code in counted:
            continue
        started = time.perf_counter()
        tenants = db.session.execute(select(Institution.id).where(
            Institution.region_code == region.teryt_code)).scalars().all()
        rows = 0
        for tenant_id in tenants:
            with tenant_scope(tenant_id):
                rows += do_refresh_tenant(tenant_id)
        facts = time.perf_counter() - started
        figures = do_refresh_region(region.teryt_code)
        click.echo(f"region {region.teryt_code}: {len(tenants)} institutions, {rows} participation facts "
                   f"in {facts:.1f} s; {figures} figures in {time.perf_counter() - started - facts:.1f} s")
