"""The Flask CLI groups: regions, institutions, users and the demo region."""
import json
import re

from sqlalchemy import create_engine, func, select, text

from regionet.platform.accounts.models import Membership, RegionCoordinator, User
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.regions.models import Region, TerytUnit
from regionet.platform.tenancy import tenant_table_names

from .conftest import DEMO_PASSWORD
from .helpers import fast_password_hashing


def _counts(app):
    with app.app_context():
        return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Region, TerytUnit, Institution, User, Membership, RegionCoordinator)}


def _tenant_counts(app, pg_database):
    """Rows of every tenant table, counted as the owner-less superuser (all institutions at once)."""
    engine = create_engine(pg_database["admin"])
    with app.app_context():
        tables = tenant_table_names()
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
    engine.dispose()
    return counts


def test_demo_seed_builds_the_region_from_teryt_and_a_second_run_changes_nothing(app, runner, pg_database):
    with fast_password_hashing():
        first = runner.invoke(args=["demo", "seed", "--password", DEMO_PASSWORD])  # refills the workspaces
    assert first.exit_code == 0, first.output
    assert "project POKL.07.01.01-26-003/08 in mops-skarzysko-kamienna" in first.output
    counts, tenant_counts = _counts(app), _tenant_counts(app, pg_database)
    assert tenant_counts["projects"] >= 5 and tenant_counts["enrolments"] >= 100
    assert counts["Region"] >= 1 and counts["Institution"] >= 5 and counts["RegionCoordinator"] >= 1
    with app.app_context():
        units = db.session.execute(select(TerytUnit.code).where(TerytUnit.voivodeship == "26")).scalars().all()
        communes = {code[:6] for code in units if len(code) == 7}
        assert len([c for c in units if len(c) == 4]) == 14  # 13 land counties and the city of Kielce
        assert len(communes) == 102
        assert db.session.get(TerytUnit, "2610011").name == "Skarżysko-Kamienna"
    with fast_password_hashing():
        # Earlier tests truncate tenant tables, so a first run may restore the demo's records
        # (practices, projects); the run after it must change nothing.
        assert runner.invoke(args=["demo", "seed", "--password", DEMO_PASSWORD]).exit_code == 0
        result = runner.invoke(args=["demo", "seed", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert _counts(app) == counts
    assert _tenant_counts(app, pg_database) == tenant_counts


def test_demo_seed_has_the_institutions_the_network_needs(app):
    with app.app_context():
        rows = {i.slug: (i.kind.value, i.teryt_code) for i in db.session.execute(select(Institution)).scalars()}
    assert rows["mops-skarzysko-kamienna"] == ("ops", "2610011")
    assert rows["pup-skarzysko-kamienna"] == ("pup", "2610")
    assert rows["owes-kielce"] == ("owes", "2661011")
    assert sum(1 for kind, _ in rows.values() if kind == "ops") >= 2


def test_demo_accounts_json(runner, client):
    result = runner.invoke(args=["demo", "accounts", "--json"])
    assert result.exit_code == 0, result.output
    accounts = json.loads(result.output)
    assert {tuple(sorted(a)) for a in accounts} == {("institution", "login", "login_url", "region", "role")}
    roles = {a["role"] for a in accounts}
    assert {"admin", "staff", "coordinator", "operator"} <= roles
    coordinator = next(a for a in accounts if a["role"] == "coordinator")
    assert coordinator["institution"] is None and coordinator["region"] == "swietokrzyskie"
    for slug in ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce"):
        assert {a["role"] for a in accounts if a["institution"] == slug} >= {"admin", "staff"}
    # every account signs in at its login_url and lands where it belongs
    for account in accounts:
        response = client.post(account["login_url"], data={"email": account["login"], "password": DEMO_PASSWORD,
                                                          "next": account["login_url"].split("next=")[1]})
        assert response.status_code == 302, account
        assert client.get(response.location).status_code == 200, account
        client.post("/logout")


def test_region_institution_and_user_commands(app, runner):
    assert runner.invoke(args=["region", "create", "--teryt", "14"]).exit_code == 0
    bad = runner.invoke(args=["region", "create", "--teryt", "99"])
    assert bad.exit_code == 2 and "TERYT" in bad.output
    result = runner.invoke(args=["institution", "create", "--region", "14", "--name", "Miejski Ośrodek Pomocy Społecznej w Radomiu",
                                 "--short-name", "MOPS Radom", "--kind", "ops", "--teryt", "1463011"])
    assert result.exit_code == 0, result.output
    wrong = runner.invoke(args=["institution", "create", "--region", "14", "--name", "X", "--kind", "ops",
                                "--teryt", "2610011", "--nip", "1234567890"])
    assert wrong.exit_code == 2
    assert "teryt_code" in wrong.output and "nip" in wrong.output
    with fast_password_hashing():
        user = runner.invoke(args=["user", "create", "--email", "Nowa.Osoba@Radom.example", "--name", "Nowa Osoba",
                                   "--password", "bardzo-tajne-1", "--institution", "mops-radom", "--role", "admin"])
    assert user.exit_code == 0, user.output
    with app.app_context():
        created = db.session.execute(select(User).where(User.email == "nowa.osoba@radom.example")).scalar_one()
        assert [m.institution.slug for m in created.memberships] == ["mops-radom"]
        assert db.session.get(Region, "14").slug == "mazowieckie"


def test_the_demo_seed_queues_no_figure_jobs_and_prepare_counts_the_figures_once(app, runner, pg_database):
    """scripts/prepare.sh: the seed writes with the figure triggers paused (Redis may not run yet),
    then `coordinator refresh-figures --if-missing` counts a region that has no figures."""
    from rq.registry import ScheduledJobRegistry

    from regionet.workers.queues import DEFAULT, get_queue

    with app.app_context():
        queue = get_queue(DEFAULT)
        before = set(queue.job_ids) | set(ScheduledJobRegistry(queue=queue).get_job_ids())
    with fast_password_hashing():
        assert runner.invoke(args=["demo", "seed", "--password", DEMO_PASSWORD]).exit_code == 0
    with app.app_context():
        after = set(queue.job_ids) | set(ScheduledJobRegistry(queue=queue).get_job_ids())
    assert not [job for job in after - before if job.startswith("figures-")], "the seed queued figure jobs"
    engine = create_engine(pg_database["admin"])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM region_figure_status WHERE region_code = '26'"))
    engine.dispose()
    first = runner.invoke(args=["coordinator", "refresh-figures", "--if-missing"])
    assert first.exit_code == 0, first.output
    assert "region 26:" in first.output
    facts = int(re.search(r"region 26: \d+ institutions, (-?\d+) participation facts", first.output).group(1))
    assert facts > 0, first.output   # the demo's people, counted (not a driver's -1 per institution)
    again = runner.invoke(args=["coordinator", "refresh-figures", "--if-missing"])
    assert again.exit_code == 0 and "region 26:" not in again.output
