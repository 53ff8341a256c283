"""Coalesced jobs: for one key, at most one job waiting and one running.

A request sets the key's *pending* marker in Redis (SET NX, with an expiry) and, only when it
was not set, queues one job to run after `delay` seconds: a burst of requests collapses into
that one job (debounce), and the queue never holds more than one waiting job per key (bounded
backlog). The job clears the marker when it starts (`claim`), so a change committed while it
runs queues the next run, which sees it. Runs of one key never overlap: the job holds a
PostgreSQL session advisory lock for the key while it works (`run_lock`); a job that finds the
lock taken queues itself again for later instead of waiting. The lock belongs to a database
connection, so a worker killed mid-run releases it with its connection.

Used by the coordinator's figures (one key per institution and per region).
"""
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from .queues import QUEUED_TTL, Job, get_queue, job_id, redis_connection

log = logging.getLogger(__name__)

# A marker outlives its job's wait; should the job vanish with it set, requests resume after this.
PENDING_TTL = 900

_REPLACE_IF = """
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end
return 0
"""
_CLEAR_IF_OURS = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def pending_key(key: str) -> str:
    return job_id(f"pending-{key}")


def request(key: str, queue: str, func: str, *args, delay: float, **options) -> bool:
    """Queue `func(*args)` for `key` unless a run is already waiting; True when a job was queued."""
    redis = redis_connection()
    new_id = job_id(f"{key}-{uuid.uuid4().hex[:16]}")
    marker = pending_key(key)
    if not redis.set(marker, new_id, nx=True, ex=PENDING_TTL + int(delay)):
        waiting = redis.get(marker)
        if waiting is None:
            return False
        if redis.exists(Job.key_for(waiting.decode())):
            _bring_forward(queue, waiting.decode(), delay)
            return False
        # The waiting job is gone (the queue was emptied): this request takes its place.
        if redis.eval(_REPLACE_IF, 1, marker, waiting, new_id, PENDING_TTL + int(delay)) != 1:
            return False
    try:
        target = get_queue(queue)
        if delay > 0:
            target.enqueue_in(timedelta(seconds=delay), func, *args, job_id=new_id, ttl=QUEUED_TTL, **options)
        else:
            target.enqueue(func, *args, job_id=new_id, ttl=QUEUED_TTL, **options)
    except Exception:
        redis.delete(pending_key(key))
        raise
    return True


def _bring_forward(queue: str, waiting_id: str, delay: float) -> None:
    """A request that wants its run sooner than the waiting job's time (a shorter delay) moves it earlier."""
    from rq.registry import ScheduledJobRegistry

    registry = ScheduledJobRegistry(queue=get_queue(queue))
    try:
        booked = registry.get_scheduled_time(waiting_id)
    except Exception:  # noqa: BLE001 - not scheduled (already queued or running): nothing to move
        return
    wanted = datetime.now(UTC) + timedelta(seconds=delay)
    if booked > wanted:
        registry.connection.zadd(registry.key, {waiting_id: wanted.timestamp()})


def claim(key: str) -> None:
    """The running job takes its key's marker off, if it is its own (requests from now on queue a new run)."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        redis_connection().eval(_CLEAR_IF_OURS, 1, pending_key(key), job.id)


def release(key: str, job_id: str) -> None:
    """Take the key's marker off if it still names `job_id` (a job that failed before it could claim it)."""
    redis_connection().eval(_CLEAR_IF_OURS, 1, pending_key(key), job_id)


BUSY = "another run is in progress: queued again"


def run_coalesced(key: str, work: Callable[[], str], again: Callable[[], None]) -> str:
    """The job's side: take the marker off, then `work()` under the key's lock; when another run holds
    the lock, `again()` (queue this run for later) instead."""
    claim(key)
    with run_lock(key) as mine:
        if not mine:
            again()
            return BUSY
        return work()


@contextmanager
def run_lock(key: str) -> Iterator[bool]:
    """Hold the key's advisory lock on a connection of its own; yields False when another run holds it."""
    from regionet.platform.extensions import db

    connection = db.engine.connect()
    lock = {"k": f"coalesce/{key}"}
    try:
        held = bool(connection.execute(text("SELECT pg_try_advisory_lock(hashtext(:k))"), lock).scalar())
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), lock)
                connection.commit()
    finally:
        connection.close()
