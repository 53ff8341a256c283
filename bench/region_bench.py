"""Benchmark (issue 4): the regional coordinator's pages for a whole region, against raw SQL.

    .venv/bin/python -m bench.region_bench [--concurrency 4] [--seconds 15] [--keep-db NAME]
        [--institutions 150 --participants 300000 --episodes 900000 --outcomes 200000] [--period 2025]

1. A scratch PostgreSQL database with the demo region (Świętokrzyskie, TERYT 26), filled by
   bench/generate.py: 150 institutions (a labour office per county, a social-assistance centre
   per commune, the rest OWES/CIS/KIS/cooperatives) besides the 5 demo ones, 300,000
   participants living in the TERYT communes of their institution's area (about 10% of them
   also known to a second institution, so unique people < participations), 900,000 support
   episodes, 200,000 outcomes. With --keep-db NAME the database is kept, and a second run finds
   the data there and skips the generation.
2. The coordinator's figures are refreshed as the workers would (every institution's facts as
   that institution, then the region's summary through the aggregate function), timed, then
   VACUUM ANALYZE as the tables' owner.
3. gunicorn serves the platform; the demo coordinator signs in through the real form.
4. Each of these runs in turn under the same closed-loop load (C connections for S seconds):
   (a) the dashboard's main view,  /r/swietokrzyskie/?period=P  (headline, nine sections, trend);
   (b) the breakdown by commune,    /r/swietokrzyskie/explore?measure=people&rows=commune&period=P;
   (c) raw SQL computing the dashboard's headline from the records in one query: unique people
       (by PESEL pseudonym), participations, support episodes, outcomes, participations ended,
       employed within 4 weeks and the employment rate, for period P, across the region's
       institutions (the facts' definitions of tenants/figures/facts.py, written by hand);
   (d) raw SQL computing unique people by commune from the records in one query (GROUP BY);
   (e), (f) for reference, the raw reads of the precomputed summary the pages themselves make
       (region_figures: the period's one-way figures; the commune cells).

What is compared. The pages never aggregate records at request time: they read
`region_figures`, which the refresh precomputes (issue 4, "Scale"), then apply disclosure
control, label and render. The issue's "same aggregate run as one raw SQL query on the same
data" is (c) and (d): what a straightforward implementation would run per page view, the
GROUP BY over participants, enrolments, episodes and outcomes. They run as the database
superuser (no row-level security: a naive cross-institution query could not run as the
application's roles at all), each thread on its own connection. The targets are the pages'
p95 under 300 ms and page p95 / raw p95 <= 3. The ratios against (e) and (f) are printed too:
they say what rendering, disclosure control and the HTTP round trip add to the bare read.
The script checks that the raw queries give the numbers the pages show (headline and commune
cells) before timing anything.

The load generator, gunicorn (2 workers by default) and PostgreSQL share the machine.
"""
import argparse
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import generate
from bench.loadgen import LoadResult, run_calls, run_load
from bench.page_timing import totp_secret_of
from bench.scratch import ADMIN_URL, DEMO_PASSWORD, admin_engine, scratch_platform
from bench.workspace_bench import free_port, sign_in, start_gunicorn
from regionet.platform.ui.formatting import today_in_poland

ROOT = Path(__file__).resolve().parent.parent
REGION_CODE, REGION_SLUG = "26", "swietokrzyskie"
COORDINATOR_LOGIN = "koordynator.rops@demo.regionet.example"
EMPLOYMENT = ("employment_contract", "civil_contract", "self_employment", "internship_to_job")
TARGET_P95_MS, TARGET_RATIO = 300, 3.0

# Who was supported in the period (tenants/figures/facts.py): enrolled at any time during it,
# or given a support episode or achieving an outcome during it; one row per institution and person.
_MEMBERS = """
inst AS (SELECT id FROM institutions WHERE region_code = %(region)s),
members AS (
  SELECT e.tenant_id, e.participant_id FROM enrolments e JOIN inst ON inst.id = e.tenant_id
  WHERE e.entry_date <= %(end)s AND (e.exit_date IS NULL OR e.exit_date >= %(start)s)
  UNION
  SELECT e.tenant_id, e.participant_id FROM support_episodes se JOIN inst ON inst.id = se.tenant_id
  JOIN enrolments e ON e.tenant_id = se.tenant_id AND e.id = se.enrolment_id
  WHERE se.start_date BETWEEN %(start)s AND %(end)s
  UNION
  SELECT e.tenant_id, e.participant_id FROM outcomes o JOIN inst ON inst.id = o.tenant_id
  JOIN enrolments e ON e.tenant_id = o.tenant_id AND e.id = o.enrolment_id
  WHERE o.achieved_on BETWEEN %(start)s AND %(end)s
)"""

