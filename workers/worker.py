"""The platform's RQ worker: short heartbeats, and a dead worker's jobs taken back within seconds.

RQ alone notices a worker killed outright (parent, work horse and scheduler at once) only when
its started job's heartbeat entry runs out (monitoring interval + 60 s) and some worker's
maintenance (every 10 minutes by default) cleans the registry; the dead worker's scheduler lock
also blocks retries and scheduled jobs for its 61 s TTL. Here:

* every worker heartbeats every JOB_MONITORING_INTERVAL seconds while it runs a job, waits for
  jobs at most DEQUEUE_WAIT seconds at a time and runs its maintenance each time round;
* its maintenance first looks at the started jobs of its queues: a job whose worker has not
  heartbeaten for DEAD_AFTER seconds (or has vanished) is handed to RQ's own cleanup of
  abandoned jobs at once (failure callback, then retry while retries remain, else failed);
* a job taken from its queue (into the queue's intermediate list) is marked with the name of the
  worker that took it, in the same step; the worker starts it only if the mark is still its own,
  removing the mark in the same transaction that registers the start. A job whose taker died
  before starting it is put back at the head of its queue by the maintenance at once (not failed
  after RQ's minute): no attempt was made, none is counted;
* a scheduler lock whose scheduler has not heartbeaten for DEAD_AFTER seconds is broken, so
  this worker's scheduler takes it over in the same round;
* once a minute (one worker of all) every unfinished report and import row is checked against the
  queue (workers/reconcile.py), as its page does when opened.

So a killed worker's job is back in its queue (or visibly failed) about 20 s after the kill,
as soon as any worker of its queue is idle.
"""
import logging
import signal
import time
from contextlib import contextmanager
from contextvars import ContextVar

from redis.exceptions import WatchError
from rq import Queue as RQQueue
from rq import Worker as RQWorker
from rq.exceptions import DequeueTimeout, NoSuchJobError
from rq.executions import Execution
from rq.intermediate_queue import IntermediateQueue
from rq.registry import StartedJobRegistry
from rq.scheduler import RQScheduler
from rq.utils import as_text, current_timestamp, utcparse

log = logging.getLogger(__name__)

JOB_MONITORING_INTERVAL = 5
WORKER_TTL = 20               # RQ waits for jobs for WORKER_TTL - 15 seconds at a time
MAINTENANCE_INTERVAL = 5
DEAD_AFTER = 15               # seconds without a heartbeat after which a worker or scheduler is dead
BOOKING_RETRY = 30

DEQUEUE_POLL = 0.25           # seconds between two looks at the queues
TAKEN_MARK_TTL = 3600         # a taker's mark outlives any wait between taking a job and starting it

# The worker taking jobs in this process (set around its dequeue): its name marks what it takes.
_taker: ContextVar[str | None] = ContextVar("taker", default=None)

# Take the first job of a queue into its intermediate list and mark it with its taker, in one step.
_TAKE = """
local id = redis.call('lmove', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
if id and ARGV[1] ~= '' then redis.call('set', KEYS[2] .. ':taken:' .. id, ARGV[1], 'EX', ARGV[2]) end
return id
"""

# Put a taken job back at the head of its queue, if its mark still names the (dead) taker: the taker starts
# a job only after removing its own mark (Worker.prepare_execution), so exactly one of the two happens.
_HAND_BACK = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('del', KEYS[1], KEYS[4])
if redis.call('lrem', KEYS[2], 1, ARGV[2]) == 0 then return 0 end
redis.call('lpush', KEYS[3], ARGV[2])
return 1
"""


def taken_key(intermediate_key: str, job_id: str) -> str:
    return f"{intermediate_key}:taken:{job_id}"


@contextmanager
def taking_for(worker_name: str):
    token = _taker.set(worker_name)
    try:
        yield
    finally:
        _taker.reset(token)


class HandedBack(Exception):
    """The job this worker took was put back into its queue (its taker was thought dead): not ours to run."""


class Queue(RQQueue):
    """Jobs are taken with LMOVE into the queue's intermediate list, whatever the number of queues, and
    marked with the worker that took them (one Lua script: `_TAKE`).

    RQ takes a job from several queues with BLPOP: from then until the work horse registers it as
    started, the job is in no list at all, and a worker killed in between (a SIGKILL, its machine gone)
    loses it for good, its status still "queued". (tests/test_postgres_restart.py lost a figures job so.)
    From the intermediate list, the maintenance puts back the job of a taker that died before starting it
    (`Worker.hand_back_dead_takers`); RQ's own cleanup, a minute later, is left the entries without a mark.
    A script cannot block, so the queues are looked at in priority order every DEQUEUE_POLL seconds.
    """

    @classmethod
    def take(cls, connection, queue_key: str) -> str | None:
        intermediate = IntermediateQueue.get_intermediate_queue_key(queue_key)
        found = connection.eval(_TAKE, 2, queue_key, intermediate, _taker.get() or "", TAKEN_MARK_TTL)
        return as_text(found) if found else None

    @classmethod
    def dequeue_any(cls, queues, timeout, connection, job_class=None, serializer=None, death_penalty_class=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            for queue in queues:
                job_id = cls.take(connection, queue.key)
                if job_id is None:
                    continue
                try:
                    return queue.job_class.fetch(job_id, connection=connection, serializer=serializer), queue
                except NoSuchJobError:   # expired meanwhile; RQ's cleanup drops its id from the list
                    connection.delete(taken_key(queue.intermediate_queue_key, job_id))
                    continue
            if deadline is None:
                return None
            if time.monotonic() >= deadline:
                raise DequeueTimeout(timeout, [queue.key for queue in queues])
            time.sleep(DEQUEUE_POLL)


def end_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies (PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


class Scheduler(RQScheduler):
    """RQ's scheduler process, which ends with its worker: a worker killed outright (SIGKILL) would leave it
    running on its own for ever, scheduling and holding the queues' scheduler locks."""

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        end_with_parent()   # SIGTERM: it stops as asked, releasing its locks


