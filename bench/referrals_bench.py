"""Referral pages at scale: the inboxes, the top bar's count and the coordinator's referral figures
with 20,000 referrals in the demo region (issue 15).

Fills a scratch database (bench/scratch.py: migrated, demo region seeded, its catalogue and demo
referrals included) with synthetic referrals between the demo institutions' people and the region's
published services (states, dates over 400 days), then requests each page in-process (Flask test
client, the whole page: sign-in check, tenant scope, queries, template, access trail) and prints the
median and 95th percentile per request.

    .venv/bin/python -m bench.referrals_bench [--referrals 20000] [--requests 30] [--keep-db NAME]
"""
from bench.page_timing import arguments, filled_platform, print_page_times, staff_pages

FILL = """
WITH people AS (SELECT tenant_id, id, row_number() OVER (ORDER BY tenant_id, id) - 1 AS n,
                       count(*) OVER () AS total FROM participants),
     services AS (SELECT tenant_id, id, name, referral_basis, accept_within_days,
                         row_number() OVER (ORDER BY tenant_id, id) - 1 AS n, count(*) OVER () AS total
                  FROM catalogue_services WHERE published),
     wanted AS (SELECT g, g % 8 AS k, g % 400 AS age FROM generate_series(1, :n) g)
INSERT INTO referrals (tenant_id, id, receiver_tenant_id, participant_id, service_id, service_name, state, urgency,
                       reason, payload, legal_basis, due_on, sent_at, accepted_at, started_on, result)
SELECT p.tenant_id, gen_random_uuid(), s.tenant_id, p.id, s.id, s.name,
       (ARRAY['sent','received','accepted','declined','started','completed','closed','withdrawn'])[1 + w.k],
       'normal', 'bench', '{}'::json, s.referral_basis, current_date - w.age + s.accept_within_days,
       now() - make_interval(days => w.age),
       CASE WHEN w.k IN (2, 4, 5, 6) THEN now() - make_interval(days => w.age) + interval '2 days' END,
       CASE WHEN w.k IN (4, 5, 6) THEN current_date - w.age + 7 END,
       CASE WHEN w.k IN (5, 6) THEN 'employment_contract' END
FROM wanted w
JOIN people p ON p.n = w.g % p.total
JOIN services s ON s.n = (w.g * 7) % s.total
WHERE s.tenant_id <> p.tenant_id
"""
TENANT_PAGES = {
    "PUP: incoming referrals, first page": ("pup-skarzysko-kamienna", "/referrals/"),
    "PUP: incoming, waiting too long": ("pup-skarzysko-kamienna", "/referrals/?waiting=overdue"),
    "MOPS: outgoing referrals, first page": ("mops-skarzysko-kamienna", "/referrals/outgoing"),
    "MOPS: services of the region": ("mops-skarzysko-kamienna", "/services/"),
    "MOPS: home page (top bar count)": ("mops-skarzysko-kamienna", "/"),
}


def main() -> None:
    args = arguments("python -m bench.referrals_bench", "--referrals", 20000)

    from regionet.platform.demo.seed import demo_login

    with filled_platform(args.keep_db, FILL, args.referrals, ("referrals",),
                         ("SELECT count(*) FROM referrals",)) as (scratch, (total,)):
        print(f"{total:,} referrals in the demo region; {args.requests} requests per page, in-process")
        print_page_times(scratch.app, {**staff_pages(TENANT_PAGES), "coordinator: referral figures (8 tables)": (
            demo_login("koordynator.rops"), "/r/swietokrzyskie/referrals")}, args.requests)


if __name__ == "__main__":
    main()
