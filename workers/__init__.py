"""Background work on RQ: the queues, the tenant context of a job, the jobs, the worker."""