RAW_HEADLINE = f"""WITH {_MEMBERS},
exits AS (
  SELECT e.tenant_id, e.participant_id, bool_or(EXISTS (
    SELECT 1 FROM outcomes j WHERE j.tenant_id = e.tenant_id AND j.enrolment_id = e.id
      AND j.kind IN ({", ".join(f"'{k}'" for k in EMPLOYMENT)})
      AND j.achieved_on >= e.entry_date AND j.achieved_on <= e.exit_date + 28)) AS employed
  FROM enrolments e JOIN inst ON inst.id = e.tenant_id
  WHERE e.exit_date BETWEEN %(start)s AND %(end)s
  GROUP BY e.tenant_id, e.participant_id
),
base AS (
  SELECT COALESCE(pa.pseudonym, 'p:' || pa.id::text) AS person_key, x.participant_id IS NOT NULL AS exited,
         COALESCE(x.employed, false) AS employed
  FROM members m JOIN participants pa ON pa.tenant_id = m.tenant_id AND pa.id = m.participant_id
  LEFT JOIN exits x ON x.tenant_id = m.tenant_id AND x.participant_id = m.participant_id
),
totals AS (
  SELECT count(DISTINCT person_key) AS people, count(*) AS participations,
         count(*) FILTER (WHERE exited) AS exits, count(*) FILTER (WHERE employed) AS employed
  FROM base
)
SELECT t.people, t.participations,
       (SELECT count(*) FROM support_episodes se JOIN inst ON inst.id = se.tenant_id
        WHERE se.start_date BETWEEN %(start)s AND %(end)s) AS episodes,
       (SELECT count(*) FROM outcomes o JOIN inst ON inst.id = o.tenant_id
        WHERE o.achieved_on BETWEEN %(start)s AND %(end)s) AS outcomes,
       t.exits, t.employed, t.employed::numeric / NULLIF(t.exits, 0) AS employment_rate
FROM totals t"""

# A person known to several institutions lives in the highest commune code recorded (dimensions.py).
RAW_COMMUNES = f"""WITH {_MEMBERS}
SELECT commune, count(*) FROM (
  SELECT COALESCE(pa.pseudonym, 'p:' || pa.id::text), MAX(COALESCE(pa.commune_code, '')) AS commune
  FROM members m JOIN participants pa ON pa.tenant_id = m.tenant_id AND pa.id = m.participant_id
  GROUP BY 1) people
GROUP BY commune"""

SUMMARY_ONE_WAY = """SELECT measure, dim_a, key_a, value FROM region_figures
WHERE region_code = %(region)s AND period_key = %(period)s AND scope = 'all' AND dim_b = ''"""
SUMMARY_COMMUNES = """SELECT key_a, value FROM region_figures
WHERE region_code = %(region)s AND period_key = %(period)s AND scope = 'all' AND measure = 'people'
  AND dim_a = 'commune' AND dim_b = ''"""


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (gunicorn's master and workers), from /proc.

    Under a shared, busy machine latencies measure the queue for the CPU as much as the page;
    the CPU a page costs the server does not depend on the neighbours."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:     # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks   # utime + stime
    return total


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _generated(database: str) -> tuple[int, int]:
    """(institutions, participants) the generator has put into the database so far."""
    engine = admin_engine(database)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT count(DISTINCT i.id), count(p.id) FROM institutions i "
            "LEFT JOIN participants p ON p.tenant_id = i.id WHERE i.slug LIKE 'bench-%'")).one()
    engine.dispose()
    return row[0], row[1]


def build_region(scratch, args) -> None:
    institutions, participants = _generated(scratch.name)
    if institutions >= args.institutions and participants >= args.participants:
        print(f"region already generated in {scratch.name}: {institutions} institutions, "
              f"{participants:,} participants (generation skipped)")
        return
    # The generator computes pseudonyms with the platform's secret, as the application would.
    os.environ.update(PSEUDONYM_SECRET=scratch.config["PSEUDONYM_SECRET"],
                      INSTANCE_PATH=scratch.config["INSTANCE_PATH"])
    generate.main(["--database-url", scratch.owner_url, "--institutions", str(args.institutions),
                   "--participants", str(args.participants), "--episodes", str(args.episodes),
                   "--outcomes", str(args.outcomes)])


