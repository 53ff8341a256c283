"""Queues named for their work, and the Redis connection the app and workers share."""
from flask import current_app
from redis import Redis
from rq import Queue, Retry

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
        client = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2,
                                health_check_interval=30)
        current_app.extensions["regionet.redis"] = client
    return client


def queue_name(name: str) -> str:
    """RQ_QUEUE_PREFIX lets several deployments (or test runs) share one Redis."""
    return current_app.config.get("RQ_QUEUE_PREFIX", "") + name


def get_queue(name: str) -> Queue:
    return Queue(queue_name(name), connection=redis_connection())
