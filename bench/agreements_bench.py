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
from bench.page_timing import arguments, filled_platform, print_page_times, staff_pages

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
    args = arguments("python -m bench.agreements_bench", "--agreements", 20000)
    with filled_platform(args.keep_db, FILL, args.agreements, ("agreements", "agreement_parties", "shared_parties"),
                         ("SELECT count(*) FROM agreements",
                          "SELECT count(*) FROM shared_parties s JOIN institutions i ON i.id = s.institution_id"
                          " WHERE i.slug = 'pup-skarzysko-kamienna'")) as (scratch, (total, pup)):
        print(f"{total:,} agreements in the demo region ({pup:,} shared with the PUP); "
              f"{args.requests} requests per page, in-process")
        print_page_times(scratch.app, staff_pages(PAGES), args.requests)


if __name__ == "__main__":
    main()
