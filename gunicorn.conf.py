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
# A request may run for longer than the database's per-statement limit: asking for a regional
# report collects its data in the request. With the figures kept current by the workers that is
# under a second for 150 institutions and 300 practices; an earlier quarter's report counts its
# practices' figures (about 11 s), and with no worker running a report recounts everything behind
# (about 30 s). A worker is given two minutes for that before it is recycled.
timeout = 120
graceful_timeout = 30
accesslog = "-"
# One header may be up to 16 KB here, so that the platform itself answers a header over its 8 KB
# limit (platform/ui/request_guard.py) with its Polish page; gunicorn's own page is plain English.
limit_request_field_size = 16384
