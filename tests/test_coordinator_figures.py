"""The coordinator's figures on PostgreSQL: unique people across institutions, small counts
withheld in the database, and the coordinator role denied every person's row."""
import re
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from regionet.platform.coordinator import queries
from regionet.platform.coordinator.figures_sql import function_sql
from regionet.platform.tenancy import tenant_table_names
from regionet.platform.tenancy.roles import AGGREGATE_ROLE
from regionet.platform.ui.formatting import today_in_poland

from .coordinator_data import Person, add_people, clean_region_tables, refresh_figures  # noqa: F401 (fixture)

YEAR = today_in_poland().year
PERSON_TABLES = ["participants", "enrolments", "support_episodes", "outcomes", "figure_participations",
                 "figure_activities"]


def _day(month: int, day: int = 1) -> date:
    return date(YEAR, month, day)


def shared_world(app):
    """3 people at both MOPS and PUP (same PESEL), 4 only at MOPS, 5 only at PUP, and one person
    without PESEL registered at both (counted as two people: nothing links the two records)."""
    shared = [("80010112345", "Halina"), ("75020254321", "Jadwiga"), ("90030398765", "Krystyna")]
    mops = [Person(name, "Wspólna", pesel=pesel, entry=_day(1, 10)) for pesel, name in shared]
    mops += [Person(f"Mops{i}", "Osobna", pesel=f"6{i}0101{i}1111", entry=_day(2)) for i in range(4)]
    mops.append(Person("Bez", "Peselu", pesel=None, entry=_day(3)))
    pup = [Person(name, "Wspólna", pesel=pesel, entry=_day(4),
                  episodes=[("vocational_course", _day(4, 5))]) for pesel, name in shared]
    pup += [Person(f"Pup{i}", "Osobny", pesel=f"7{i}0202{i}2222", sex="male", entry=_day(5),
                   episodes=[("internship", _day(5, 5))]) for i in range(5)]
    pup.append(Person("Bez", "Peselu", pesel=None, entry=_day(6)))
    with app.app_context():
        add_people("mops-skarzysko-kamienna", mops)
        add_people("pup-skarzysko-kamienna", pup)
        refresh_figures()


def test_a_person_at_a_mops_and_a_pup_is_one_person_and_two_participations(app):
    shared_world(app)
    with app.app_context():
        figures = queries.one_way_figures("26", str(YEAR), "all")
    participations, people = figures[("participations", "")][""], figures[("people", "")][""]
    assert participations == 8 + 9
    assert people == 3 + 4 + 5 + 2          # the shared three once; the two without PESEL on their own
    kinds = figures[("people", "kinds")]
    assert kinds == {"ops+pup": 3, "ops": 5, "pup": 6}
    assert sum(kinds.values()) == people
    by_kind = figures[("people", "inst_kind")]
    assert by_kind == {"ops": 8, "pup": 9}  # unique within each type; together more than the total
    assert figures[("participations", "inst_kind")] == {"ops": 8, "pup": 9}


def test_the_dashboard_shows_unique_people_and_the_overlap(app, client, auth):
    """What the dashboard prints is the count, or "x" where the year's linked protection hides it
    (in a world of 14 people it hides much: tests/test_disclosure_attack.py checks that it must)."""
    shared_world(app)
    auth.login_coordinator()
    page = client.get(f"/r/swietokrzyskie/?period={YEAR}").get_data(as_text=True)
    people = re.search(r'data-testid="headline-people">([^<]*)<', page).group(1)
    assert people in ("14", "x", "")
    csv = client.get(f"/r/swietokrzyskie/export/overlap.csv?period={YEAR}").get_data(as_text=True)
    lines = dict(line.split(";")[:2] for line in csv.splitlines() if line.count(";") == 1)
    assert {lines["OPS + PUP"], lines["tylko OPS"], lines["tylko PUP"], lines["Razem"]} <= {"3", "5", "6", "14", "x"}
    assert lines["OPS + PUP"] in ("3", "x") and lines["tylko OPS"] in ("5", "x") and lines["tylko PUP"] in ("6", "x")
    assert lines["Razem"] in ("14", "x") and (lines["Razem"] == "x") == (people != "14")


