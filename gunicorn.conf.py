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
# A request may run for longer than the database's per-statement limit: asking for the regional
# report collects and hashes the region's data in the request (about 27 s for 150 institutions
# and 300 practices on the 2-core machine), so a worker is given two minutes before it is
# recycled. Moving that collection into the job is the lasting fix (see the README).
timeout = 120
graceful_# A request may run for longer than the database's per-statement limit: asking for the regional
# report collects and hashes the region's data in the request (about 27 s for 150 institutions
# and 300 practices on the 2-core machine), so a worker is given two minutes before it is
# recycled. Moving that collection into the job is the lasting fix (see the README).
timeout = 120
accesslog = "-"
