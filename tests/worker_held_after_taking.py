"""`python -m tests.worker_held_after_taking QUEUE`: the platform's worker, held between taking a job and
starting it while the test's gate key `test-gate:taken` exists, so that a test can kill it exactly there."""
import sys
import time

from regionet.workers.worker import Worker

from .jobs_for_tests import gate_key


class HeldWorker(Worker):
    def prepare_execution(self, job):
        while self.connection.exists(gate_key("taken")):
            time.sleep(0.05)
        return super().prepare_execution(job)


def main(queue: str) -> None:
    from regionet.platform.app import create_app
    from regionet.workers.context import use_app
    from regionet.workers.queues import Job, queue_name, redis_connection

    app = create_app()
    use_app(app)
    with app.app_context():
        HeldWorker([queue_name(queue)], connection=redis_connection(), job_class=Job).work()


if __name__ == "__main__":
    main(sys.argv[1])
