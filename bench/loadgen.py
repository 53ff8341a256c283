"""A small closed-loop load generator: C keep-alive connections for D seconds.

Used by the benchmarks to measure requests/s and latency percentiles of pages (or of any
operation, e.g. a SQL query, through `run_calls`) under concurrent load, without tools the
machine may not have.
"""
import http.client
import math
import statistics
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


def percentile(values, p: float) -> float:
    """Nearest-rank percentile: a value that was measured, and never below the median however few there are."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


@dataclass
class LoadResult:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list
    calls: int = 0              # every call made, the warm-up's included

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)

    def line(self) -> str:
        return (f"{self.name:<32} {self.rps:8.1f} req/s   p50 {self.percentile(50):7.1f} ms   "
                f"p95 {self.percentile(95):7.1f} ms   n={self.requests} errors={self.errors}")


def run_load(name: str, url: str, *, concurrency: int = 8, seconds: float = 10.0, cookie: str | None = None,
             warmup: float = 1.0, expect_status: int = 200) -> LoadResult:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}

    def client():
        state = {"connection": http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)}

        def call() -> bool:
            try:
                state["connection"].request("GET", path, headers=headers)
                response = state["connection"].getresponse()
                response.read()
                return response.status == expect_status
            except (OSError, http.client.HTTPException):
                state["connection"].close()
                state["connection"] = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                return False

        return call, lambda: state["connection"].close()

    return run_calls(name, client, concurrency=concurrency, seconds=seconds, warmup=warmup)


def run_calls(name: str, client, *, concurrency: int = 8, seconds: float = 10.0, warmup: float = 1.0) -> LoadResult:
    """Closed loop over any operation: `client()` gives each of the `concurrency` threads its own
    (call, close) pair; `call()` does one operation and returns whether it succeeded."""
    latencies: list[float] = []
    counters = {"requests": 0, "errors": 0, "calls": 0}
    lock = threading.Lock()
    start_measuring = time.monotonic() + warmup
    stop_at = start_measuring + seconds

    def worker():
        call, close = client()
        try:
            while True:
                began = time.monotonic()
                if began >= stop_at:
                    break
                ok = call()
                finished = time.monotonic()
                with lock:
                    counters["calls"] += 1
                if began >= start_measuring:
                    with lock:
                        counters["requests"] += 1
                        if not ok:
                            counters["errors"] += 1
                        latencies.append((finished - began) * 1000)
        finally:
            close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(name, counters["requests"], counters["errors"], seconds, latencies, counters["calls"])


def summary(results: list[LoadResult]) -> str:
    return "\n".join(r.line() for r in results) + (
        f"\nmedian of p95s: {statistics.median(r.percentile(95) for r in results):.1f} ms" if results else "")
