"""Whether PostgreSQL JIT-compiles the participant list's queries, and what it costs them.

Requests the list once through the Flask test client (signed in, as bench.profile_pages does);
before each SELECT the page sends, runs EXPLAIN (ANALYZE) of it in the same transaction (the same
tenant scope and row-level policies), with jit off and on, twice each (the second of each counts), and prints each plan's
execution time, whether JIT ran and whether the plan text differs apart from the timings.

    .venv/bin/python -m bench.explain_list NAME [--url PATH]
"""
import argparse
import re

from sqlalchemy import event

from bench.page_timing import sign_in
from bench.scratch import scratch_platform
from bench.workspace_bench import INSTITUTION

_TIMINGS = re.compile(r"(actual time=[^)]*\)|Planning Time: .*|Execution Time: .*|JIT:(.|\n)*)")


def _explain(cursor, statement, parameters, jit: str) -> str:
    cursor.execute(f"SET LOCAL jit = {jit}")
    cursor.execute("EXPLAIN (ANALYZE, COSTS, BUFFERS OFF) " + statement, parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    cursor.execute("SET LOCAL jit = off")
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.explain_list")
    parser.add_argument("database")
    parser.add_argument("--url", default=f"/i/{INSTITUTION}/participants/?per_page=50")
    args = parser.parse_args()
    from regionet.platform.demo.seed import institution_login
    from regionet.platform.extensions import db

    with scratch_platform(args.database, keep=True) as scratch:
        app = scratch.app
        client = app.test_client()
        sign_in(client, app, institution_login(INSTITUTION, "staff", 1))
        found = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith(("SELECT", "WITH")) and "set_config" not in statement:
                raw = cursor.connection.cursor()
                plans = [_explain(raw, statement, parameters, jit) for jit in ("off", "on", "off", "on")]
                found.append((statement, plans[3], plans[2]))  # the second of each: caches warm

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", before)
            try:
                assert client.get(args.url).status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", before)
        for statement, on, off in found:
            timing = lambda plan: re.search(r"Execution Time: ([\d.]+)", plan).group(1)  # noqa: E731
            print(f"--- {' '.join(statement.split())[:110]}")
            print(f"    jit on: {timing(on)} ms{' (JIT ran)' if 'JIT:' in on else ''}; jit off: {timing(off)} ms; "
                  f"plan {'the same' if _TIMINGS.sub('', on) == _TIMINGS.sub('', off) else 'DIFFERENT'}")
            if "JIT:" in on:
                print("    " + on[on.index("JIT:"):].replace("\n", "\n    "))


if __name__ == "__main__":
    main()