def refresh_figures(scratch) -> None:
    """Every institution's facts, then the region's summary (`flask coordinator refresh-figures`)."""
    started = time.perf_counter()
    result = scratch.app.test_cli_runner().invoke(args=["coordinator", "refresh-figures"])
    if result.exit_code != 0:
        raise SystemExit(f"refresh failed: {result.output}\n{result.exception!r}")
    print(result.output.strip())
    print(f"refresh of the whole region took {time.perf_counter() - started:.1f} s")
    engine = admin_engine(scratch.name)
    with engine.connect() as conn:
        facts = conn.execute(text("SELECT (SELECT count(*) FROM figure_participations), "
                                  "(SELECT count(*) FROM figure_activities), (SELECT count(*) FROM region_figures)")).one()
    engine.dispose()
    print(f"facts: {facts[0]:,} participations, {facts[1]:,} activities; region_figures: {facts[2]:,} rows")
    report_protection(scratch.name)
    started = time.perf_counter()
    with psycopg.connect(_libpq(scratch.owner_url), autocommit=True) as conn:
        conn.execute("SET client_min_messages = error")   # tables of other owners are skipped
        conn.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE as the owner took {time.perf_counter() - started:.1f} s")


PROTECTION = """SELECT set_key, scope, max(seconds), sum(jsonb_array_length(one_way) + jsonb_array_length("cross"))
FROM region_figure_patterns WHERE region_code = %(region)s GROUP BY set_key, scope ORDER BY set_key, scope"""


def report_protection(database: str) -> None:
    """What the linked protection (coordinator/linked.py) added to the recount: per linked set, the
    seconds `do_protect_set` took (stored with its pattern) and how many cells it hides."""
    url = make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(PROTECTION, {"region": REGION_CODE}).fetchall()
    total = sum(seconds for _set, _scope, seconds, _hidden in rows)
    print(f"linked protection (part of the refresh above): {total:.1f} s for {len(rows)} linked sets")
    for set_key, scope, seconds, hidden in rows:
        print(f"  set {set_key} ({scope}): {seconds:.1f} s, {hidden:,} cells hidden")


def _query_client(database: str, sql: str, params: dict):
    url = make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)

    def client():
        conn = psycopg.connect(url, autocommit=True)

        def call() -> bool:
            try:
                conn.execute(sql, params).fetchall()
                return True
            except psycopg.Error:
                return False

        return call, conn.close

    return client


def _digits(html: str) -> str:
    """The page's text with thousands separators between digits removed (Polish formats)."""
    html = re.sub(r"&nbsp;|&#160;|&#8239;", " ", html)
    return re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", html)


