"""A scratch platform for a benchmark run: its own PostgreSQL database (the three roles,
migrated by the owner, demo region seeded) and its own Redis key prefix; both removed at the end,
unless the caller names the database and keeps it (a second run then finds it seeded).

Environment: TEST_DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
             TEST_REDIS_URL (default redis://127.0.0.1:6379/15).
"""
import os
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DEMO_PASSWORD = "bench-demo-haslo-2026"


def role_url(role: str, database: str) -> str:
    return make_url(ADMIN_URL).set(drivername="postgresql+psycopg", username=role, password=None,
                                   database=database).render_as_string(hide_password=False)


@dataclass
class Scratch:
    name: str
    config: dict
    app: object

    @property
    def owner_url(self) -> str:
        return self.config["MIGRATION_DATABASE_URL"]

    def environment(self) -> dict:
        """The environment a worker or web process of this platform needs."""
        return {**os.environ, "DATABASE_URL": self.config["SQLALCHEMY_DATABASE_URI"],
                "MIGRATION_DATABASE_URL": self.config["MIGRATION_DATABASE_URL"],
                "COORDINATOR_DATABASE_URL": self.config["COORDINATOR_DATABASE_URL"], "REDIS_URL": REDIS_URL,
                "RQ_QUEUE_PREFIX": self.config["RQ_QUEUE_PREFIX"], "SECRET_KEY": self.config["SECRET_KEY"],
                "PSEUDONYM_SECRET": self.config["PSEUDONYM_SECRET"], "INSTANCE_PATH": self.config["INSTANCE_PATH"],
                "LOGIN_RATE_LIMIT": "10000 per minute"}


@contextmanager
def scratch_platform(name: str | None = None, keep: bool = False):
    """`name`: use (or create) this database; `keep`: leave it in place at the end."""
    from flask_migrate import upgrade

    from regionet.platform.app import create_app
    from regionet.platform.demo.seed import do_seed_demo
    from regionet.platform.tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE, provision_database

    name = name or f"regionet_bench_{uuid.uuid4().hex[:8]}"
    existed = database_exists(name)
    provision_database(ADMIN_URL, name, {})
    config = {"INSTANCE_PATH": tempfile.mkdtemp(prefix="regionet-bench-"), "SECRET_KEY": "bench",
              "PSEUDONYM_SECRET": "bench-pseudonyms", "SQLALCHEMY_DATABASE_URI": role_url(APP_ROLE, name),
              "MIGRATION_DATABASE_URL": role_url(OWNER_ROLE, name),
              "COORDINATOR_DATABASE_URL": role_url(COORDINATOR_ROLE, name), "REDIS_URL": REDIS_URL,
              "RQ_QUEUE_PREFIX": f"bench-{uuid.uuid4().hex[:8]}-"}
    try:
        with create_app({**config, "SQLALCHEMY_DATABASE_URI": config["MIGRATION_DATABASE_URL"]}).app_context():
            upgrade()
        app = create_app(config)
        with app.app_context():
            if not existed:
                do_seed_demo(DEMO_PASSWORD)
        yield Scratch(name, config, app)
    finally:
        if not keep:
            drop_database(name)
        purge_redis(config["RQ_QUEUE_PREFIX"])


def admin_engine(database: str | None = None):
    """A superuser engine (autocommit): on `database`, or on the maintenance database."""
    url = make_url(ADMIN_URL).set(drivername="postgresql+psycopg")
    return create_engine(url.set(database=database) if database else url, isolation_level="AUTOCOMMIT")


def database_exists(name: str) -> bool:
    admin = admin_engine()
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name}).first()
    admin.dispose()
    return found is not None


def drop_database(name: str) -> None:
    admin = admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def purge_redis(prefix: str) -> None:
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    for pattern in (f"{prefix}*", f"rq:*{prefix}*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
