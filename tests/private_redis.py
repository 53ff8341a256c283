"""A Redis server of the test's own, on a free port, that the test may stop and start again (never the
machine's shared server), and an app bound to it."""
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, directory: Path, port: int | None = None):
        self.directory, self.port = directory, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        binary = shutil.which("redis-server") or str(Path(sys.executable).with_name("redis-server"))
        # No persistence: a restart loses every queued job, the worst case for the platform.
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.directory)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def app_on(pg_database, tmp_path, redis_url: str, **config):
    """An app of the test database whose queues (and rate limits) live at `redis_url`. One Limiter serves
    every app of the process: the caller restores it with `restore_limiter(saved)`."""
    from regionet.platform.app import create_app
    from regionet.platform.extensions import limiter

    from .conftest import _config

    saved = dict(vars(limiter))
    return create_app({**_config(pg_database, tmp_path), "REDIS_URL": redis_url,
                       "RATELIMIT_STORAGE_URI": redis_url, **config}), saved


def restore_limiter(saved: dict) -> None:
    from regionet.platform.extensions import limiter

    vars(limiter).clear()
    vars(limiter).update(saved)