_DELETE_IF = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def heartbeat_age(connection, key: str, field: str = "last_heartbeat") -> float | None:
    """Seconds since the hash's heartbeat, or None when the hash is gone."""
    value = connection.hget(key, field)
    if value is None:
        return None
    return current_timestamp() - utcparse(value.decode()).timestamp()


def is_dead(connection, key: str) -> bool:
    age = heartbeat_age(connection, key)
    return age is None or age > DEAD_AFTER


class Worker(RQWorker):
    # Under the supervisor (`python -m regionet.workers`) a worker stops on the SIGTERM the supervisor
    # forwards: RQ takes a second signal as "kill the job in hand".
    supervised = False
    # Set when the schedules could not be booked at start (PostgreSQL away): `() -> bool`, tried again from
    # the maintenance every BOOKING_RETRY seconds until it returns True.
    book_schedules = None
    _next_booking = 0.0
    # `() -> object`: the reconciliation of unfinished rows with the queue (reconcile.reconcile_unfinished), tried
    # from every maintenance; it runs once a minute across the workers.
    reconcile = None

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        if self.supervised:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", JOB_MONITORING_INTERVAL)
        kwargs.setdefault("worker_ttl", WORKER_TTL)
        kwargs.setdefault("maintenance_interval", MAINTENANCE_INTERVAL)
        kwargs.setdefault("queue_class", Queue)
        super().__init__(*args, **kwargs)

    def dequeue_job_and_maintain_ttl(self, timeout, max_idle_time=None):
        with taking_for(self.name):   # what this worker takes carries its name (Queue.take)
            return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)

    def prepare_execution(self, job):
        """RQ's registration of the start (the execution, the started registry, the worker busy), in one
        transaction with the removal of this worker's mark on the job, and only while that mark is its own:
        a job put back into its queue meanwhile (`hand_back_dead_takers`) is not run here (HandedBack)."""
        from rq.worker.base import WorkerStatus

        intermediate = IntermediateQueue.get_intermediate_queue_key(self.queue_class.redis_queue_namespace_prefix
                                                                    + job.origin)
        mark = taken_key(intermediate, job.id)
        with self.connection.pipeline() as pipeline:
            while True:
                try:
                    pipeline.watch(mark)
                    owner = pipeline.get(mark)
                    if owner is not None and owner.decode() != self.name:
                        raise HandedBack(job.id)
                    if owner is None and pipeline.lpos(intermediate, job.id) is None:
                        raise HandedBack(job.id)
                    pipeline.multi()
                    pipeline.delete(mark)
                    self.execution = Execution.create(job, self.get_heartbeat_ttl(job), pipeline=pipeline,
                                                      worker_name=self.name)
                    self.set_state(WorkerStatus.BUSY, pipeline=pipeline)
                    pipeline.execute()
                    return self.execution
                except WatchError:
                    continue

    def execute_job(self, job, queue):
        try:
            super().execute_job(job, queue)
        except HandedBack:
            self.log.warning("Worker %s: job %s was put back into its queue meanwhile; not running it here",
                             self.name, job.id)

    def prepare_job_execution(self, job, remove_from_intermediate_queue: bool = False) -> None:
        # RQ takes the job off the intermediate list when it registers it as started only for a worker of one
        # queue; ours are there for every worker (Queue.dequeue_any), and must not be failed a minute later.
        super().prepare_job_execution(job, remove_from_intermediate_queue=True)

    def _start_scheduler(self, burst: bool = False, logging_level: str | None = "INFO", date_format=None,
                         log_format=None):
        """RQ's own, with the Scheduler above."""
        options = {k: v for k, v in (("date_format", date_format), ("log_format", log_format)) if v is not None}
        self.scheduler = Scheduler(self.queues, connection=self.connection, serializer=self.serializer,
                                   logging_level=logging_level if logging_level is not None else self.log.level,
                                   **options)
        self.scheduler.acquire_locks()
        if self.scheduler.acquired_locks:
            if burst:
                try:
                    self.scheduler.register_birth()
                    self.scheduler.enqueue_scheduled_jobs()
                finally:
                    self.scheduler.release_locks()
                    self.scheduler.register_death()
            else:
                self.scheduler.start()

    def handle_exception(self, job, *exc_info):
        """A job that failed because PostgreSQL or Redis is away: one line, not RQ's traceback (the job's
        own failure line says the same; an outage fails every job that runs meanwhile)."""
        from .context import outage, outage_line

        away = outage(exc_info[1])
        if away is None:
            return super().handle_exception(job, *exc_info)
        self.log.warning("Worker %s: job %s: %s is unavailable (%s)", self.name, job.id, away, outage_line(exc_info[1]))
        for handler in self._exc_handlers:
            if handler(job, *exc_info) is False:
                break
        return None

    def run_maintenance_tasks(self):
        try:
            self.hand_back_dead_takers()
            self.reap_dead_workers_jobs()
            self.break_dead_scheduler_locks()
        except Exception:  # noqa: BLE001 - never stop the worker over its housekeeping
            log.exception("reaping dead workers' jobs failed")
        if self.book_schedules is not None and time.monotonic() >= self._next_booking:
            self._next_booking = time.monotonic() + BOOKING_RETRY
            if self.book_schedules():
                self.book_schedules = None
        if self.reconcile is not None:
            self.reconcile()
        super().run_maintenance_tasks()
        self.heartbeat()   # what it takes next is marked by a worker known alive (hand_back_dead_takers)

    def reap_dead_workers_jobs(self) -> int:
        """Hand the jobs of dead workers to RQ's abandoned-job cleanup; returns how many."""
        reaped = 0
        for queue in self.queues:
            registry = StartedJobRegistry(queue=queue)
            for member in self.connection.zrange(registry.key, 0, -1):
                job_id = member.decode().split(":")[0]
                job = queue.fetch_job(job_id)
                worker_name = self.executing_worker(member, job)
                if worker_name == self.name or not is_dead(self.connection, self.key_for(worker_name)):
                    continue
                log.warning("job %s: its worker %s is dead, handing it back", job_id, worker_name)
                # Its horse may have died before taking it off the intermediate list: RQ's cleanup of that list
                # would fail it once more a minute later.
                self.connection.lrem(queue.intermediate_queue_key, 0, job_id)
                self.connection.zadd(registry.key, {member: 0}, xx=True)
                reaped += 1
            if reaped:
                registry.cleanup(exception_handlers=None)
        return reaped

    def hand_back_dead_takers(self) -> int:
        """Put back at the head of its queue every job taken, not started, by a worker now dead; returns how
        many. A live taker's job stays (its heartbeat is at most a dequeue wait old); one started has no mark."""
        handed = 0
        for queue in self.queues:
            intermediate = queue.intermediate_queue_key
            for job_id in {as_text(each) for each in self.connection.lrange(intermediate, 0, -1)}:
                mark = taken_key(intermediate, job_id)
                taker = self.connection.get(mark)
                if taker is None or taker.decode() == self.name or not is_dead(self.connection, self.key_for(
                        taker.decode())):
                    continue
                first_seen = queue.intermediate_queue.get_first_seen_key(job_id)
                if self.connection.eval(_HAND_BACK, 4, mark, intermediate, queue.key, first_seen, taker, job_id):
                    log.warning("job %s: the worker %s that took it died before starting it; back in %s",
                                job_id, taker.decode(), queue.name)
                    handed += 1
        return handed

    def executing_worker(self, member: bytes, job) -> str | None:
        """The worker running this started-registry entry, from the execution's own record. RQ writes that
        record with the entry, in the worker, before its work horse sets the job's `worker_name`: until then the
        job names nobody, or, for a job being retried, the worker of its last attempt (possibly dead), and a
        job just taken by a live worker must not be handed back (tests/test_postgres_restart.py met this)."""
        name = self.connection.hget(f"rq:execution:{member.decode()}", "worker_name")
        if name:
            return name.decode()
        return job.worker_name if job is not None else None

    def key_for(self, worker_name: str | None) -> str:
        return f"{self.redis_worker_namespace_prefix}{worker_name}"

    def break_dead_scheduler_locks(self) -> None:
        for queue in self.queues:
            lock = RQScheduler.get_locking_key(queue.name)
            owner = self.connection.get(lock)
            if owner is None or (self.scheduler is not None and owner.decode() == self.scheduler.name):
                continue
            # A live scheduler refreshes its lock (TTL interval + 60 s) every second.
            fresh = self.connection.ttl(lock) > 61 - DEAD_AFTER
            if not fresh and is_dead(self.connection, f"rq:scheduler:{owner.decode()}"):
                if self.connection.eval(_DELETE_IF, 1, lock, owner):
                    log.warning("scheduler lock of %s: its scheduler is dead, taking it over", queue.name)
