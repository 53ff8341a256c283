"""Issue 11, point 3: an audit that plays the attacker over everything a coordinator can download.

Two years of records (tests/disclosure_attack.py plants the issue's attacks: communes alone in
their county, a quarter alone in its half-year, one man with a disability among zeros); every
table of every calendar period is downloaded as CSV by the coordinator; an integer program
computes for each hidden cell the smallest and largest value consistent with all of it. No
hidden cell may be pinned to one value. The same attack on a protection that works table by
table (no hierarchies, no periods, no audit: what the platform did before) finds pinned cells,
so the audit is shown able to fail.
"""
from regionet.platform.coordinator import figure_links, linked, patterns
from regionet.platform.ui.formatting import today_in_poland

from .coordinator_data import clean_region_tables, refresh_figures  # noqa: F401 (fixture)
from .disclosure_attack import attack, attack_world, download_everything

YEARS = [today_in_poland().year - 1, today_in_poland().year]


def _seed(app):
    attack_world(app, tuple(YEARS))
    with app.app_context():
        refresh_figures()


def _pinned(ranges: dict) -> dict:
    return {key: bounds for key, bounds in ranges.items() if bounds[0] == bounds[1]}


def test_no_hidden_cell_can_be_worked_out_from_every_download(app, client, auth):
    _seed(app)
    auth.login_coordinator()
    download = download_everything(app, client, YEARS)
    assert download.tables > 1000
    assert not download.conflicts, download.conflicts[:5]
    assert len(download.hidden) > 100        # the world has small cells to protect
    ranges = attack(app, download, YEARS)
    assert set(ranges) == download.hidden
    pinned = _pinned(ranges)
    assert not pinned, sorted(pinned.items())[:10]


def _table_by_table(cells, periods, places, normal, sensitive, **_kw):
    """The old protection's knowledge: each table with its own total, nothing across tables."""
    ls = figure_links.linked_set(cells, periods, places, normal, sensitive, over_time=False)
    own = [line for line in ls.lines if line.total[2] == "" or (line.total[4] == "" and line.parts[0][4] != "")]
    return linked.LinkedSet(ls.cells, own, [], threshold=ls.threshold, zero_floor=lambda key: 1)


def test_the_attack_finds_cells_a_table_by_table_protection_gives_away(app, client, auth, monkeypatch):
    monkeypatch.setattr(patterns, "linked_set", _table_by_table)
    monkeypatch.setattr(patterns, "ALGORITHM", "table-by-table")
    monkeypatch.setattr(linked, "_audit_pass", lambda ls, hidden, safe: False)
    _seed(app)
    auth.login_coordinator()
    download = download_everything(app, client, YEARS[:1])     # the planted attacks are in the first year
    pinned = _pinned(attack(app, download, YEARS[:1]))
    # communes inside their county, quarters inside half-years: worked out exactly
    assert any(key[2] == "commune" and key[4] == "" for key in pinned), sorted(pinned)[:20]
    assert any(key[0].endswith(("-Q3", "-Q4", "-H1")) for key in pinned), sorted(pinned)[:20]
