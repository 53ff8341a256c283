"""Queues named for their work, and the Redis connection the app and workers share."""
import re

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.job import Job as RQJob

REPORTS = "reports"
IMPORTS = "imports"
EXPORTS = "exports"
DEFAULT = "default"
MAIL = "mail"  # its own queue: a message never waits behind a ten-minute report
ALL_QUEUES = (MAIL, REPORTS, IMPORTS, EXPORTS, DEFAULT)

# Report jobs are idempotent, so a failed or abandoned attempt is simply run again.
REPORT_RETRY = Retry(max=3, interval=[10, 30, 60])


def redis_connection() -> Redis:
    """One Redis client per app (its own connection pool); REDIS_URL may be tcp or a unix socket."""
    client = current_app.extensions.get("regionet.redis")
    if client is None:
        client = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10,
                                health_check_interval=30)
        current_app.extensions["regionet.redis"] = client
    return client


def queue_name(name: str) -> str:
    """RQ_QUEUE_PREFIX lets several deployments (or test runs) share one Redis."""
    return current_app.config.get("RQ_QUEUE_PREFIX", "") + name


def job_id(name: str) -> str:
    """Every deterministic job id goes through here: with RQ_QUEUE_PREFIX, deployments (or test
    runs) sharing one Redis never find each other's `rq:job:<id>` keys. RQ allows [A-Za-z0-9_-]."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", current_app.config.get("RQ_QUEUE_PREFIX", "")) + name


# How long a queued or scheduled job may wait before Redis forgets it (`ttl=`): a deterministic id
# must never stay taken forever by a job nothing will run. Longer than any intended wait.
QUEUED_TTL = 24 * 3600
# RQ persists a job's key when it starts; a worker killed outright would leave it for ever.
STARTED_GRACE = 24 * 3600


class Job(RQJob):
    """An RQ job whose key expires even while started: its timeout plus a day."""

    def _execute(self):
        self.connection.expire(self.key, int(self.timeout or 180) + STARTED_GRACE)
        return super()._execute()


def get_queue(name: str) -> Queue:
    return Queue(queue_name(name), connection=redis_connection(), job_class=Job)
