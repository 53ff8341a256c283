"""The outside attacker of issue 11 turned on the network's tables (issues 15 and 16, point 6).

`network_world(app, admin_url, year)` plants, on top of the demo referrals, a year of referrals and
working groups built so that tables protected alone give cells away: a quarter's referrals alone in
their half-year (the old referral tables were protected one by one, each period on its own), a
meeting alone in its quarter, action items due in one quarter only, a receiving institution type
with one referral among the large ones. Rows are copied in SQL as the database owner (a clone of a
demo referral with another receiver, service, dates and outcome; groups, meetings, attendance and
action items inserted as they are stored): what is counted is only what region_figures sees.

`download_network(app, client, years)` downloads, as the coordinator, the CSV of every network table
(network_tables.downloadable) of every calendar period of `years`, read back into cells as
tests/disclosure_attack.py reads the other tables, for the same `attack`.
"""
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import create_engine, text

from regionet.platform.coordinator import tables
from regionet.platform.coordinator.network_tables import downloadable, network_table
from regionet.platform.coordinator.periods import periods_of_year
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region
from regionet.tenants.referrals.models import Referral

from .disclosure_attack import SLUG, Download, _read, _rows

MOPS, PUP, OWES, MOPR, GOPS = ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce", "mopr-kielce",
                               "gops-blizyn")

# (sender, receiver, month, day, how many, accepted, started, completed)
REFERRALS = (
    (MOPS, PUP, 2, 10, 7, 6, 5, 3),       # Q1: large
    (MOPS, PUP, 5, 12, 6, 5, 4, 2),       # Q2
    (MOPS, OWES, 6, 3, 1, 1, 0, 0),       # Q2: one referral to an OWES among the PUP's
    (GOPS, MOPR, 8, 20, 2, 1, 1, 0),      # Q3: alone in the second half-year but for Q4
    (GOPS, MOPR, 11, 5, 5, 4, 3, 1),      # Q4
    (MOPS, MOPR, 12, 1, 4, 3, 0, 0),      # Q4
)
# groups: (owner, member institutions, created month); meetings: (group, month, [(member's institution, presence)])
GROUPS = ((MOPS, (PUP,), 1), (MOPS, (PUP, OWES), 1), (OWES, (MOPR,), 3), (MOPR, (GOPS, MOPS), 4))
MEETINGS = ((0, 2, ((MOPS, "present"), (PUP, "absent"))),                 # Q1: one meeting only
            (0, 4, ((MOPS, "present"), (PUP, "present"))), (1, 5, ((OWES, "excused"), (MOPS, "present"))),
            (2, 6, ((MOPR, "present"),)), (3, 6, ((GOPS, "present"), (MOPS, "absent"), (MOPR, "present"))),
            (3, 10, ((GOPS, "present"), (MOPR, "present"), (MOPS, "present"))),
            (1, 11, ((OWES, "present"), (PUP, "present"), (MOPS, "present"))))
# action items: (group, owner institution, deadline month, done: days after the deadline or None)
ACTIONS = ((0, PUP, 3, -2), (0, MOPS, 5, 0), (1, OWES, 5, 10), (2, MOPR, 6, None), (3, GOPS, 9, -5),
           (3, MOPR, 11, 3), (1, MOPS, 11, -1), (1, PUP, 12, None), (3, GOPS, 12, 0))


def _at(year: int, month: int, day: int = 15) -> datetime:
    return datetime.combine(date(year, month, day), time(10), tzinfo=UTC)


def network_world(app, admin_url, year: int) -> None:
    engine = create_engine(admin_url)
    try:
        with engine.begin() as conn:
            ids = dict(conn.execute(text("SELECT slug, id FROM institutions")).all())
            _referrals(conn, ids, year)
            _groups(conn, ids, year)
    finally:
        engine.dispose()


