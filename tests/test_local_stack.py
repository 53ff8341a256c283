"""`make run` with no DATABASE_URL or REDIS_URL: the whole stack on the embedded PostgreSQL.

One real run of `flask serve` (what scripts/run.sh executes) in a fresh instance folder:
the private PostgreSQL starts, gets the production roles, is migrated and seeded; the web
answers; the application connects as the runtime role, which row-level security binds;
Ctrl+C (SIGINT) stops web, worker, Redis and PostgreSQL in order, without a traceback; and
the data is still there when the server starts again.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from regionet.platform import local_postgres
from regionet.platform.tenancy.roles import APP_ROLE

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(output: Path, line: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while line not in output.read_text(errors="replace"):
        assert process.poll() is None, output.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, output.read_text(errors="replace")[-3000:]
        time.sleep(0.5)


def _scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def instance():
    # Not under pytest's tmp_path: each pytest session on the machine makes its base folder
    # private again (0700), which would lock out the server's system user when run as root.
    folder = Path(tempfile.mkdtemp(prefix="regionet-stack-", dir="/tmp"))
    yield folder / "instance"
    local_postgres.stop(local_postgres.data_dir(folder / "instance"))
    shutil.rmtree(folder, ignore_errors=True)


def test_make_run_serves_on_the_embedded_postgresql_with_row_level_security(instance):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "MIGRATION_DATABASE_URL", "COORDINATOR_DATABASE_URL", "REDIS_URL",
                        "DATABASE_ADMIN_URL")}
    env.update(INSTANCE_PATH=str(instance), DEMO_PASSWORD="demo-haslo-2026", WEB_CONCURRENCY="1",
               PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}")
    output = instance.parent / "serve.log"
    pgdata = local_postgres.data_dir(instance)
    with output.open("wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "serve", "--port", str(port)],
                                 cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for(output, "Ctrl+C stops everything", serve, 300)
            _wait_for(output, "Listening on", serve, 60)  # the RQ worker
            deadline = time.monotonic() + 30
            while True:
                try:
                    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).read().decode()
                    break
                except OSError:
                    assert time.monotonic() < deadline
                    time.sleep(0.5)
            assert "Zaloguj" in page
            app_url = local_postgres.role_urls(instance)["app"]
            # The application's own connection: the runtime role, bound by row-level security.
            assert _scalar(app_url, "SELECT current_user") == APP_ROLE
            assert _scalar(app_url, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user") \
                is False
            assert _scalar(app_url, "SELECT count(*) FROM participants") == 0  # no tenant set: no rows
            admin = local_postgres.url(pgdata, "postgres", local_postgres.DATABASE)
            seeded = _scalar(admin, "SELECT count(*) FROM participants")
            assert seeded > 100
            assert _scalar(admin, "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'participants'")
        finally:
            serve.send_signal(signal.SIGINT)  # what Ctrl+C sends
            code = serve.wait(timeout=90)
    log = output.read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "Traceback" not in log, log
    assert "private PostgreSQL stopped" in log
    assert not local_postgres.is_running(pgdata)
    # Restart: the data survived.
    local_postgres.start(pgdata)
    try:
        assert _scalar(admin, "SELECT count(*) FROM participants") == seeded
    finally:
        local_postgres.stop(pgdata)
