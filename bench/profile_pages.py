"""Where the time of one workspace page goes: in-process requests (Flask test client) under cProfile.

Runs against a database kept by `python -m bench.workspace_bench --keep-db NAME` (the institution
filled with 20,000 participants), signs in through the form and requests the participant list and
the largest project's indicators page; prints the mean time per request and the top functions.

    .venv/bin/python -m bench.profile_pages NAME [--requests 200] [--page bare|list|indicators] [--profile]

Without --profile it prints the time per request of each page (best of 5 rounds) and the list
page's time relative to the bare Flask page in the same process.
"""
import argparse
import cProfile
import pstats
import time

from sqlalchemy import func, select

from bench.page_timing import sign_in
from bench.scratch import scratch_platform
from bench.workspace_bench import INSTITUTION


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_pages")
    parser.add_argument("database", help="a database kept by bench.workspace_bench --keep-db")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page", choices=("bare", "list", "indicators"), action="append")
    parser.add_argument("--profile", action="store_true", help="print cProfile statistics of each page")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    from regionet.platform.demo.seed import institution_login
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.projects.models import Project
    from regionet.tenants.support.models import Enrolment

    with scratch_platform(args.database, keep=True) as scratch:
        app = scratch.app
        with app.app_context():
            tenant = db.session.execute(select(Institution.id).where(Institution.slug == INSTITUTION)).scalar_one()
            with tenant_scope(tenant):
                project_id = db.session.execute(
                    select(Project.id).join(Enrolment, Enrolment.project_id == Project.id)
                    .group_by(Project.id).order_by(func.count(Enrolment.id).desc()).limit(1)).scalar_one()
            db.session.remove()
        client = app.test_client()
        sign_in(client, app, institution_login(INSTITUTION, "staff", 1))
        from bench.bare_app import app as bare_app

        pages = {"bare": (bare_app.test_client(), "/"),
                 "list": (client, f"/i/{INSTITUTION}/participants/?per_page=50"),
                 "indicators": (client, f"/i/{INSTITUTION}/projects/{project_id}")}
        timings = {}
        for page in args.page or pages:
            client, url = pages[page]
            for _ in range(20):  # warm caches: templates, statements, connections
                assert client.get(url).status_code == 200
            rounds, cpu_rounds = [], []
            for _ in range(5):
                began, cpu_began = time.perf_counter(), time.process_time()
                for _ in range(args.requests):
                    client.get(url)
                rounds.append((time.perf_counter() - began) * 1000 / args.requests)
                cpu_rounds.append((time.process_time() - cpu_began) * 1000 / args.requests)
            timings[page] = min(rounds)
            print(f"{page:<12} {timings[page]:6.2f} ms per request, {min(cpu_rounds):6.2f} ms of it in this process's "
                  f"CPU (best of 5 rounds of {args.requests})")
            if not args.profile:
                continue
            profiler = cProfile.Profile(time.process_time)  # CPU time: steadier on a shared machine
            profiler.enable()
            for _ in range(args.requests):
                client.get(url)
            profiler.disable()
            print(f"\n=== {page} ({url})")
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        if "bare" in timings and "list" in timings:
            print(f"bare / list time: {timings['bare'] / timings['list']:.0%} (in process, no HTTP server)")


if __name__ == "__main__":
    main()
