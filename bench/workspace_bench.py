"""Benchmark (issue 3): the participant list and a project's indicators under concurrent load.

On a scratch PostgreSQL database: the demo region, then one institution (MOPS Skarżysko-Kamienna)
filled by bench/generate.py with 20,000 participants, 60,000 support episodes and 15,000
outcomes. gunicorn serves the platform, and the same gunicorn settings serve a bare Flask page
rendering 50 rows (bench/bare_app.py), and two floor pages: the bare page plus the committed
access-trail entry every view of personal data needs, and the bare page plus the least database
work of a list page (user check, scope, 50 rows, trail entry, commit) in plain psycopg. Each page
gets the same closed-loop load (bench/loadgen.py) in the same run; the figures and ratios are
printed.

Targets: list page >= 40% of the bare page's requests/s with p95 < 100 ms; indicators p95 < 200 ms.

    .venv/bin/python -m bench.workspace_bench [--concurrency 4] [--seconds 15] [--workers N] [--rounds 3]
        [--keep-db NAME]

`--keep-db NAME` keeps the filled database for the next run (which reuses it and skips the
generation); `DROP DATABASE NAME` when done.
"""
import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import func, select

from bench import generate
from bench.loadgen import LoadResult, run_load
from bench.page_timing import csrf_token
from bench.scratch import DEMO_PASSWORD, scratch_platform

INSTITUTION = "mops-skarzysko-kamienna"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(target: str, port: int, workers: int | None, env: dict) -> subprocess.Popen:
    """gunicorn with the production settings (gunicorn.conf.py, read from the repository root).

    The access log is written as in production, to a discarded stdout.
    """
    workers_option = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *workers_option,
                                target], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn for {target} did not start")


def combined(parts: list[LoadResult]) -> LoadResult:
    return LoadResult(parts[0].name, sum(p.requests for p in parts), sum(p.errors for p in parts),
                      sum(p.seconds for p in parts), [ms for p in parts for ms in p.latencies_ms])


def sign_in(base: str, login: str, password: str, totp_secret: str | None = None) -> str:
    """Sign in over HTTP through the real form (CSRF token included), giving the second factor's code when
    asked (`totp_secret`: the account's authenticator secret); return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    data = urllib.parse.urlencode({"email": login, "password": password, "csrf_token": csrf_token(page)}).encode()
    response = opener.open(f"{base}/login", data=data)
    page = response.read().decode()
    if "/login/second-factor" in response.geturl() and totp_secret:
        import pyotp

        code = urllib.parse.urlencode({"code": pyotp.TOTP(totp_secret).now(), "csrf_token": csrf_token(page)}).encode()
        opener.open(response.geturl(), data=code).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workspace_bench")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers for both servers (default: gunicorn.conf.py, two per core)")
    parser.add_argument("--rounds", type=int, default=3, help="turns the pages take (each gets seconds/rounds)")
    parser.add_argument("--keep-db", metavar="NAME", help="keep (and reuse) the filled database under this name")
    args = parser.parse_args()

    from regionet.platform.accounts.models import User
    from regionet.platform.accounts.user_sessions import do_start_session
    from regionet.platform.demo.seed import institution_login
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.participants.models import Participant
    from regionet.tenants.projects.models import Project
    from regionet.tenants.support.models import Enrolment

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        with scratch.app.app_context():
            tenant = db.session.execute(select(Institution.id).where(Institution.slug == INSTITUTION)).scalar_one()
            bench_user = db.session.execute(select(User).where(
                User.email == institution_login(INSTITUTION, "staff", 1))).scalar_one()
            # floor 2 checks a server-side session as the platform does: one kept for the run
            user_id, user_token = bench_user.id, do_start_session(bench_user, remember=True, second_factor=False)
            db.session.commit()
            with tenant_scope(tenant):
                filled = db.session.execute(select(func.count()).select_from(Participant)).scalar_one()
            db.session.remove()
        if filled < 20000:
            generate.main(["--database-url", scratch.owner_url, "--fill", INSTITUTION, "--participants", "20000",
                           "--episodes", "60000", "--outcomes", "15000"])
        else:
            print(f"reusing database {scratch.name}: {filled:,} participants")
        with scratch.app.app_context(), tenant_scope(tenant):
            project_id, enrolled = db.session.execute(
                select(Project.id, func.count(Enrolment.id)).join(Enrolment, Enrolment.project_id == Project.id)
                .group_by(Project.id).order_by(func.count(Enrolment.id).desc()).limit(1)).one()
        print(f"largest project: {enrolled:,} enrolments")

        env = {**scratch.environment(), "PYTHONPATH": str(ROOT), "BENCH_TENANT_ID": str(tenant),
               "BENCH_USER_ID": str(user_id), "BENCH_USER_TOKEN": user_token}
        app_port, bare_port = free_port(), free_port()
        platform = start_gunicorn("wsgi:app", app_port, args.workers, env)
        bare = start_gunicorn("bench.bare_app:app", bare_port, args.workers, env)
        try:
            base = f"http://127.0.0.1:{app_port}"
            cookie = sign_in(base, institution_login(INSTITUTION, "staff", 1), DEMO_PASSWORD)
            pages = [("bare Flask page (50 rows)", f"http://127.0.0.1:{bare_port}/", None),
                     ("floor: bare + trail entry", f"http://127.0.0.1:{bare_port}/floor/trail", None),
                     ("floor: list's database work", f"http://127.0.0.1:{bare_port}/floor/list", None),
                     ("participant list (50 rows)", f"{base}/i/{INSTITUTION}/participants/?per_page=50", cookie),
                     ("project indicators", f"{base}/i/{INSTITUTION}/projects/{project_id}", cookie)]
            # The pages take turns in short slices, so that load from other processes on a shared
            # machine falls on all of them alike and the ratio stays meaningful.
            slices = [[] for _ in pages]
            for _ in range(args.rounds):
                for index, (name, url, page_cookie) in enumerate(pages):
                    slices[index].append(run_load(name, url, cookie=page_cookie, concurrency=args.concurrency,
                                                  seconds=args.seconds / args.rounds, warmup=0.5))
            results = [combined(parts) for parts in slices]
        finally:
            for process in (platform, bare):
                process.terminate()
                process.wait(timeout=30)
        bare_result, trail_floor, list_floor, listing, indicators = results
        workers = args.workers or f"{2 * os.cpu_count()} (gunicorn.conf.py)"
        print(f"\nconcurrency {args.concurrency}, {args.seconds:.0f} s per page in {args.rounds} turns, "
              f"gunicorn workers {workers}, "
              f"{os.cpu_count()} CPUs (the load generator runs on the same machine)")
        for result in results:
            print(result.line())
        share = listing.rps / bare_result.rps if bare_result.rps else 0
        for floor in (trail_floor, list_floor):
            print(f"{floor.name} / bare page requests/s: {floor.rps / bare_result.rps:.0%}")
        print(f"list page / floor of its database work: {listing.rps / list_floor.rps:.0%}")
        print(f"\nlist page / bare page requests/s: {share:.0%} (target >= 40%); "
              f"list p95 {listing.percentile(95):.0f} ms (target < 100 ms); "
              f"indicators p95 {indicators.percentile(95):.0f} ms (target < 200 ms)")


if __name__ == "__main__":
    main()