def test_small_counts_never_leave_the_database_as_numbers(app, pg_database):
    shared_world(app)
    with app.app_context():
        add_people("owes-kielce", [Person("Jedna", "Osoba", disability="yes", entry=_day(2))])
        refresh_figures()
    engine = create_engine(pg_database["admin"])
    with engine.connect() as conn:
        small = conn.execute(text("SELECT count(*) FROM region_figures WHERE value > 0 AND value < 3")).scalar_one()
        sensitive = conn.execute(text("SELECT count(*) FROM region_figures WHERE value > 0 AND value < 5"
                                      " AND 'disability' IN (dim_a, dim_b)")).scalar_one()
        withheld = conn.execute(text("SELECT count(*) FROM region_figures WHERE value IS NULL")).scalar_one()
    engine.dispose()
    assert small == 0 and sensitive == 0
    assert withheld > 0   # the OWES's single participant, the 2 people without PESEL, ...


def test_the_coordinator_role_cannot_read_any_persons_row_or_pseudonym(app, pg_database):
    shared_world(app)
    engine = create_engine(pg_database["coordinator"])
    try:
        with app.app_context():
            tenant_tables = tenant_table_names()
        readable = {"period_submissions", "submission_events"}   # states of reports, no person's data
        for table in PERSON_TABLES + sorted(set(tenant_tables) - readable):
            with pytest.raises(ProgrammingError, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
                    conn.execute(text(f"SELECT * FROM {table} LIMIT 1"))
        for statement in ("SELECT figures_api.refresh_region_period('26', '2026', 'all')",
                          "SELECT figures_api.prune_region('26', ARRAY['x'])",
                          f"SET ROLE {AGGREGATE_ROLE}"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
        with engine.begin() as conn:   # its own region's figures, and no pseudonym in them
            conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
            rows = conn.execute(text("SELECT * FROM region_figures")).all()
            assert rows and all(len(str(v)) < 64 for row in rows for v in row)
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '14', true)"))
            assert conn.execute(text("SELECT count(*) FROM region_figures")).scalar_one() == 0
    finally:
        engine.dispose()


def test_the_aggregate_role_cannot_log_in_and_bypasses_nothing(pg_database):
    engine = create_engine(pg_database["admin"])
    with engine.connect() as conn:
        login, bypass, superuser = conn.execute(text(
            "SELECT rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = :r"),
            {"r": AGGREGATE_ROLE}).one()
        owner = conn.execute(text("SELECT proowner::regrole::text, prosecdef FROM pg_proc"
                                  " WHERE proname = 'refresh_region_period'")).one()
        no_bypass = conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'regionet%'"
                                      " AND rolbypassrls")).scalar_one()
    engine.dispose()
    assert not login and not bypass and not superuser
    assert owner == (AGGREGATE_ROLE, True)
    assert no_bypass == 0


def test_the_runtime_role_cannot_read_or_forge_the_regions_figures(app, pg_database):
    shared_world(app)
    engine = create_engine(pg_database["app"])
    try:
        with pytest.raises(ProgrammingError, match="permission denied"):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO region_figures VALUES ('26', '2026', 'all', 'people', '', '', '',"
                                  " '', 99)"))
        with pytest.raises(ProgrammingError, match="permission denied"):
            with engine.begin() as conn:
                conn.execute(text("SELECT count(*) FROM region_figures"))
    finally:
        engine.dispose()


def test_the_installed_function_is_the_generated_sql(pg_database):
    """A change to figures_sql.py needs a migration that reinstalls the function."""
    engine = create_engine(pg_database["admin"])
    with engine.connect() as conn:
        installed = conn.execute(text("SELECT prosrc FROM pg_proc WHERE proname = 'refresh_region_period'")) \
            .scalar_one()
    engine.dispose()
    generated = function_sql().split("$function$")[1]
    assert installed.strip() == generated.strip()


def test_the_function_counts_every_breakdown_with_exits_and_employment(app, pg_database):
    """The GROUPING SETS function writes every offered breakdown, exits and jobs included."""
    shared_world(app)
    with app.app_context():
        add_people("owes-kielce", [Person(f"O{i}", "Owes", disability="refused" if i % 2 else "yes",
                                          commune="2661011", entry=_day(3), exit=_day(6, 30),
                                          outcomes=[("employment_contract", _day(7, 10))] if i < 4 else [])
                                   for i in range(7)])
        refresh_figures()
    engine = create_engine(pg_database["admin"])
    select_all = "SELECT measure, dim_a, key_a, dim_b, key_b, value FROM region_figures WHERE period_key = :p"
    with engine.begin() as conn:
        by_function = set(conn.execute(text(select_all), {"p": str(YEAR)}).all())
    engine.dispose()
    assert len(by_function) > 300
    employed = {row for row in by_function if row[0] in ("exits", "employed") and row[1] == ""}
    assert employed == {("exits", "", "", "", "", 7), ("employed", "", "", "", "", 4)}
