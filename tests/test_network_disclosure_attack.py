"""Issues 15 and 16, point 6: the network's tables (referrals, working groups) go through the same
disclosure control as every other table, and the attacker of issue 11 finds nothing in them.

A year of referrals and working groups planted so that tables protected alone give cells away
(tests/network_attack.py); every network table of every calendar period of that year downloaded as
CSV by the coordinator; the integer program of tests/disclosure_attack.py computes each hidden
cell's smallest and largest value consistent with all of it. No hidden cell may be pinned to one
value; every count below the threshold is hidden and compatible with at least two values. The same
attack on the network tables protected alone (each table with its own total, no cross-tables, no
periods, no audit: how the referral tables were protected before) pins cells of both kinds.
"""
from sqlalchemy import select

from regionet.platform.coordinator import figure_links, linked, patterns
from regionet.platform.coordinator.db import region_reader
from regionet.platform.coordinator.dimensions import NETWORK_MEASURES
from regionet.platform.coordinator.models import RegionFigure
from regionet.platform.coordinator.periods import periods_of_year
from regionet.platform.coordinator.refresh import do_refresh_region
from regionet.platform.demo.referrals import do_seed_demo_referrals
from regionet.platform.demo.workspace import do_seed_demo_workspaces
from regionet.platform.ui.formatting import today_in_poland

from .coordinator_data import clean_region_tables  # noqa: F401 (fixture)
from .disclosure_attack import attack
from .network_attack import download_network, network_world
from .referral_support import seed_catalogue

YEAR = today_in_poland().year - 1


def _seed(app, pg_database):
    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
    seed_catalogue(app)
    with app.app_context():
        do_seed_demo_referrals(today_in_poland())      # this year's: templates for last year's clones
    network_world(app, pg_database["admin"], YEAR)
    with app.app_context():
        # The participants' facts are not built: the region's figures hold the network's counts (and
        # empty participant tables), so the linked set is protected in seconds.
        do_refresh_region("26")


def _withheld(app) -> set:
    """The network cells of the year stored as NULL: counts below the threshold."""
    figures = RegionFigure.__table__
    keys = [p.key for p in periods_of_year(YEAR)]
    with app.test_request_context(), region_reader("26") as conn:
        rows = conn.execute(select(figures.c.period_key, figures.c.measure, figures.c.dim_a, figures.c.key_a,
                                   figures.c.dim_b, figures.c.key_b).where(
            figures.c.region_code == "26", figures.c.period_key.in_(keys), figures.c.value.is_(None),
            figures.c.measure.in_(list(NETWORK_MEASURES)))).all()
    return {tuple(row) for row in rows}


def test_no_hidden_network_cell_can_be_worked_out_from_every_download(app, client, auth, pg_database):
    _seed(app, pg_database)
    auth.login_coordinator()
    download = download_network(app, client, [YEAR])
    assert download.tables > 200
    assert not download.conflicts, download.conflicts[:5]
    measures = {key[1] for key in download.hidden}
    assert {"ref_sent", "grp_meetings", "att_recorded", "act_due"} <= measures
    ranges = attack(app, download, [YEAR])
    assert set(ranges) == download.hidden
    pinned = {key: bounds for key, bounds in ranges.items() if bounds[0] == bounds[1]}
    assert not pinned, sorted(pinned.items())[:10]
    withheld = _withheld(app)
    assert len(withheld) > 20
    assert withheld <= download.hidden, sorted(withheld - download.hidden)[:10]
    assert all(ranges[key][1] > ranges[key][0] for key in withheld)
    # the planted quarter: 2 referrals in Q3, hidden, and not told by its half-year minus Q4
    q3 = (f"{YEAR}-Q3", "ref_sent", "", "", "", "")
    assert q3 in download.hidden and ranges[q3][0] <= 2 <= ranges[q3][1]


def _alone(cells, periods, places, normal, sensitive, **_kw):
    """Each table with its own total only: no periods, no cross-tables' margins across tables."""
    ls = figure_links.linked_set(cells, periods, places, normal, sensitive, over_time=False)
    own = [line for line in ls.lines if line.total[2] == ""]
    return linked.LinkedSet(ls.cells, own, [], threshold=ls.threshold, zero_floor=lambda key: 1)


def test_the_attack_finds_network_cells_that_tables_protected_alone_give_away(app, client, auth, pg_database,
                                                                             monkeypatch):
    monkeypatch.setattr(patterns, "linked_set", _alone)
    monkeypatch.setattr(patterns, "ALGORITHM", "network-alone")
    monkeypatch.setattr(linked, "_audit_pass", lambda ls, hidden, safe: False)
    _seed(app, pg_database)
    auth.login_coordinator()
    download = download_network(app, client, [YEAR])
    ranges = attack(app, download, [YEAR])
    pinned = {key: bounds for key, bounds in ranges.items() if bounds[0] == bounds[1]}
    # the quarter's referrals alone in their half-year; the one meeting of the first quarter
    assert pinned.get((f"{YEAR}-Q3", "ref_sent", "", "", "", "")) == (2, 2), sorted(pinned)[:20]
    assert pinned.get((f"{YEAR}-Q1", "grp_meetings", "", "", "", "")) == (1, 1), sorted(pinned)[:20]
