"""Fixtures: a real PostgreSQL database (owner, runtime and coordinator roles), real Redis,
the demo world seeded once, and the flaskr-style app/client/runner trio.

Every test runs on PostgreSQL as the runtime role, never as a superuser (RLS would
pass vacuously): the machine's server when one answers, else the embedded one
(scripts/ensure-services.sh).
"""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from regionet.platform.tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE, provision_database

from .helpers import TOTP_CLOCK, AuthActions, fast_password_hashing

pytest_plugins = ["tests.browser", "tests.mail_server", "tests.team"]

ADMIN_URL = os.environ.get("TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DEMO_PASSWORD = "demo-haslo-2026"


def role_url(role: str, database: str) -> str:
    return make_url(ADMIN_URL).set(drivername="postgresql+psycopg", username=role, password=None,
                                   database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database(tmp_path_factory):
    """A fresh database migrated to head by the owner role; dropped at the end."""
    name = f"regionet_test_{uuid.uuid4().hex[:10]}"
    provision_database(ADMIN_URL, name, {})
    urls = {"name": name, "owner": role_url(OWNER_ROLE, name), "app": role_url(APP_ROLE, name),
            "coordinator": role_url(COORDINATOR_ROLE, name),
            "admin": make_url(ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)}
    from flask_migrate import upgrade

    from regionet.platform.app import create_app

    migrator = create_app(_config(urls, tmp_path_factory.mktemp("migrate")))
    with migrator.app_context():
        upgrade()
    yield urls
    admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _config(urls: dict, instance) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "PSEUDONYM_SECRET": "test-pseudonym-secret",
        "SQLALCHEMY_DATABASE_URI": urls["app"],
        "MIGRATION_DATABASE_URL": urls["owner"],
        "COORDINATOR_DATABASE_URL": urls["coordinator"],
        "REDIS_URL": REDIS_URL,
        "RQ_QUEUE_PREFIX": f"test-{uuid.uuid4().hex[:8]}-",
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PASSWORD_RESET_RATE_LIMIT": "1000 per minute",
    }


@pytest.fixture(scope="session")
def app(pg_database, tmp_path_factory):
    from regionet.platform.accounts import second_factor
    from regionet.platform.app import create_app
    from regionet.platform.demo.seed import do_seed_demo
    from regionet.workers.context import use_app

    application = create_app(_config(pg_database, tmp_path_factory.mktemp("instance")))
    use_app(application)
    second_factor.clock = TOTP_CLOCK  # see helpers.TotpClock
    with fast_password_hashing(), application.app_context():
        do_seed_demo(DEMO_PASSWORD)
    # The seed also fills the demo institutions' workspaces (projects, participants...). Every
    # test starts from empty workspaces, as after any other test; tests that want the demo
    # records seed them again (tests/test_demo_workspace.py).
    truncate_tenant_tables(application, pg_database["admin"])
    purge_queues(application)  # the seed's figure refreshes would otherwise run in the first worker test
    return application


def truncate_tenant_tables(app, admin_url: str) -> None:
    from regionet.platform.tenancy import tenant_table_names

    with app.app_context():
        tables = tenant_table_names()
    engine = create_engine(admin_url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tenant_data(request):
    """Tenant-owned rows are removed after each PostgreSQL test; the demo world stays."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    truncate_tenant_tables(app, request.getfixturevalue("pg_database")["admin"])
    purge_queues(app)


def purge_queues(app) -> None:
    """Remove this run's jobs from Redis: its queues carry a prefix of their own."""
    from rq import Queue
    from rq.registry import (
        CanceledJobRegistry,
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )

    from regionet.workers.queues import ALL_QUEUES, queue_name, redis_connection

    with app.app_context():
        for name in ALL_QUEUES:
            queue = Queue(queue_name(name), connection=redis_connection())
            queue.empty()
            for registry_class in (FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry,
                                   ScheduledJobRegistry, DeferredJobRegistry, CanceledJobRegistry):
                registry = registry_class(queue=queue)
                for job_id in registry.get_job_ids():
                    job = queue.fetch_job(job_id)
                    if job is not None:
                        job.delete()
                    redis_connection().zrem(registry.key, job_id)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client, DEMO_PASSWORD)
