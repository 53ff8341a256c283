"""Sign-in answers for a known and an unknown address take the same time (issue 13, point 3).

    .venv/bin/python -m bench.login_timing [--attempts 40]

On a scratch database with the demo region: a wrong password for a demo account, any
password for an address no account has, and attempts refused while an address waits
(a known and an unknown one). Prints the median and the 90th percentile of each, in-process
(Flask's test client), so the figures are the server's own work.
"""
import argparse
import statistics
import time
import uuid

from .loadgen import percentile
from .scratch import scratch_platform


def _timed(client, email, password) -> tuple[float, int]:
    start = time.perf_counter()
    status = client.post("/login", data={"email": email, "password": password}).status_code
    return (time.perf_counter() - start) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.login_timing")
    parser.add_argument("--attempts", type=int, default=40)
    args = parser.parse_args()
    from regionet.platform.demo.seed import institution_login

    with scratch_platform() as scratch:
        app = scratch.app
        app.config.update(WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="100000 per minute",
                          LOGIN_FREE_FAILURES=10**6, LOGIN_LOCKOUT_FAILURES=10**6)
        known = institution_login("owes-kielce", "staff", 1)
        rows = {}
        client = app.test_client()
        for _ in range(3):  # warm-up
            _timed(client, known, "wrong-password-1")
        samples = {"wrong password, known address": [], "unknown address": []}
        for _ in range(args.attempts):  # interleaved, so that load falls on both alike
            samples["wrong password, known address"].append(_timed(client, known, "wrong-password-1")[0])
            samples["unknown address"].append(_timed(client, f"nobody-{uuid.uuid4().hex[:6]}@example.org",
                                                     "wrong-password-1")[0])
        app.config.update(LOGIN_FREE_FAILURES=0)
        samples["refused while waiting, known"] = [_timed(client, known, "x")[0] for _ in range(args.attempts)]
        unknown = f"nobody-{uuid.uuid4().hex[:6]}@example.org"
        _timed(client, unknown, "x")
        samples["refused while waiting, unknown"] = [_timed(client, unknown, "x")[0] for _ in range(args.attempts)]
        for name, values in samples.items():
            values.sort()
            rows[name] = (statistics.median(values), percentile(values, 90))
        print(f"{'attempt':<36} {'median':>9} {'p90':>9}")
        for name, (median, p90) in rows.items():
            print(f"{name:<36} {median:>7.1f} ms {p90:>6.1f} ms")


if __name__ == "__main__":
    main()
