"""A PostgreSQL server of the test's own (the embedded one, `platform/local_postgres.py`) that the test may
stop and start again: it listens on a unix socket in its own data directory, never on the machine's
shared 127.0.0.1:5432. Provisioned like production (the three roles), migrated by the owner, demo seeded."""
import shutil
import tempfile
from pathlib import Path

from regionet.platform import local_postgres
from regionet.platform.tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE, provision_database


class PrivatePostgres:
    def __init__(self):
        # Not under pytest's tmp_path: pytest makes its base folder private (0700), which would lock out
        # the server's system user when the tests run as root (see tests/test_local_stack.py).
        self.folder = Path(tempfile.mkdtemp(prefix="regionet-pg-", dir="/tmp"))
        self.pgdata = self.folder / "postgres"

    def start(self) -> "PrivatePostgres":
        local_postgres.start(self.pgdata, fsync=False)
        return self

    def stop(self) -> None:
        """A fast shutdown: every open session (the workers' among them) is ended."""
        local_postgres.stop(self.pgdata)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def urls(self) -> dict:
        """The shape of the tests' `pg_database` fixture."""
        database = local_postgres.DATABASE
        return {"name": database, "owner": local_postgres.url(self.pgdata, OWNER_ROLE),
                "app": local_postgres.url(self.pgdata, APP_ROLE),
                "coordinator": local_postgres.url(self.pgdata, COORDINATOR_ROLE),
                "admin": local_postgres.url(self.pgdata, local_postgres.SUPERUSER)}

    def provision(self, instance: Path) -> dict:
        """The roles and the database, migrated to head by the owner role; returns `urls()`."""
        from flask_migrate import upgrade

        from regionet.platform.app import create_app

        from .conftest import _config

        provision_database(local_postgres.url(self.pgdata, local_postgres.SUPERUSER, "postgres"),
                           local_postgres.DATABASE, {})
        urls = self.urls()
        with create_app({**_config(urls, instance), "SQLALCHEMY_DATABASE_URI": urls["owner"]}).app_context():
            upgrade()
        return urls
