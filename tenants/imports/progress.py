"""Progress of the insert step, published through Redis.

While the participants are inserted, the batch row is locked and its changes are not
committed until the end, so the row cannot carry the progress of that step. The job
publishes it under a short-lived Redis key instead, and the status page reads it there.
"""
import uuid

from redis.exceptions import RedisError

from regionet.workers.queues import queue_name, redis_connection

TTL_SECONDS = 3600


def _key(batch_id: uuid.UUID) -> str:
    return queue_name(f"import-progress:{batch_id.hex}")


def publish_progress(batch_id: uuid.UUID, percent: int) -> None:
    redis_connection().set(_key(batch_id), int(percent), ex=TTL_SECONDS)


def published_progress(batch_id: uuid.UUID) -> int | None:
    try:
        value = redis_connection().get(_key(batch_id))
    except RedisError:
        return None  # the page then shows the last committed progress
    return int(value) if value is not None else None
