"""Referral pages at scale: the inboxes, the top bar's count and the coordinator's referral figures
with 20,000 referrals in the demo region (issue 15).

Fills a scratch database (bench/scratch.py: migrated, demo region seeded, its catalogue and demo
referrals included) with synthetic referrals between the demo institutions' people and the region's
published services (states, dates over 400 days), then requests each page in-process (Flask test
client, the whole page: sign-in check, tenant scope, queries, template, access trail) and prints the
median and 95th percentile per request.

    .venv/bin/python -m bench.referrals_bench [--referrals 20000] [--requests 30] [--keep-db NAME]
"""
import argparse
import re
import statistics
import time

from sqlalchemy import text

from bench.scratch import DEMO_PASSWORD, admin_engine, scratch_platform

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


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _sign_in(client, app, login):
    """The real form; the code of the account's second factor when it has one (bench/workspace_bench.py)."""
    import pyotp

    from bench.workspace_bench import totp_secret_of

    response = client.post("/login", data={"email": login, "password": DEMO_PASSWORD,
                                           "csrf_token": _token(client.get("/login").get_data(as_text=True))})
    location = response.headers.get("Location", "")
    if "second-factor" in location:
        page = client.get(location).get_data(as_text=True)
        client.post(location, data={"code": pyotp.TOTP(totp_secret_of(app, login)).now(), "csrf_token": _token(page)})


def _time(client, url, requests):
    assert client.get(url).status_code == 200, url   # warm-up
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.referrals_bench")
    parser.add_argument("--referrals", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep-db", default=None)
    args = parser.parse_args()

    from regionet.platform.demo.seed import demo_login, institution_login

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        with admin_engine(scratch.name).connect() as conn:
            if not scratch.reused:
                conn.execute(text(FILL), {"n": args.referrals})
            conn.execute(text("ANALYZE referrals"))
            total = conn.execute(text("SELECT count(*) FROM referrals")).scalar_one()
        app = scratch.app
        print(f"{total:,} referrals in the demo region; {args.requests} requests per page, in-process")
        print(f"{'page':<44} {'median':>9} {'p95':>9}")
        for label, (slug, path) in TENANT_PAGES.items():
            client = app.test_client()
            _sign_in(client, app, institution_login(slug, "staff", 1))
            median, p95 = _time(client, f"/i/{slug}{path}", args.requests)
            print(f"{label:<44} {median:>6.1f} ms {p95:>6.1f} ms")
        client = app.test_client()
        _sign_in(client, app, demo_login("koordynator.rops"))
        median, p95 = _time(client, "/r/swietokrzyskie/referrals", args.requests)
        print(f"{'coordinator: referral figures (8 tables)':<44} {median:>6.1f} ms {p95:>6.1f} ms")


if __name__ == "__main__":
    main()
