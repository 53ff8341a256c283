"""gunicorn settings, shared by `make run` (flask serve), the Docker image and the benchmarks.

gunicorn reads this file from the working directory; command-line options still win.
Sync workers, two per core: a page spends a good part of its time waiting for PostgreSQL,
and a second worker per core serves another request meanwhile; more only adds memory.
WEB_CONCURRENCY overrides the number (e.g. on a host shared with the database).
"""
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
worker_class = "sync"
timeout = 30
graceful_timeout = 30
accesslog = "-"
