"""The coordinator's referral figures: counted by the database for the region only, protected in
the linked set with every other table, never a referral or a person."""
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.coordinator import patterns
from regionet.platform.coordinator.db import region_reader
from regionet.platform.coordinator.disclosure import TOTAL
from regionet.platform.coordinator.models import RegionFigure
from regionet.platform.coordinator.network_tables import referral_table
from regionet.platform.coordinator.periods import Period, year_period
from regionet.platform.coordinator.refresh import do_refresh_region
from regionet.platform.coordinator.tables import Selection
from regionet.platform.demo.referrals import do_seed_demo_referrals
from regionet.platform.demo.workspace import do_seed_demo_workspaces
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region
from regionet.platform.ui.formatting import today_in_poland

from .coordinator_data import clean_region_tables  # noqa: F401 (fixture)
from .helpers import visible_text
from .referral_support import seed_catalogue


@pytest.fixture
def demo_referrals(app):
    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
    seed_catalogue(app)
    with app.app_context():
        do_seed_demo_referrals(today_in_poland())
        # The region's figures without the participants' facts (not built): only the network counts,
        # protected in seconds rather than the minutes the demo's whole linked set takes.
        do_refresh_region("26")


def _last_year():
    today = today_in_poland()
    return Period("test", today - timedelta(days=365), today, "year")


def _stored(period_key: str) -> dict:
    figures = RegionFigure.__table__
    with region_reader("26") as conn:
        rows = conn.execute(select(figures.c.measure, figures.c.dim_a, figures.c.key_a, figures.c.dim_b,
                                   figures.c.key_b, figures.c.value).where(
            figures.c.region_code == "26", figures.c.period_key == period_key, figures.c.scope == "all",
            figures.c.measure.like("ref%"))).all()
    return {tuple(row[:5]): row[5] for row in rows}


def test_counts_stored_small_ones_withheld(app, demo_referrals):
    year = year_period(today_in_poland().year)
    with app.test_request_context():
        stored = _stored(year.key)
        sent = stored[("ref_sent", "", "", "", "")]
        assert sent >= 3
        assert stored[("ref_sent", "ref_from", "ops", "", "")] == sent         # the demo's referrals leave the MOPS
        by_receiver = {k[2]: v for k, v in stored.items() if k[:2] == ("ref_sent", "ref_to") and not k[3]}
        assert set(by_receiver) <= {"pup", "owes", "ops", "cis", "kis", "social_cooperative"}
        assert all(v is None or v >= 3 for v in by_receiver.values())          # small counts never leave the database
        assert None in by_receiver.values()
        # cross-tables are stored too, and add up to their margins where printed
        cross = {k: v for k, v in stored.items() if k[:4] == ("ref_sent", "ref_from", "ops", "ref_to")}
        assert cross and set(cross.values()) >= {None}
        # no small number is stored (not even a median: medians are not stored at all)
        assert all(v is None or v == 0 or v >= 3 for v in stored.values())
        assert {k[0] for k in stored} == {"ref_sent", "ref_accepted", "ref_declined", "ref_started", "ref_completed"}


def test_the_table_shows_what_the_linked_pattern_publishes(app, demo_referrals):
    year = year_period(today_in_poland().year)
    with app.test_request_context():
        region = db.session.get(Region, "26")
        pattern = patterns.pattern_for(region, year)
        sel = Selection.load(region, year, "all")
        table = referral_table(sel, "ref_to")
    hidden = {key for measure, dim, key in pattern.one_way if (measure, dim) == ("ref_sent", "ref_to")}
    assert hidden                                         # the small receivers
    for row in table.rows:
        assert row.cells[0].hidden == (row.key in hidden), row.key
    for row in table.rows + [table.total]:
        accepted, declined, started, completed = (c.value for c in row.cells[1:5])
        rate, completion, to_accept, to_start = row.cells[5:9]
        # a rate is hidden when its numerator or denominator is
        if accepted is None or declined is None:
            assert rate.hidden
        if completed is None or started is None:
            assert completion.hidden
        # a median is shown only over a published count reaching the threshold
        if not to_accept.hidden and not to_accept.na:
            assert accepted is not None and accepted >= 3
        if not to_start.hidden and not to_start.na:
            assert started is not None and started >= 3
    assert table.total.key == TOTAL and table.total.cells[0].value == sel.grand("ref_sent")


def test_the_coordinator_pages_show_counts_never_people(app, client, auth, demo_referrals):
    auth.login_coordinator()
    response = client.get("/r/swietokrzyskie/referrals")
    assert response.status_code == 200
    page = visible_text(response.get_data(as_text=True))
    assert "Skierowania między instytucjami" in page and "Skierowania według rodzaju usługi" in page
    assert "Staż u pracodawcy" not in page and "Kowalska" not in page     # service types, never a service or a person
    for table_id in ("net-ref--ref_to", "net-cross--ref_sent--ref_from--ref_to"):
        for fmt in ("csv", "xlsx"):
            download = client.get(f"/r/swietokrzyskie/export/{table_id}.{fmt}?period={today_in_poland().year}")
            assert download.status_code == 200, (table_id, fmt)
    assert client.get("/r/swietokrzyskie/export/net-cross--ref_sent--ref_county--ref_from.csv").status_code == 404
    assert client.get("/r/swietokrzyskie/export/net-nothing.csv").status_code == 404


def test_the_coordinator_role_cannot_read_referrals(app, pg_database, demo_referrals):
    engine = create_engine(pg_database["coordinator"])
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
            for table in ("referrals", "referral_events", "working_groups", "group_attendance"):
                with pytest.raises(Exception, match="permission denied"):
                    with conn.begin_nested():
                        conn.execute(text(f"SELECT * FROM {table}"))
            with pytest.raises(Exception, match="permission denied"):
                with conn.begin_nested():
                    conn.execute(text("SELECT figures_api.refresh_region_network('26', '2026', "
                                      "'2026-01-01', '2026-12-31')"))
            rows = conn.execute(text("SELECT * FROM referral_api.region_referral_figures(:a, :b)"),
                                {"a": _last_year().start, "b": _last_year().end}).mappings().all()
            assert rows
    finally:
        engine.dispose()
