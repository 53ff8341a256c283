"""Benchmark: the coordinator's figures under a steady stream of edits (issue 18, point 4).

On a scratch platform (demo region seeded, its own Redis prefix), real worker processes
(`python -m regionet.workers default`) serve the figures jobs while this script saves one new
participant (with an enrolment and a support episode) every 1/RATE seconds, round-robin over
the region's institutions, through the ORM as the institution (so the after-commit hook
requests the refresh as a page would). Every half second it samples the `default` queue:
jobs waiting (queued + scheduled) and running, and how many region runs are running at once.
When the writes stop it waits until the queue is empty and the region's figures count every
person written, and prints how long that took.

Targets: at 3 writes/s for 5 minutes the queue stays under 20 jobs; the figures catch up
within a minute after the writes stop; never two runs of the region at once.

    .venv/bin/python -m bench.figures_bench [--rate 3] [--seconds 300] [--workers 2]
"""
import argparse
import itertools
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.scratch import scratch_platform

REGION = "26"


class Sampler(threading.Thread):
    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.stop, self.samples = app, threading.Event(), []

    def run(self) -> None:
        from rq.registry import ScheduledJobRegistry, StartedJobRegistry

        from regionet.workers.queues import DEFAULT, get_queue

        with self.app.app_context():
            queue = get_queue(DEFAULT)
            scheduled, started = ScheduledJobRegistry(queue=queue), StartedJobRegistry(queue=queue)
            while not self.stop.is_set():
                running_ids = started.get_job_ids()
                running = [queue.fetch_job(i.split(":")[0]) for i in running_ids]
                regions = sum(1 for job in running if job is not None and job.func_name.endswith("region_figures"))
                # Figures jobs only: the daily retention run stays booked in the same queue's schedule.
                waiting = sum(1 for i in [*queue.job_ids, *scheduled.get_job_ids()] if "figures-" in i)
                self.samples.append((time.monotonic(), waiting, len(running_ids), regions))
                time.sleep(0.5)

    def waiting_now(self) -> int:
        return self.samples[-1][1] + self.samples[-1][2] if self.samples else 0


def people_counted(app) -> int | None:
    from regionet.platform.coordinator import queries
    from regionet.platform.ui.formatting import today_in_poland

    with app.app_context():
        figures = queries.one_way_figures(REGION, str(today_in_poland().year), "all")
        cell = figures.get(("people", ""), {}).get("")
        return cell


def region_recounts(logs: list[Path]) -> list[tuple[float, float, float, float]]:
    """(start, end, seconds, protection seconds) of each region job that recounted (the work horse logs the
    linked protection just before the worker logs the job's end), from the workers' logs."""
    stamp = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) "
    found = []
    for log in logs:
        protection = None
        for line in log.read_text().splitlines():
            if m := re.match(stamp + r".*linked protection of \d+ periods in ([\d.]+) s", line):
                protection = float(m.group(2))
            elif m := re.match(stamp + r".*Successfully completed \S+refresh_region_figures\(.* job in "
                                       r"(\d+):(\d\d):([\d.]+)s", line):
                if protection is not None:
                    end = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
                    seconds = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + float(m.group(4))
                    found.append((end - seconds, end, seconds, protection))
                protection = None
    return found


def max_overlap(intervals) -> int:
    edges = sorted([(start, 1) for start, *_ in intervals] + [(end, -1) for _s, end, *_ in intervals])
    now = best = 0
    for _time, step in edges:
        now += step
        best = max(best, now)
    return best


def wait_until(predicate, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.25)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.figures_bench")
    parser.add_argument("--rate", type=float, default=3.0, help="writes per second")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from sqlalchemy import select

    from regionet.platform.coordinator import refresh
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from tests.coordinator_data import Person, add_people

    with scratch_platform() as scratch:
        app = scratch.app
        logs = [Path(scratch.config["INSTANCE_PATH"]) / f"worker-{n}.log" for n in range(args.workers)]
        workers = [subprocess.Popen([sys.executable, "-m", "regionet.workers", "default", "--name",
                                     f"bench-{n}-{time.time_ns()}"], env=scratch.environment(),
                                    stdout=subprocess.DEVNULL, stderr=log.open("w"))
                   for n, log in enumerate(logs)]
        sampler = Sampler(app)
        try:
            with app.app_context():
                slugs = db.session.execute(select(Institution.slug).where(Institution.region_code == REGION)
                                           .order_by(Institution.slug)).scalars().all()
                refresh.request_full_refresh(REGION)
            sampler.start()
            settle = wait_until(lambda: sampler.samples and sampler.waiting_now() == 0, 600)
            baseline = people_counted(app) or 0
            print(f"{len(slugs)} institutions, {args.workers} workers; initial recount {settle:.1f} s, "
                  f"{baseline} people counted this year", flush=True)

            started = time.monotonic()
            written = 0
            for n, slug in enumerate(itertools.cycle(slugs)):
                due = started + n / args.rate
                if due - started >= args.seconds:
                    break
                time.sleep(max(0.0, due - time.monotonic()))
                with app.app_context():
                    add_people(slug, [Person(f"Ławeczna{n}", "Osoba", pesel=None)])
                written += 1
            stopped = time.monotonic()
            last_write = datetime.now(UTC)
            expected = baseline + written

            def caught_up() -> bool:
                return sampler.waiting_now() == 0 and (people_counted(app) or 0) >= expected

            catch_up = wait_until(caught_up, 600)
            sampler.stop.set()
            sampler.join()
            during = [s for s in sampler.samples if started <= s[0] <= stopped]
            counted = people_counted(app)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=60)
        runs = {name: sum(len(re.findall(rf"default: regionet\.workers\.jobs\.figures\.{name}\(", log.read_text()))
                          for log in logs)
                for name in ("refresh_tenant_figures", "refresh_region_figures")}
        recounts = region_recounts(logs)
        print(f"writes: {written} in {stopped - started:.1f} s ({written / (stopped - started):.2f}/s), "
              f"finished {last_write:%H:%M:%S} UTC")
        print(f"queue during the writes: max {max(s[1] + s[2] for s in during)} jobs "
              f"(waiting max {max(s[1] for s in during)}, running max {max(s[2] for s in during)}), "
              f"mean {sum(s[1] + s[2] for s in during) / len(during):.1f}")
        print(f"region jobs running at once: max {max(s[3] for s in sampler.samples)} (a job finding the region's "
              f"run lock taken queues itself again in ~0.1 s); region recounts overlapping: max {max_overlap(recounts)}")
        print(f"jobs started: {runs['refresh_tenant_figures']} institution, {runs['refresh_region_figures']} region, "
              f"of which {len(recounts)} region recounts: "
              + (f"{min(r[2] for r in recounts):.1f}–{max(r[2] for r in recounts):.1f} s each, linked protection "
                 f"{min(r[3] for r in recounts):.1f}–{max(r[3] for r in recounts):.1f} s of it" if recounts else ""))
        print(f"caught up {catch_up:.1f} s after the last write" if catch_up is not None
              else "NOT caught up within 600 s")
        print(f"people counted: {counted} (expected {expected})")


if __name__ == "__main__":
    main()
