"""Logical backup and restore of the platform's database, with its roles, policies and grants.

    python scripts/backup.py dump    --database-url postgresql://postgres@db/regionet --out DIR
    python scripts/backup.py restore --admin-url postgresql://postgres@db/postgres --database NAME --from DIR

`dump` writes DIR/regionet.dump (`pg_dump --format=custom`: schema, data, row-level security
policies, grants, the aggregate and history functions with their owners, extensions) and
DIR/roles.sql (the platform's roles and memberships as `pg_dumpall --roles-only` prints them,
without passwords: for the record; `restore` creates the roles itself). Run it as a superuser
(or the database owner with access to every table): row-level security does not apply to them.

`restore` provisions the roles (NOLOGIN ones, and login roles without a password unless they
exist: set passwords with `db-roles provision`) and an empty database NAME as `db-roles
provision` would, then `pg_restore`s the dump into it: the same owners, policies and grants.
Exit status 0 when everything was restored, non-zero (pg_restore's message on stderr) otherwise.
The PostgreSQL client tools must be at least the server's version (PG_BIN names their folder).
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROLE_PREFIX = "regionet_"


def tool(name: str) -> str:
    folder = os.environ.get("PG_BIN")
    return str(Path(folder) / name) if folder else name


def libpq_url(url: str) -> str:
    """SQLAlchemy URLs (postgresql+psycopg://) as the command-line tools take them."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def dump(database_url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    url = libpq_url(database_url)
    subprocess.run([tool("pg_dump"), f"--dbname={url}", "--format=custom", f"--file={out / 'regionet.dump'}"],
                   check=True)
    roles = subprocess.run([tool("pg_dumpall"), f"--dbname={url}", "--roles-only", "--no-role-passwords"],
                           check=True, capture_output=True, text=True).stdout
    mine = [line for line in roles.splitlines()
            if line.startswith((f"CREATE ROLE {ROLE_PREFIX}", f"ALTER ROLE {ROLE_PREFIX}", f"GRANT {ROLE_PREFIX}"))]
    (out / "roles.sql").write_text("\n".join(mine) + "\n", encoding="utf-8")


def restore(admin_url: str, database: str, source: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy.engine import make_url

    from regionet.platform.tenancy.roles import provision_database

    provision_database(admin_url, database, {})
    target = make_url(libpq_url(admin_url)).set(database=database).render_as_string(hide_password=False)
    subprocess.run([tool("pg_restore"), f"--dbname={target}", "--exit-on-error", "--single-transaction",
                    str(source / "regionet.dump")], check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/backup.py")
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("dump", help="write a backup of one database")
    take.add_argument("--database-url", required=True, help="a superuser's connection to the platform's database")
    take.add_argument("--out", required=True, type=Path)
    back = commands.add_parser("restore", help="restore a backup into a new database")
    back.add_argument("--admin-url", required=True, help="a superuser's connection (any database of the server)")
    back.add_argument("--database", required=True, help="the new database's name")
    back.add_argument("--from", dest="source", required=True, type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "dump":
            dump(args.database_url, args.out)
        else:
            restore(args.admin_url, args.database, args.source)
    except subprocess.CalledProcessError as error:
        print(f"{Path(error.cmd[0]).name} failed with status {error.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
