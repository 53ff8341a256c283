"""Issue 16, point 6: the coordinator's figures of the region's working groups: groups and meetings
by the types and counties of the institutions taking part, attendance by the attendee's institution
type, action items done on time; counted by the database (figures_api.refresh_region_network),
protected in the linked set, downloadable; never a person's name."""
from unittest import mock

from sqlalchemy import select

from regionet.platform.coordinator.db import region_reader
from regionet.platform.coordinator.models import RegionFigure
from regionet.platform.coordinator.network_tables import actions_table, attendance_table, groups_table
from regionet.platform.coordinator.periods import year_period
from regionet.platform.coordinator.refresh import do_refresh_region
from regionet.platform.coordinator.tables import Selection
from regionet.platform.demo.groups import do_seed_demo_groups
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.groups.models import Meeting

from .coordinator_data import clean_region_tables  # noqa: F401 (fixture)
from .helpers import visible_text
from .test_isolation import _institution_id
from .test_network_disclosure_attack import YEAR, _seed


def _stored(app, period_key: str) -> dict:
    figures = RegionFigure.__table__
    with app.test_request_context(), region_reader("26") as conn:
        rows = conn.execute(select(figures.c.measure, figures.c.dim_a, figures.c.key_a, figures.c.dim_b,
                                   figures.c.key_b, figures.c.value).where(
            figures.c.region_code == "26", figures.c.period_key == period_key, figures.c.scope == "all",
            figures.c.measure.like("grp%") | figures.c.measure.like("att%") | figures.c.measure.like("act%"))).all()
    return {tuple(row[:5]): row[5] for row in rows}


def test_group_figures_are_counted_protected_and_downloadable(app, client, auth, pg_database):
    _seed(app, pg_database)          # tests/network_attack.py: four groups of last year, their meetings and tasks
    year = _stored(app, str(YEAR))
    assert year[("grp_groups", "", "", "", "")] == 4
    assert year[("grp_groups", "grp_kind", "ops", "", "")] == 4               # an OPS in every group
    assert year[("grp_groups", "grp_kind", "pup", "", "")] is None            # 2: withheld at the source
    assert year[("grp_meetings", "", "", "", "")] == 7
    assert year[("att_recorded", "", "", "", "")] == 16 and year[("att_present", "", "", "", "")] == 13
    assert year[("act_due", "", "", "", "")] == 9 and year[("act_on_time", "", "", "", "")] == 5
    assert _stored(app, f"{YEAR}-Q1")[("grp_meetings", "", "", "", "")] is None     # one meeting
    assert all(v is None or v == 0 or v >= 3 for v in year.values())

    with app.test_request_context():
        sel = Selection.load(db.session.get(Region, "26"), year_period(YEAR), "all")
        by_kind = groups_table(sel, "grp_kind")
        attendance, actions = attendance_table(sel), actions_table(sel)
    assert by_kind.total.cells[0].value == 4 and by_kind.total.cells[1].value == 7
    assert any("w każdym z ich wierszy" in note for note in by_kind.notes)     # groups overlap across rows
    # what is printed is the truth; what the year's linked protection hid (a complement of the
    # quarters' small cells, perhaps) is hidden, and a rate over it too
    for table, (whole, part) in ((attendance, (16, 13)), (actions, (9, 5))):
        cells = table.total.cells
        assert cells[0].value in (None, whole) and cells[1].value in (None, part)
        assert cells[2].value == (None if None in (cells[0].value, cells[1].value) else part / whole)
    for table in (attendance, actions):      # a rate is hidden with its numerator or denominator
        for row in table.rows:
            if row.cells[0].hidden or row.cells[1].hidden:
                assert row.cells[2].hidden or row.cells[2].na

    auth.login_coordinator()
    response = client.get(f"/r/swietokrzyskie/working-groups?period={YEAR}")
    assert response.status_code == 200
    page = visible_text(response.get_data(as_text=True))
    assert "Grupy robocze regionu" in page and "Frekwencja" in page
    assert "Członek" not in page and "Grupa 0" not in page           # no member's name, no group's name
    for table_id in ("net-grp--grp_kind", "net-grp--grp_county", "net-att", "net-act",
                     "net-cross--grp_meetings--grp_kind--grp_county"):
        for fmt in ("csv", "xlsx"):
            download = client.get(f"/r/swietokrzyskie/export/{table_id}.{fmt}?period={YEAR}")
            assert download.status_code == 200, (table_id, fmt)
            assert b"Cz\xc5\x82onek" not in download.data


def test_groups_made_through_the_services_are_counted(app, client, auth):
    """The demo's groups (made the way the pages make them) reach the region's figures."""
    from regionet.platform.demo.workspace import do_seed_demo_workspaces

    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
        do_seed_demo_groups(today_in_poland())
        do_refresh_region("26")
    this_year = _stored(app, str(today_in_poland().year))
    assert ("grp_groups", "", "", "", "") in this_year           # the demo's groups: counted (or withheld)
    assert ("grp_meetings", "", "", "", "") in this_year


def test_a_change_to_a_group_or_a_referral_asks_for_a_recount(app, client, auth):
    from regionet.platform.demo.workspace import do_seed_demo_workspaces

    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
        do_seed_demo_groups(today_in_poland())
        mops = _institution_id(app, "mops-skarzysko-kamienna")
        with mock.patch("regionet.platform.coordinator.refresh.request_tenant_refresh") as requested:
            with tenant_scope(mops):
                meeting = db.session.execute(select(Meeting).where(Meeting.tenant_id == mops)).scalars().first()
                meeting.place = "Sala konferencyjna"
                db.session.commit()
        requested.assert_called_with(mops)
