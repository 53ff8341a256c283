"""A job taken from its queue but not yet started, whose worker died meanwhile: the race rule.

The worker that takes a job marks it with its name in the same step (one script); it starts the job only
while that mark is its own, removing it in the transaction that registers the start. Another worker's
maintenance puts a dead taker's job back at the head of its queue only while the mark still names that taker.
So a live taker's job stays, a started one is never put back, and a job put back is not run by its old taker.
"""
import uuid

import pytest
from rq.registry import StartedJobRegistry

from regionet.workers.queues import get_queue, redis_connection
from regionet.workers.worker import HandedBack, Queue, Worker, taken_key, taking_for

JOB = "regionet.workers.jobs.figures.refresh_tenant_figures"


def _worker(queue, name: str) -> Worker:
    return Worker([queue.name], connection=redis_connection(), name=f"{name}-{uuid.uuid4().hex[:8]}",
                  queue_class=Queue)


def _take(queue, worker: Worker):
    with taking_for(worker.name):
        job, _queue = Queue.dequeue_any([queue], None, connection=redis_connection())
    return job


def test_a_live_takers_job_stays_a_started_one_is_never_put_back_and_a_dead_takers_goes_back_first(app):
    with app.app_context():
        connection = redis_connection()
        queue = get_queue("default")
        intermediate = queue.intermediate_queue_key
        alive, gone, reaper = _worker(queue, "alive"), _worker(queue, "gone"), _worker(queue, "reaper")
        alive.register_birth()
        try:
            first, second, third = (queue.enqueue(JOB, n) for n in (1, 2, 3))

            taken = _take(queue, alive)
            assert taken.id == first.id and connection.get(taken_key(intermediate, first.id)).decode() == alive.name
            assert reaper.hand_back_dead_takers() == 0, "a live worker's job, not yet started, stays its own"
            alive.prepare_execution(taken)   # started: the mark goes in the same transaction
            assert connection.get(taken_key(intermediate, first.id)) is None
            assert first.id in StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
            alive.register_death()
            connection.delete(alive.key)
            assert reaper.hand_back_dead_takers() == 0, "a started job is the started-job reaper's, never put back"

            taken = _take(queue, gone)   # a worker that never heartbeats: dead
            assert taken.id == second.id and queue.job_ids == [third.id]
            assert reaper.hand_back_dead_takers() == 1
            assert queue.job_ids == [second.id, third.id], "back at the head of its queue, no attempt counted"
            assert second.id not in connection.lrange(intermediate, 0, -1)
            with pytest.raises(HandedBack):   # should its old taker wake up after all, it does not run it
                gone.prepare_execution(taken)
            gone.execute_job(taken, queue)   # the worker's loop goes on to its next job
            assert second.id not in StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
            assert reaper.hand_back_dead_takers() == 0

            retaken = _take(queue, reaper)   # the job runs once, here
            assert retaken.id == second.id
            reaper.prepare_execution(retaken)
            assert second.id in StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
        finally:
            for worker in (alive, gone, reaper):
                connection.delete(worker.key)
