"""What the in-process page benchmarks share (bench/referrals_bench.py, bench/agreements_bench.py, and
the sign-in of bench/daily_work_bench.py, bench/search_bench.py, bench/profile_pages.py and
bench/explain_list.py): the command line, a scratch platform (bench/scratch.py)
filled once by one SQL statement, signing in through the real form, and the median and 95th
percentile of a page's requests printed as one row."""
import argparse
import re
import statistics
import time
from contextlib import contextmanager

from sqlalchemy import select, text

from bench.loadgen import percentile
from bench.scratch import DEMO_PASSWORD, admin_engine, scratch_platform


def arguments(prog: str, count_option: str, default: int) -> argparse.Namespace:
    """`count_option` (how many synthetic rows to fill), --requests per page and --keep-db NAME."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument(count_option, type=int, default=default)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep-db", default=None)
    return parser.parse_args()


@contextmanager
def filled_platform(keep_db: str | None, fill: str, count: int, analyse: tuple[str, ...], figures: tuple[str, ...]):
    """A scratch platform with `fill` run once (`:n` = `count`; a kept database from an earlier run is
    already filled) and the `analyse` tables analysed. Yields it with the results of the `figures`
    queries (one number each), read after the fill."""
    with scratch_platform(keep_db, keep=bool(keep_db)) as scratch:
        with admin_engine(scratch.name).connect() as conn:   # autocommit
            if not scratch.reused:
                conn.execute(text(fill), {"n": count})
            for table in analyse:
                conn.execute(text(f"ANALYZE {table}"))
            numbers = [conn.execute(text(query)).scalar_one() for query in figures]
        yield scratch, numbers


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def totp_secret_of(app, login: str) -> str | None:
    """A demo account's authenticator secret (the demo seed gives administrators and coordinators one)."""
    from regionet.platform.accounts.models import User
    from regionet.platform.accounts.second_factor import SecondFactor
    from regionet.platform.extensions import db

    with app.app_context():
        secret = db.session.execute(select(SecondFactor.secret).join(User, User.id == SecondFactor.user_id)
                                    .where(User.email == login)).scalar_one_or_none()
        db.session.remove()
        return secret


def sign_in(client, app, login):
    """The real form, in-process (Flask test client); the code of the account's second factor when it
    has one. (bench/workspace_bench.py signs in over HTTP.)"""
    import pyotp

    response = client.post("/login", data={"email": login, "password": DEMO_PASSWORD,
                                           "csrf_token": csrf_token(client.get("/login").get_data(as_text=True))})
    location = response.headers.get("Location", "")
    if "second-factor" in location:
        page = client.get(location).get_data(as_text=True)
        client.post(location, data={"code": pyotp.TOTP(totp_secret_of(app, login)).now(),
                                    "csrf_token": csrf_token(page)})


def time_page(client, url, requests):
    """Median and 95th percentile (ms) of `requests` GETs of `url`, after one warm-up."""
    assert client.get(url).status_code == 200, url   # warm-up
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times), percentile(times, 95)


def staff_pages(pages: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """{label: (institution slug, path)} -> {label: (the institution's first staff login, its address)}."""
    from regionet.platform.demo.seed import institution_login

    return {label: (institution_login(slug, "staff", 1), f"/i/{slug}{path}") for label, (slug, path) in pages.items()}


def print_page_times(app, pages: dict[str, tuple[str, str]], requests: int) -> None:
    """One row a page, {label: (login, address)}: each signed in afresh."""
    print(f"{'page':<44} {'median':>9} {'p95':>9}")
    for label, (login, url) in pages.items():
        client = app.test_client()
        sign_in(client, app, login)
        median, p95 = time_page(client, url, requests)
        print(f"{label:<44} {median:>6.1f} ms {p95:>6.1f} ms")
