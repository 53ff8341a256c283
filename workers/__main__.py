"""The worker entry point: `python -m regionet.workers [QUEUE ...]`.

An RQ worker with the built-in scheduler (retries with intervals and scheduled
reports need it). The app is created before RQ forks each job's work horse.
"""
import argparse
import logging

from rq import Worker

from .context import use_app
from .queues import ALL_QUEUES, DEFAULT, Job, get_queue, redis_connection


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m regionet.workers")
    parser.add_argument("queues", nargs="*", default=list(ALL_QUEUES), help="queues to serve, in priority order")
    parser.add_argument("--burst", action="store_true", help="quit when the queues are empty")
    parser.add_argument("--name", default=None)
    args = parser.parse_args(argv)

    from regionet.platform.app import create_app

    app = create_app()
    use_app(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with app.app_context():
        queues = [get_queue(name) for name in args.queues]
        if DEFAULT in args.queues:   # the daily retention run lives on the default queue
            from regionet.tenants.privacy.schedule import ensure_booked

            ensure_booked()
        worker = Worker(queues, connection=redis_connection(), name=args.name, job_class=Job)
        worker.work(with_scheduler=True, burst=args.burst)


if __name__ == "__main__":
    main()
