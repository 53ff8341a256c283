"""Job ids carry the deployment's RQ_QUEUE_PREFIX, and no job key lives for ever."""
import pytest

from regionet.workers.queues import REPORTS, get_queue, job_id, redis_connection

from .test_worker import run_worker_until_empty

pytestmark = pytest.mark.slow


def test_job_id_carries_the_prefix_and_only_allowed_characters(app):
    with app.test_request_context():
        prefix = app.config["RQ_QUEUE_PREFIX"]
        assert job_id("figures-r26") == prefix + "figures-r26"
        app.config["RQ_QUEUE_PREFIX"] = "site:a/"
        try:
            assert job_id("figures-r26") == "site-a-figures-r26"
        finally:
            app.config["RQ_QUEUE_PREFIX"] = prefix


def test_a_queued_report_job_has_the_prefix_and_an_expiry_and_keeps_one_while_running(app, client, auth, pg_database):
    auth.login_as("mops-skarzysko-kamienna", "staff")
    assert client.post("/i/mops-skarzysko-kamienna/reports/summary").status_code == 302
    with app.app_context():
        [job] = get_queue(REPORTS).jobs
        assert job.id.startswith(app.config["RQ_QUEUE_PREFIX"] + "institution-summary-")
        assert 0 < redis_connection().ttl(job.key) <= 24 * 3600
    # A job of the test module that records its own key's TTL while it runs (RQ persists started jobs).
    with app.app_context():
        queue = get_queue(REPORTS)
        probe = queue.enqueue("tests.jobs_for_tests.own_key_ttl", job_id=job_id("ttl-probe"), result_ttl=600)
    assert run_worker_until_empty(app, pg_database).returncode == 0
    with app.app_context():
        probe = queue.fetch_job(probe.id)
        assert probe.id == app.config["RQ_QUEUE_PREFIX"] + "ttl-probe"
        assert probe.return_value() > 24 * 3600, "a started job's key expires after its timeout and a day"