def _referrals(conn, ids: dict, year: int) -> None:
    columns = [c.name for c in Referral.__table__.columns]
    for sender, receiver, month, day, count, accepted, started, completed in REFERRALS:
        template = conn.execute(text("SELECT id FROM referrals WHERE tenant_id = :t ORDER BY sent_at LIMIT 1"),
                                {"t": ids[sender]}).scalar_one()
        service = conn.execute(text("SELECT id FROM catalogue_services WHERE tenant_id = :t ORDER BY name LIMIT 1"),
                               {"t": ids[receiver]}).scalar_one()
        for n in range(count):
            sent = _at(year, month, day)
            values = {"id": "gen_random_uuid()", "receiver_tenant_id": ":receiver", "service_id": ":service",
                      "sent_at": ":sent", "accepted_at": ":accepted", "started_on": ":started", "result": ":result",
                      "state": ":state", "finished_on": "NULL", "closed_at": "NULL", "receiver_participant_id": "NULL",
                      "redirect_tenant_id": "NULL", "redirect_service_id": "NULL", "stop_reason": "NULL"}
            select = ", ".join(values.get(c, c) for c in columns)
            state = "completed" if n < completed else "started" if n < started else \
                "accepted" if n < accepted else "declined"
            conn.execute(text(f"INSERT INTO referrals ({', '.join(columns)}) SELECT {select} FROM referrals "
                              "WHERE id = :template"),
                         {"template": template, "receiver": ids[receiver], "service": service, "sent": sent,
                          "accepted": sent + timedelta(days=2 + n) if n < accepted else None,
                          "started": (sent + timedelta(days=7 + n)).date() if n < started else None,
                          "result": "employment_contract" if n < completed else None, "state": state})


def _groups(conn, ids: dict, year: int) -> None:
    groups, members = [], {}
    for n, (owner, parties, month) in enumerate(GROUPS):
        tenant = ids[owner]
        group = conn.execute(text(
            "INSERT INTO working_groups (tenant_id, id, name, kind, purpose, created_at) "
            "VALUES (:t, gen_random_uuid(), :name, 'working', 'Współpraca', :at) RETURNING id"),
            {"t": tenant, "name": f"Grupa {n}", "at": _at(year, month, 2)}).scalar_one()
        groups.append((tenant, group))
        for slug in (owner,) + parties:
            if slug != owner:
                conn.execute(text(
                    "INSERT INTO working_group_institutions (tenant_id, id, group_id, institution_id, status) "
                    "VALUES (:t, gen_random_uuid(), :g, :i, 'member')"), {"t": tenant, "g": group, "i": ids[slug]})
            members[(n, slug)] = conn.execute(text(
                "INSERT INTO working_group_members (tenant_id, id, group_id, full_name, institution_id, role) "
                "VALUES (:t, gen_random_uuid(), :g, :name, :i, 'member') RETURNING id"),
                {"t": tenant, "g": group, "name": f"Członek {slug}", "i": ids[slug]}).scalar_one()
    for n, month, attendance in MEETINGS:
        tenant, group = groups[n]
        meeting = conn.execute(text(
            "INSERT INTO group_meetings (tenant_id, id, group_id, title, starts_at) "
            "VALUES (:t, gen_random_uuid(), :g, 'Posiedzenie', :at) RETURNING id"),
            {"t": tenant, "g": group, "at": _at(year, month)}).scalar_one()
        for slug, presence in attendance:
            conn.execute(text(
                "INSERT INTO group_attendance (tenant_id, id, group_id, meeting_id, member_id, rsvp, presence) "
                "VALUES (:t, gen_random_uuid(), :g, :m, :member, 'yes', :p)"),
                {"t": tenant, "g": group, "m": meeting, "member": members.get((n, slug)), "p": presence})
    for n, owner, month, done in ACTIONS:
        tenant, group = groups[n]
        deadline = date(year, month, 20)
        conn.execute(text(
            "INSERT INTO group_action_items (tenant_id, id, group_id, title, owner_institution_id, deadline, state,"
            " done_on) VALUES (:t, gen_random_uuid(), :g, 'Zadanie', :o, :d, :s, :done)"),
            {"t": tenant, "g": group, "o": ids[owner], "d": deadline, "s": "open" if done is None else "done",
             "done": None if done is None else deadline + timedelta(days=done)})


def download_network(app, client, years: list[int]) -> Download:
    download = Download()
    with app.app_context():
        region = db.session.execute(db.select(Region).where(Region.slug == SLUG)).scalar_one()
        for year in years:
            for period in periods_of_year(year):
                sel = tables.Selection.load(region, period, "all")
                for table_id in downloadable():
                    table = network_table(sel, table_id)
                    response = client.get(f"/r/{SLUG}/export/{table_id}.csv?period={period.key}")
                    assert response.status_code == 200, (table_id, response.status_code, response.location)
                    _read(download, table, _rows(response.data), period.key, f"{table_id} {period.key}")
    return download
