"""Flask CLI groups: `flask --app wsgi region|institution|user|teryt|demo|db-roles|serve ...`."""
import json
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from .extensions import db
from .validation import ValidationFailed

region_cli = AppGroup("region", help="Regions (regional networks).")
institution_cli = AppGroup("institution", help="Institutions (tenants).")
user_cli = AppGroup("user", help="User accounts.")
teryt_cli = AppGroup("teryt", help="The TERYT register.")
demo_cli = AppGroup("demo", help="The demo region.")
roles_cli = AppGroup("db-roles", help="PostgreSQL roles (run as a database administrator).")


def _fail(failure: ValidationFailed):
    db.session.rollback()
    for name, messages in failure.errors.items():
        click.echo(f"error: {name}: {' '.join(messages)}", err=True)
    sys.exit(2)


@region_cli.command("create")
@click.option("--teryt", "teryt_code", required=True, help="Two-digit voivodeship code, e.g. 26.")
@click.option("--name", default=None)
@click.option("--slug", default=None)
def region_create(teryt_code, name, slug):
    from .regions.services import do_create_region

    try:
        region, created = do_create_region(teryt_code, name=name, slug=slug)
    except ValidationFailed as failure:
        _fail(failure)
    db.session.commit()
    click.echo(f"{'created' if created else 'exists'}: region {region.slug} ({region.teryt_code}, {region.name})")


@institution_cli.command("create")
@click.option("--region", "region_code", required=True, help="Voivodeship TERYT code of the region.")
@click.option("--name", required=True)
@click.option("--short-name", default=None)
@click.option("--kind", required=True, help="ops, pcpr, pup, owes, cis, kis, rops, social_cooperative, other")
@click.option("--teryt", "teryt_code", required=True, help="Commune (7 digits) or county (4 digits).")
@click.option("--slug", default=None)
@click.option("--nip", default=None)
@click.option("--regon", default=None)
def institution_create(**fields):
    from .institutions.services import do_create_institution

    try:
        institution, created = do_create_institution(**fields)
    except ValidationFailed as failure:
        _fail(failure)
    db.session.commit()
    click.echo(f"{'created' if created else 'exists'}: institution {institution.slug} (id {institution.id})")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--institution", "institution_slug", default=None, help="Grant a membership in this institution.")
@click.option("--role", type=click.Choice(["admin", "staff", "readonly"]), default="staff")
@click.option("--coordinator-of", "region_code", default=None, help="Make the user coordinator of this region.")
@click.option("--operator", is_flag=True, help="Platform operator.")
def user_create(email, full_name, password, institution_slug, role, region_code, operator):
    from .accounts.models import MembershipRole
    from .accounts.passwords import MIN_PASSWORD_LENGTH
    from .accounts.services import do_ensure_user, do_grant_membership, do_make_coordinator
    from .institutions.models import Institution
    from .regions.models import Region

    if len(password) < MIN_PASSWORD_LENGTH:
        click.echo(f"error: password: at least {MIN_PASSWORD_LENGTH} characters", err=True)
        sys.exit(2)
    user, created = do_ensure_user(email, full_name, password, is_operator=operator)
    if operator:
        user.is_operator = True
    if institution_slug:
        institution = db.session.execute(
            select(Institution).where(Institution.slug == institution_slug)).scalar_one_or_none()
        if institution is None:
            db.session.rollback()
            click.echo(f"error: institution: no institution {institution_slug!r}", err=True)
            sys.exit(2)
        do_grant_membership(user, institution.id, MembershipRole(role))
    if region_code:
        if db.session.get(Region, region_code) is None:
            db.session.rollback()
            click.echo(f"error: coordinator-of: no region {region_code!r}", err=True)
            sys.exit(2)
        do_make_coordinator(user, region_code)
    db.session.commit()
    click.echo(f"{'created' if created else 'updated'}: user {user.email}")


@teryt_cli.command("load")
@click.option("--voivodeship", default=None, help="Only this voivodeship (2 digits); all by default.")
def teryt_load(voivodeship):
    from .regions.teryt import do_load_teryt

    added = do_load_teryt(voivodeship)
    db.session.commit()
    click.echo(f"TERYT units added: {added}")


@demo_cli.command("seed")
@click.option("--password", envvar="DEMO_PASSWORD", required=True, help="Password of every demo account.")
def demo_seed(password):
    from .demo.seed import do_seed_demo

    created = do_seed_demo(password)
    click.echo("\n".join(created) if created else "demo data already in place, nothing changed")


@demo_cli.command("accounts")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def demo_accounts(as_json):
    from .demo.seed import demo_accounts as accounts

    with current_app.test_request_context("/"):
        rows = accounts()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            click.echo(f"{row['login']:<60} {row['role']:<12} {row['institution'] or '-':<28} {row['login_url']}")
        click.echo("Administrators, the data-protection officer (iod), the coordinator and the operator sign in "
                   "with a second factor: `flask --app wsgi demo code LOGIN` prints the current code.")


@demo_cli.command("code")
@click.argument("login")
def demo_code(login):
    """The current second-factor code of a demo account (demo accounts only)."""
    from .demo.seed import demo_code as current_code

    code = current_code(login)
    if code is None:
        click.echo("error: not a demo account with a second factor", err=True)
        sys.exit(2)
    click.echo(code)


@demo_cli.command("is-empty")
def demo_is_empty():
    """Exit 0 when the database has no institution yet (used by `make run`)."""
    from .institutions.models import Institution

    count = db.session.execute(select(func.count()).select_from(Institution)).scalar_one()
    sys.exit(0 if count == 0 else 1)


@roles_cli.command("provision")
@click.option("--admin-url", envvar="DATABASE_ADMIN_URL", required=True,
              help="A superuser connection, e.g. postgresql://postgres@127.0.0.1:5432/postgres")
@click.option("--database", default=None, help="Database name (default: the one in DATABASE_URL).")
def roles_provision(admin_url, database):
    from .tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE, provision_database

    database = database or make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    passwords = {OWNER_ROLE: os.environ.get("DB_OWNER_PASSWORD"), APP_ROLE: os.environ.get("DB_APP_PASSWORD"),
                 COORDINATOR_ROLE: os.environ.get("DB_COORDINATOR_PASSWORD")}
    for line in provision_database(admin_url, database, passwords):
        click.echo(line)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--workers", "web_workers", default=None, type=int,
              help="gunicorn worker processes (default: gunicorn.conf.py, two per core)")
def serve(host, port, web_workers):
    """Run the whole platform: private Redis (if REDIS_URL is unset), an RQ worker, the web server."""
    from .devserver import run_stack

    sys.exit(run_stack(host=host, port=port, web_workers=web_workers))


def register_commands(app) -> None:
    from .mail.cli import mail_cli
    from .regional_reports.cli import report_cli

    for command in (region_cli, institution_cli, user_cli, teryt_cli, demo_cli, roles_cli, report_cli, mail_cli,
                    serve):
        app.cli.add_command(command)
