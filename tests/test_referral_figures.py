"""The coordinator's referral figures: counted by the database for the region only, protected by
disclosure control, never a referral or a person."""
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from regionet.platform.coordinator.db import region_reader
from regionet.platform.coordinator.disclosure import SUPPRESSED_MARK, Rule
from regionet.platform.coordinator.periods import Period
from regionet.platform.coordinator.queries import label_book
from regionet.platform.coordinator.referral_tables import figures, referral_tables
from regionet.platform.demo.referrals import do_seed_demo_referrals
from regionet.platform.demo.workspace import do_seed_demo_workspaces
from regionet.platform.ui.formatting import today_in_poland

from .helpers import visible_text
from .referral_support import seed_catalogue


@pytest.fixture
def demo_referrals(app):
    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
    seed_catalogue(app)
    with app.app_context():
        do_seed_demo_referrals(today_in_poland())


def _last_year():
    today = today_in_poland()
    return Period("test", today - timedelta(days=365), today, "year")


def test_counts_and_suppression(app, demo_referrals):
    with app.test_request_context():
        found = figures("26", _last_year())
        total = found["total"][""]
        assert (total["sent"], total["accepted"], total["declined"], total["started"], total["completed"]) == \
            (9, 4, 1, 3, 1)
        assert found["sender_kind"]["ops"]["sent"] == 9
        assert {k: v["sent"] for k, v in found["receiver_kind"].items()} == {"pup": 5, "owes": 2, "ops": 2}
        assert found["total"][""]["accept_n"] == 4 and found["total"][""]["accept_days"] is not None
        tables = {t.dim: t for t in referral_tables("26", _last_year(), Rule(3), label_book("26"))}
    receivers = {line.label: line.cells for line in tables["receiver_kind"].lines}
    pup = next(cells for label, cells in receivers.items() if "urząd pracy" in label.lower() or "PUP" in label)
    assert pup[0] == "5"
    small = [cells[0] for label, cells in receivers.items() if cells is not pup]
    assert small == [SUPPRESSED_MARK, SUPPRESSED_MARK]        # 2 and 2: below the threshold of 3
    assert tables["receiver_kind"].total.cells[0] == "9"
    # a median over fewer referrals than the threshold is not shown
    for line in tables["service_type"].lines:
        if line.cells[1] in (SUPPRESSED_MARK, "1", "2"):
            assert line.cells[7] in (SUPPRESSED_MARK, "—")
    with app.test_request_context():   # another region: nothing
        other = figures("12", _last_year())
        assert list(other) == ["total"] and other["total"][""]["sent"] == 0


def test_the_coordinator_page_shows_counts_never_people(app, client, auth, demo_referrals):
    auth.login_coordinator()
    response = client.get("/r/swietokrzyskie/referrals")
    assert response.status_code == 200
    page = visible_text(response.get_data(as_text=True))
    assert "Skierowania między instytucjami" in page and "Według rodzaju usługi" in page
    assert "Staż u pracodawcy" not in page and "Kowalska" not in page


def test_the_coordinator_role_cannot_read_referrals(app, pg_database, demo_referrals):
    engine = create_engine(pg_database["coordinator"])
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
            for table in ("referrals", "referral_events"):
                with pytest.raises(Exception, match="permission denied"):
                    with conn.begin_nested():
                        conn.execute(text(f"SELECT * FROM {table}"))
            rows = conn.execute(text("SELECT * FROM referral_api.region_referral_figures(:a, :b)"),
                                {"a": _last_year().start, "b": _last_year().end}).mappings().all()
            assert rows and set(rows[0]) == {"dim", "key", "sent", "accepted", "declined", "started", "completed",
                                             "accept_n", "accept_days", "start_n", "start_days"}
    finally:
        engine.dispose()
    with app.test_request_context(), region_reader("26") as conn:
        assert conn.execute(text("SELECT count(*) FROM referral_api.region_referral_figures(:a, :b)"),
                            {"a": _last_year().start, "b": _last_year().end}).scalar_one() > 5
