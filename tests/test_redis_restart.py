"""Workers survive Redis going away: a private Redis (no persistence) is stopped under a running
supervisor and its worker, and started again empty. Every report ends done or visibly failed with a
retry button, the supervisor starts its worker again, and a retry after the restart is built."""
import subprocess
import sys
import time

import psutil
import pytest

from .conftest import DEMO_PASSWORD
from .helpers import AuthActions, visible_text
from .private_redis import PrivateRedis, app_on, restore_limiter
from .test_isolation import TENANT_A
from .test_worker import worker_env
from .test_worker_recovery import kill_group, stop_group, wait_for

pytestmark = pytest.mark.slow
REPORTS_URL = f"/i/{TENANT_A}/reports"


def test_a_redis_restart_leaves_every_report_done_or_failed_with_retry_and_the_workers_reconnect(
        app, pg_database, tmp_path):
    server = PrivateRedis(tmp_path).start()
    private_app, saved = app_on(pg_database, tmp_path, server.url)
    env = {**worker_env(app, pg_database), "REDIS_URL": server.url,
           "RQ_QUEUE_PREFIX": private_app.config["RQ_QUEUE_PREFIX"]}
    log = tmp_path / "workers.log"
    workers = subprocess.Popen([sys.executable, "-m", "regionet.workers", "reports"], env=env,
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    client = private_app.test_client()
    try:
        AuthActions(client, DEMO_PASSWORD).login_as(TENANT_A, "staff")

        def status(url):
            return client.get(url + "/status").get_json()

        before = client.post(f"{REPORTS_URL}/summary").location
        wait_for(lambda: status(before)["status"] == "done", 90, "the report before the restart")

        server.stop()
        during = client.post(f"{REPORTS_URL}/summary").location   # the web still answers
        assert status(during)["status"] == "failed" and "Spróbuj ponownie" in status(during)["error"]
        assert "Spróbuj ponownie" in visible_text(client.get(during).get_data(as_text=True))
        wait_for(lambda: "could not connect to Redis" in log.read_text() or "ended with" in log.read_text(), 60,
                 "the worker to notice Redis is gone")   # an idle worker waits, a busy one ends and is restarted
        assert workers.poll() is None, "the supervisor stays"

        server.start()   # empty: whatever was queued is lost
        back = time.monotonic()
        assert client.post(during + "/retry").status_code == 302
        wait_for(lambda: status(during)["status"] == "done", 90, "the retried report after the restart")
        rebuilt = time.monotonic() - back
        assert status(before)["status"] == "done"

        # A worker process that ends for any reason is started again by the supervisor.
        [child] = [p for p in psutil.Process(workers.pid).children() if "--child" in p.cmdline()]
        child.kill()
        wait_for(lambda: log.read_text().count("started (pid") >= 2, 30, "the supervisor to start a new worker")
        again = client.post(f"{REPORTS_URL}/summary").location
        wait_for(lambda: status(again)["status"] == "done", 90, "a report built by the new worker")
    finally:
        stop_group(workers)
        kill_group(workers)
        server.stop()
        restore_limiter(saved)
    print(f"\nretried report built {rebuilt:.1f} s after Redis came back")
    assert rebuilt < 60
    assert "ended with -9" in log.read_text()
