"""No input makes a 500: Hypothesis over every route's query parameters and form fields.

The routes come from the URL map (tests/route_world.py fills in real objects); the parameter
names from the platform's own pages: every form (its fields and their current values) and every
link to the route, plus the names every list reads. Each route is asked with generated values:
NUL and other control characters, bytes that are not UTF-8, right-to-left marks, numbers too
large for the database, impossible dates, very long text; a form keeps the values its page shows
and gets generated values in some fields, so the views run past their first check. Signed in as
the admin of a seeded institution (every workspace route), the regional coordinator and the
platform operator. A 500 (or an exception) fails the test with the smallest request that makes it.

The examples are the same on every run (derandomized, so the suite is stable); FUZZ_RANDOM=1
draws new ones and FUZZ_EXAMPLES=N asks each route N times, to search further by hand.
"""
import io
import os
from collections import defaultdict
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from .practices_support import clean_region_tables  # noqa: F401  (an autouse fixture)
from .route_world import build_world, urls_of
from .test_isolation import TENANT_A

pytestmark = pytest.mark.slow

COMMON_QUERY = ["q", "sort", "dir", "page", "per_page", "next", "lang", "fmt", "period", "status", "action"]
NOT_FUZZED = {"/logout"}     # signs the fuzzing user out: asked once at the end instead
GET_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 25))
POST_EXAMPLES = max(1, GET_EXAMPLES * 2 // 5)
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
# Values a page must cope with (they pass the request guard and reach the views) ...
ODD = ["", "0", "-1", "1.5", "99999999999999999999999", "-9223372036854775809", "1e309", "NaN", "9999-99-99",
       "0000-00-00", "2024-02-30", "31.02.2024", "0001-01-01", "9999-12-31", "2026Q5", "2026-H3", "../../etc/passwd",
       "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\", "\u202e", "\ufeff", "\U0001f600", "a" * 400,
       "ą" * 900, "00000000-0000-0000-0000-000000000000", "true", "[]", "{}", "null", "csv", "xlsx", "asc", "desc"]
odd = st.one_of(
    st.sampled_from(ODD),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.dates().map(lambda day: day.isoformat()),
)
# ... and values the request guard refuses (NUL and other control characters, bytes that are not UTF-8).
hostile = st.one_of(
    st.sampled_from(["\x00", "a\x00b", "\r\nX-Injected: 1", "\x0b", "\x7f"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.binary(min_size=1, max_size=6),
)
scalars = st.one_of(odd, odd, hostile)


def encode(pairs) -> str:
    return "&".join(f"{quote(_bytes(k), safe='')}={quote(_bytes(v), safe='')}" for k, v in pairs)


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


class Surface:
    """What the pages a user sees say about each route: query names, forms (fields and values)."""

    def __init__(self):
        self.query = defaultdict(set)
        self.forms = defaultdict(dict)   # path -> {field: value}
        self.files = defaultdict(set)    # path -> file field names

    def read(self, page_url: str, html: str) -> None:
        try:
            document = lxml.html.fromstring(html)
        except (ValueError, lxml.etree.ParserError):
            return
        for link in document.xpath("//a[@href]"):
            target = urlsplit(urljoin(page_url, link.get("href")))
            self.query[target.path].update(name for name, _v in parse_qsl(target.query, keep_blank_values=True))
        for form in document.xpath("//form"):
            target = urlsplit(urljoin(page_url, form.get("action") or page_url)).path
            if (form.get("method") or "get").lower() == "get":
                self.query[target].update(f.get("name") for f in form.xpath(".//*[@name]"))
                continue
            fields = self.forms[target]
            for element in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
                name = element.get("name")
                if element.get("type") == "file":
                    self.files[target].add(name)
                elif element.tag == "select":
                    chosen = element.xpath(".//option[@selected]/@value") or element.xpath(".//option/@value")
                    fields.setdefault(name, chosen[0] if chosen else "")
                elif element.get("type") in ("checkbox", "radio"):
                    if element.get("checked") is not None:
                        fields.setdefault(name, element.get("value") or "y")
                elif element.tag == "textarea":
                    fields.setdefault(name, element.text or "")
                else:
                    fields.setdefault(name, element.get("value") or "")
            fields.pop("csrf_token", None)


def _fuzz_route(client, method: str, url: str, surface: Surface, failures: list) -> None:
    path = urlsplit(url).path
    query_names = sorted(n for n in surface.query[path] | set(COMMON_QUERY) if n)
    form = surface.forms.get(path, {})
    form_names = sorted(form) or COMMON_QUERY
    file_names = sorted(surface.files.get(path, ()))

    def ask(query, fields, uploads):
        target = f"{url}?{encode(query)}" if query else url
        try:
            response = send(target, fields, uploads)
        except Exception as error:   # the test app propagates what would be a 500
            failures.append(f"{method} {target[:300]} {fields!r:.300} -> {type(error).__name__}: {error!s:.300}")
            raise AssertionError(failures[-1]) from error
        if response.status_code >= 500 and not (path == "/readyz" and response.status_code == 503):
            failures.append(f"{method} {target[:300]} {fields!r:.300} -> {response.status_code}")
            raise AssertionError(failures[-1])

    def send(target, fields, uploads):
        if method == "GET":
            response = client.get(target)
        elif uploads:
            data = {name: value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    for name, value in fields}
            data.update({name: (io.BytesIO(content), filename) for name, (content, filename) in uploads.items()})
            response = client.post(target, data=data, content_type="multipart/form-data")
        else:
            response = client.post(target, data=encode(fields), content_type="application/x-www-form-urlencoded")
        return response

    if method == "GET":
        @settings(max_examples=GET_EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                  suppress_health_check=list(HealthCheck))
        @given(st.fixed_dictionaries({}, optional={name: scalars for name in query_names}))
        def run(query):
            ask(list(query.items()), [], {})
    else:
        changes = st.dictionaries(st.sampled_from(form_names), scalars, max_size=4)
        uploads = st.dictionaries(st.sampled_from(file_names), st.tuples(st.binary(max_size=300), st.text(
            st.characters(blacklist_categories=("Cs",)), max_size=30)), max_size=len(file_names)) \
            if file_names else st.just({})

        @settings(max_examples=POST_EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                  suppress_health_check=list(HealthCheck))
        @given(st.lists(st.tuples(st.sampled_from(query_names), scalars), max_size=1), changes, uploads)
        def run(query, changed, files):
            fields = [(name, changed.get(name, value)) for name, value in form.items()]
            fields += [(name, value) for name, value in changed.items() if name not in form]
            ask(query, fields, files)

    try:
        run()
    except AssertionError:
        pass   # the smallest failing request is in `failures` (the last one recorded for the route)


def _fuzz_area(client, app, world, area: str) -> list[str]:
    routes = (urls_of(app, world, area) if area else []) + urls_of(app, world, "public")
    surface = Surface()
    for rule, url in routes:   # what the pages show: forms, their values, the links
        if "GET" in rule.methods:
            response = client.get(url)
            if response.mimetype == "text/html":
                surface.read(url, response.get_data(as_text=True))
    failures, seen = [], set()
    # Reading first, deleting last: the objects stay there for the other routes as long as possible.
    ordered = sorted(routes, key=lambda item: ("delete" in item[1] or "discard" in item[1], item[1]))
    for rule, url in ordered:
        if urlsplit(url).path in NOT_FUZZED:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            if (method, url) in seen:
                continue
            seen.add((method, url))
            before = len(failures)
            _fuzz_route(client, method, url, surface, failures)
            del failures[before:-1]   # keep the smallest failing example of this route
    return failures


@pytest.fixture
def platform_rows_restored(app, pg_database):
    """The operator's forms may create regions, institutions and accounts: removed afterwards."""
    engine = create_engine(pg_database["admin"])
    with engine.connect() as conn:
        users = conn.execute(text("SELECT coalesce(max(id), 0) FROM users")).scalar_one()
        institutions = conn.execute(text("SELECT coalesce(max(id), 0) FROM institutions")).scalar_one()
        regions = set(conn.execute(text("SELECT teryt_code FROM regions")).scalars())
    yield
    from .conftest import truncate_tenant_tables

    truncate_tenant_tables(app, pg_database["admin"])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM memberships WHERE user_id > :u OR institution_id > :i"),
                     {"u": users, "i": institutions})
        for table in ("region_coordinators", "tenant_tallies"):
            if conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar_one():
                column = "user_id" if table == "region_coordinators" else "tenant_id"
                bound = users if column == "user_id" else institutions
                conn.execute(text(f"DELETE FROM {table} WHERE {column} > :b"), {"b": bound})
        conn.execute(text("DELETE FROM users WHERE id > :u"), {"u": users})
        conn.execute(text("DELETE FROM institutions WHERE id > :i"), {"i": institutions})
        new_regions = set(conn.execute(text("SELECT teryt_code FROM regions")).scalars()) - regions
        for code in new_regions:
            conn.execute(text("DELETE FROM regions WHERE teryt_code = :c"), {"c": code})
    engine.dispose()


def test_no_query_parameter_or_form_field_makes_a_500(app, client, auth, platform_rows_restored):
    world = build_world(app)
    failures = []
    auth.login_as(TENANT_A, "admin")
    failures += _fuzz_area(client, app, world, "tenant")
    auth.logout()
    auth.login_coordinator()
    failures += _fuzz_area(client, app, world, "coordinator")
    auth.logout()
    auth.login_operator()
    failures += _fuzz_area(client, app, world, "operator")
    auth.logout()
    failures += _fuzz_area(client, app, world, "")   # signed out: sign-in, language, health, accessibility
    assert client.post("/logout").status_code < 500
    assert not failures, "\n".join(failures)
