"""The worker entry point: `python -m regionet.workers [QUEUE ...] [--processes N] [--burst]`.

Without --burst it is a supervisor: it runs N worker processes (`--processes`, or
WORKER_PROCESSES, default 1) and starts again any that ends, after a pause that grows while
they keep failing (1, 2, 4 … 30 s; Redis or PostgreSQL being away makes a worker exit).
SIGTERM or SIGINT stops the workers warmly (the job in hand finishes) and then itself.
Each worker process (`--child`) is an RQ worker with the built-in scheduler (retries with
intervals and scheduled reports need it); it books the quarterly report schedules from the
database when it starts. The app is created before RQ forks each job's work horse.
With --burst, one worker runs in this process until the queues are empty.
"""
import argparse
import logging
import os
import signal
import subprocess
import sys
import time

from .context import use_app
from .queues import ALL_QUEUES, DEFAULT, Job, queue_name, redis_connection
from .worker import end_with_parent

log = logging.getLogger("regionet.workers")

BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0   # a worker that ran this long is healthy: the next restart is immediate


def run_worker(queue_names, burst: bool, name: str | None, supervised: bool = False) -> None:
    from regionet.platform.app import create_app

    from .reconcile import reconcile_unfinished
    from .worker import Worker

    app = create_app()
    use_app(app)
    with app.app_context():
        booked = burst or rebook_schedules()
        queues = [queue_name(queue) for queue in queue_names]   # the Worker makes them of its own Queue class
        if DEFAULT in queue_names:   # the daily retention run lives on the default queue
            from regionet.tenants.privacy.schedule import ensure_booked

            ensure_booked()
        worker = Worker(queues, connection=redis_connection(), name=name, job_class=Job)
        worker.supervised = supervised
        worker.reconcile = reconcile_unfinished
        if not booked:   # PostgreSQL was away: the worker serves its queues and books them when it is back
            worker.book_schedules = rebook_schedules
        worker.work(with_scheduler=True, burst=burst)


def rebook_schedules() -> bool:
    """The quarterly schedules live in the database: put their next runs back into RQ (once). False when
    that could not be done (the worker tries again from its maintenance while PostgreSQL is away)."""
    from regionet.platform.regional_reports.schedule import do_rebook_schedules

    try:
        booked = do_rebook_schedules()
        log.info("report schedules booked: %s", booked)
        return True
    except Exception as error:  # noqa: BLE001 - the worker still serves its queues; the next start books them
        from .context import log_failure

        log_failure(log, "could not book the report schedules", error)
        return False


class Supervisor:
    def __init__(self, argv: list[str], processes: int):
        self.argv, self.processes = argv, processes
        self.children: dict[int, tuple[subprocess.Popen, float]] = {}
        self.failures = [0] * processes
        self.next_start = [0.0] * processes
        self.stopping = False

    def start(self, slot: int) -> None:
        # Its own session: a signal to the supervisor's process group (Ctrl+C, `make run`'s stop) reaches
        # the worker once, forwarded by the supervisor (RQ takes a second one as "kill the job in hand");
        # and it ends with the supervisor should that die (Linux: PR_SET_PDEATHSIG).
        child = subprocess.Popen([sys.executable, "-m", "regionet.workers", "--child", *self.argv],
                                 start_new_session=True, preexec_fn=end_with_parent)
        self.children[slot] = (child, time.monotonic())
        log.info("worker %s started (pid %s)", slot, child.pid)

    def stop(self, signum, _frame) -> None:
        if not self.stopping:
            log.info("stopping the workers (signal %s)", signum)
        self.stopping = True
        for child, _started in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while True:
            now = time.monotonic()
            for slot in range(self.processes):
                if slot not in self.children and not self.stopping and now >= self.next_start[slot]:
                    self.start(slot)
            for slot, (child, started) in list(self.children.items()):
                code = child.poll()
                if code is None:
                    continue
                del self.children[slot]
                lived = time.monotonic() - started
                self.failures[slot] = 0 if lived >= STABLE_AFTER else self.failures[slot] + 1
                pause = min(BACKOFF_MAX, 2 ** (self.failures[slot] - 1)) if self.failures[slot] else 0.0
                self.next_start[slot] = time.monotonic() + pause
                if not self.stopping:
                    log.warning("worker %s (pid %s) ended with %s after %.0f s; starting again in %.0f s",
                                slot, child.pid, code, lived, pause)
            if self.stopping and not self.children:
                log.info("workers stopped")
                return 0
            time.sleep(0.2)


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m regionet.workers")
    parser.add_argument("queues", nargs="*", default=list(ALL_QUEUES), help="queues to serve, in priority order")
    parser.add_argument("--burst", action="store_true", help="quit when the queues are empty")
    parser.add_argument("--name", default=None)
    parser.add_argument("--processes", type=int, default=int(os.environ.get("WORKER_PROCESSES", "1")))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.burst or args.child:
        name = args.name if args.processes <= 1 or not args.name else f"{args.name}-{os.getpid()}"
        run_worker(args.queues, args.burst, name, supervised=args.child)
        return
    sys.exit(Supervisor([arg for arg in argv if arg != "--child"], max(1, args.processes)).run())


if __name__ == "__main__":
    main()
