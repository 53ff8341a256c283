"""Shared agreements at scale: each institution's agreement list, overview and calendar when the demo
region holds many agreements, each shared with another institution of the region (issue 16, point 3).

Fills a scratch database (bench/scratch.py: migrated, demo region seeded) with synthetic agreements
between the demo institutions: the owner and one other institution as platform parties (the other in
the agreement's party set, half of them confirmed) and an outside organisation by name; validity
spread over four years. Then requests each page in-process (Flask test client, the whole page: the
party-set criterion, row-level security as the runtime role, template) and prints the median and 95th
percentile per request.

    .venv/bin/python -m bench.agreements_bench [--agreements 20000] [--requests 30] [--keep-db NAME]
"""
import argparse

from sqlalchemy import text

from bench.referrals_bench import _sign_in, _time
from bench.scratch import admin_engine, scratch_platform

FILL = """
WITH inst AS (SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total
              FROM institutions WHERE region_code = (SELECT region_code FROM institutions
                                                     WHERE slug = 'mops-skarzysko-kamienna')),
     wanted AS (SELECT g, gen_random_uuid() AS id FROM generate_series(1, :n) g),
     chosen AS (SELECT w.g, w.id, o.id AS owner, o.name AS owner_name, p.id AS party, p.name AS party_name
                FROM wanted w JOIN inst o ON o.n = w.g % o.total
                JOIN inst p ON p.n = (w.g * 7 + 1) % p.total WHERE p.id <> o.id),
     a AS (INSERT INTO agreements (tenant_id, id, title, kind, scope, valid_from, valid_to)
           SELECT owner, id, 'Porozumienie ' || g, 'cooperation', 'Współpraca', current_date - (g % 1000),
                  CASE WHEN g % 5 = 0 THEN NULL ELSE current_date - (g % 1000) + 365 END FROM chosen RETURNING 1),
     p AS (INSERT INTO agreement_parties (tenant_id, id, agreement_id, position, institution_id, name, confirmed_at)
           SELECT owner, gen_random_uuid(), id, 0, owner, owner_name, now() FROM chosen
           UNION ALL
           SELECT owner, gen_random_uuid(), id, 1, party, party_name, CASE WHEN g % 2 = 0 THEN now() END FROM chosen
           RETURNING 1),
     s AS (INSERT INTO shared_parties (tenant_id, id, party_set_id, institution_id)
           SELECT owner, gen_random_uuid(), id, party FROM chosen RETURNING 1)
SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM p), (SELECT count(*) FROM s)
"""
PAGES = {
    "PUP: agreements, first page": ("pup-skarzysko-kamienna", "/agreements/"),
    "PUP: agreements awaiting confirmation": ("pup-skarzysko-kamienna", "/agreements/?confirmation=awaiting"),
    "PUP: agreements searched by party name": ("pup-skarzysko-kamienna", "/agreements/?q=miejski"),
    "MOPS: agreements, first page": ("mops-skarzysko-kamienna", "/agreements/"),
    "MOPS: home page (agreements ending)": ("mops-skarzysko-kamienna", "/"),
    "MOPS: calendar (agreements ending)": ("mops-skarzysko-kamienna", "/calendar/"),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.agreements_bench")
    parser.add_argument("--agreements", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep-db", default=None)
    args = parser.parse_args()

    from regionet.platform.demo.seed import institution_login

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        with admin_engine(scratch.name).connect() as conn:
            if not scratch.reused:
                conn.execute(text(FILL), {"n": args.agreements})
                conn.commit()
            for table in ("agreements", "agreement_parties", "shared_parties"):
                conn.execute(text(f"ANALYZE {table}"))
            total = conn.execute(text("SELECT count(*) FROM agreements")).scalar_one()
            pup = conn.execute(text("SELECT count(*) FROM shared_parties s JOIN institutions i ON i.id = s.institution_id"
                                    " WHERE i.slug = 'pup-skarzysko-kamienna'")).scalar_one()
        app = scratch.app
        print(f"{total:,} agreements in the demo region ({pup:,} shared with the PUP); "
              f"{args.requests} requests per page, in-process")
        print(f"{'page':<44} {'median':>9} {'p95':>9}")
        for label, (slug, path) in PAGES.items():
            client = app.test_client()
            _sign_in(client, app, institution_login(slug, "staff", 1))
            median, p95 = _time(client, f"/i/{slug}{path}", args.requests)
            print(f"{label:<44} {median:>6.1f} ms {p95:>6.1f} ms")


if __name__ == "__main__":
    main()
