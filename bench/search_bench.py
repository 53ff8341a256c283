"""Polish search and order on the participant list at 20,000 participants (issue 12, point 3).

Fills a scratch database (bench/scratch.py) with one institution of 20,000 participants
(bench/generate.py), signs in and requests the participant list in-process (Flask test
client, the whole page: sign-in check, tenant scope, query, template, access trail): the first
page in Polish name order, sorted by commune, and searches that fold case and diacritics. Prints
the median and 95th percentile per request and the rows each search found, then the database's
plan of one search (the trigram index on the folded name).

    .venv/bin/python -m bench.search_bench [--requests 50] [--keep-db NAME]
"""
import argparse
import re

from sqlalchemy import func, select, text

from bench import generate
from bench.page_timing import sign_in, time_page
from bench.scratch import admin_engine, scratch_platform

INSTITUTION = "mops-skarzysko-kamienna"
PAGES = {
    "first page, Polish name order": "sort=name",
    "first page, Polish name order, descending": "sort=name&dir=desc",
    "first page, by commune": "sort=commune",
    "search 'KOWALSKA' (upper case)": "q=KOWALSKA",
    "search 'dabrowska' (finds Dąbrowska)": "q=dabrowska",
    "search 'zajac' (finds Zając)": "q=zajac",
    "search 'STEPIEN' (finds Stępień)": "q=STEPIEN",
    "search two words 'anna WOZ'": "q=anna+WOZ",
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_bench")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep-db", default=None)
    args = parser.parse_args()

    from regionet.platform.demo.seed import institution_login
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.participants.models import Participant

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        app = scratch.app
        with app.app_context():
            tenant = db.session.execute(select(Institution.id).where(Institution.slug == INSTITUTION)).scalar_one()
            with tenant_scope(tenant):
                filled = db.session.execute(select(func.count()).select_from(Participant)).scalar_one()
            db.session.remove()
        if filled < 20000:
            generate.main(["--database-url", scratch.owner_url, "--fill", INSTITUTION, "--participants", "20000",
                           "--episodes", "20000", "--outcomes", "5000"])
        with admin_engine(scratch.name).connect() as conn:
            conn.execute(text("ANALYZE participants"))
            total = conn.execute(text("SELECT count(*) FROM participants WHERE tenant_id = :t"), {"t": tenant}).scalar()
            plan = "\n".join(conn.execute(text(
                "EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM participants WHERE tenant_id = :t "
                "AND search_text LIKE '%dabrowska%'"), {"t": tenant}).scalars())
        client = app.test_client()
        sign_in(client, app, institution_login(INSTITUTION, "staff", 1))
        print(f"participant list of {INSTITUTION}: {total:,} participants, {args.requests} requests each, in-process")
        print(f"{'page':<46} {'median':>9} {'p95':>9}  found")
        for label, query in PAGES.items():
            url = f"/i/{INSTITUTION}/participants/?{query}&per_page=50"
            median, p95 = time_page(client, url, args.requests)
            found = re.search(r"z ([\d\u00a0 ]+)", client.get(url).get_data(as_text=True))
            print(f"{label:<46} {median:>6.1f} ms {p95:>6.1f} ms  "
                  f"{found.group(1).strip() if found else '?'}")
        print("\nplan of a search (the word folded by the database first, as the list does):")
        print(plan)


if __name__ == "__main__":
    main()