def check_same_numbers(database: str, params: dict, base: str, cookie: str, pages: dict) -> dict:
    """The raw queries' numbers, checked against region_figures and the pages' HTML."""
    url = make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        names = ("people", "participations", "episodes", "outcomes", "exits", "employed", "employment_rate")
        raw = dict(zip(names, conn.execute(RAW_HEADLINE, params).fetchone(), strict=True))
        communes = dict(conn.execute(RAW_COMMUNES, params).fetchall())
        stored = {m: v for m, d, k, v in conn.execute(SUMMARY_ONE_WAY, params).fetchall() if d == ""}
        stored_communes = dict(conn.execute(SUMMARY_COMMUNES, params).fetchall())
        summary_rows = conn.execute("SELECT count(*) FROM region_figures WHERE region_code = %(region)s "
                                    "AND period_key = %(period)s", params).fetchone()[0]
    print(f"\nperiod {params['period']}: " + ", ".join(
        f"{k} {v:,.3f}" if k == "employment_rate" else f"{k} {v:,}" for k, v in raw.items() if v is not None))
    print(f"unique people by commune: {len(communes)} communes; region_figures rows of the period: {summary_rows:,}")
    problems = [f"{m}: raw {raw[m]} vs summary {stored.get(m)}" for m in names[:-1] if stored.get(m) != raw[m]]
    problems += [f"commune {c}: raw {n} vs summary {stored_communes.get(c)}" for c, n in communes.items()
                 if stored_communes.get(c) not in (n, None)]
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", cookie)]
    for name, path in pages.items():
        html = _digits(opener.open(base + path).read().decode())
        expected = [raw["people"], raw["participations"], raw["episodes"], raw["outcomes"]] if name == "dashboard" \
            else [n for c, n in communes.items() if stored_communes.get(c) is not None]
        missing = [n for n in expected if str(n) not in html]
        if missing:
            problems.append(f"{name} page does not show {missing[:5]}")
    print("raw queries give the numbers the pages show: " + ("yes" if not problems else "NO\n  " + "\n  ".join(
        problems)))
    return raw


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.region_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep-db", metavar="NAME", help="use (or create) this database and keep it afterwards")
    parser.add_argument("--institutions", type=int, default=150)
    parser.add_argument("--participants", type=int, default=300_000)
    parser.add_argument("--episodes", type=int, default=900_000)
    parser.add_argument("--outcomes", type=int, default=200_000)
    parser.add_argument("--period", default=str(today_in_poland().year - 1), help="calendar period key (default: last year)")
    parser.add_argument("--skip-refresh", action="store_true", help="reuse the figures of a kept database as they are")
    args = parser.parse_args(argv)

    from regionet.platform.coordinator.periods import calendar_period

    period = calendar_period(args.period)
    if period is None:
        parser.error(f"unknown period {args.period!r} (e.g. 2025, 2025-H1, 2025-Q3)")
    started = time.perf_counter()
    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        build_region(scratch, args)
        if not args.skip_refresh:
            refresh_figures(scratch)
        print(f"database {scratch.name} ready in {time.perf_counter() - started:.0f} s")

        env = {**scratch.environment(), "PYTHONPATH": str(ROOT)}
        port = free_port()
        server = start_gunicorn("wsgi:app", port, args.workers, env)
        params = {"region": REGION_CODE, "period": period.key, "start": period.start, "end": period.end}
        pages = {"dashboard": f"/r/{REGION_SLUG}/?period={period.key}",
                 "communes": f"/r/{REGION_SLUG}/explore?measure=people&rows=commune&period={period.key}"}
        try:
            base = f"http://127.0.0.1:{port}"
            cookie = sign_in(base, COORDINATOR_LOGIN, DEMO_PASSWORD, totp_secret_of(scratch.app, COORDINATOR_LOGIN))
            check_same_numbers(scratch.name, params, base, cookie, pages)
            load = {"concurrency": args.concurrency, "seconds": args.seconds}
            results: list[LoadResult] = []
            server_cpu = {}
            for name, page in (("(a) dashboard page", "dashboard"), ("(b) people by commune page", "communes")):
                before = process_tree_cpu(server.pid)
                results.append(run_load(name, base + pages[page], cookie=cookie, **load))
                server_cpu[page] = (process_tree_cpu(server.pid) - before) * 1000 / max(1, results[-1].calls)
        finally:
            server.terminate()
            server.wait(timeout=30)
        for name, sql in (("(c) raw SQL: headline", RAW_HEADLINE), ("(d) raw SQL: people by commune", RAW_COMMUNES),
                          ("(e) summary read: one-way", SUMMARY_ONE_WAY),
                          ("(f) summary read: communes", SUMMARY_COMMUNES)):
            results.append(run_calls(name, _query_client(scratch.name, sql, params), **load))

    dashboard, communes, raw_headline, raw_communes, read_dashboard, read_communes = results
    print(f"\nperiod {period.key}, concurrency {args.concurrency}, {args.seconds:.0f} s each, gunicorn workers "
          f"{args.workers}, {os.cpu_count()} CPUs (load generator, server and PostgreSQL on the same machine)")
    for result in results:
        print(result.line())

    def ratio(page, other):
        return page.percentile(95) / other.percentile(95)

    print(f"server CPU per request (gunicorn processes): dashboard {server_cpu['dashboard']:.0f} ms, "
          f"people by commune {server_cpu['communes']:.0f} ms")
    print()
    for page, raw, read in ((dashboard, raw_headline, read_dashboard), (communes, raw_communes, read_communes)):
        p95, r = page.percentile(95), ratio(page, raw)
        print(f"{page.name.split(' ', 1)[1]}: p95 {p95:.0f} ms (target < {TARGET_P95_MS} ms: "
              f"{'met' if p95 < TARGET_P95_MS else 'NOT met'}); page p95 / raw SQL p95 = {r:.2f} "
              f"(target <= {TARGET_RATIO:.0f}: {'met' if r <= TARGET_RATIO else 'NOT met'}); "
              f"page p95 / summary read p95 = {ratio(page, read):.1f}")
    errors = sum(r.errors for r in results)
    if errors:
        print(f"errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
