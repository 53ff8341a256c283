"""Who may see the coordinator's pages, and what they can never show.

The crawl signs in as the coordinator, follows every link reachable from the
coordinator's home (pages, breakdowns, every export, periods, submissions) and fails
if any seeded participant's name, PESEL, pseudonym or record id appears anywhere,
including inside the XLSX files.
"""
import io
import re
import zipfile
from collections import deque
from datetime import date
from html import unescape
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import select

from regionet.platform.accounts.services import do_ensure_user, do_make_coordinator
from regionet.platform.extensions import db
from regionet.platform.institutions.services import do_create_institution
from regionet.platform.regions.services import do_create_region
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant

from .conftest import DEMO_PASSWORD
from .coordinator_data import (  # noqa: F401 (fixture)
    Person,
    add_people,
    clean_region_tables,
    institution_id,
    refresh_figures,
)
from .helpers import fast_password_hashing

YEAR = today_in_poland().year
BASE = "/r/swietokrzyskie"
MOPS, PUP, OWES = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce"

SEEDED = [  # distinctive names that appear nowhere else in the product
    ("Zdzisława", "Wielgoszewska", "67031512348"), ("Bogumił", "Trzcińsky-Ołdak", "71122301235"),
    ("Eulalia", "Przybyłkiewicz", "85092809876"), ("Radosław", "Szczęsnowicz", "93010154321"),
    ("Genowefa", "Kwiatuszkowa", "58070711119"), ("Hieronim", "Dziędzielewski", None),
    ("Scholastyka", "Bąbelkowska", "01270312340"), ("Teofil", "Mrówczyński", "66060606066"),
]


def _seed(app) -> list[str]:
    """People at three institutions (some at two), a reporting period with every state; returns forbidden strings."""
    people = [Person(first, last, pesel=pesel, sex="female" if i % 3 else "male", disability="yes" if i == 2 else "no",
                     entry=date(YEAR, 1 + i % 5, 3), exit=date(YEAR, 6, 20) if i % 2 else None,
                     outcomes=[("employment_contract", date(YEAR, 7, 1))] if i % 2 else [],
                     episodes=[("internship", date(YEAR, 2, 1)), ("social_contract", date(YEAR, 3, 1))])
              for i, (first, last, pesel) in enumerate(SEEDED)]
    with app.app_context():
        ids = add_people(MOPS, people) + add_people(PUP, people[:5]) + add_people(OWES, people[3:])
        pseudonyms = []
        for slug in (MOPS, PUP, OWES):
            with tenant_scope(institution_id(slug)):
                pseudonyms += [p for p in db.session.execute(select(Participant.pseudonym)).scalars() if p]
    forbidden = [s for first, last, pesel in SEEDED for s in (first, last, pesel) if s]
    forbidden += pseudonyms + [p[:16] for p in pseudonyms]
    forbidden += [str(i) for i in ids] + [i.hex for i in ids]
    return forbidden


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def _links(html: str, path: str, query: dict) -> list[str]:
    """Every link, plus the choices of the GET forms: on the dashboard a period of each kind
    (with and without "accepted data only"), in the explorer every measure, every row
    breakdown and, for a measure's first row breakdown, every column breakdown; every network table."""
    # The calendar's previous and next months lead on without end: the current month is crawled.
    found = [unescape(h) for h in re.findall(r'href="([^"#]+)', html) if "?month=" not in h]

    def options(name):
        block = re.search(rf'<select id="{name}" name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
        return re.findall(r'<option value="([^"]*)"', block.group(1)) if block else []

    if path == f"{BASE}/" and "period" not in query:
        periods = options("period")
        chosen = [p for p in periods if p.startswith("rp-")] + [str(YEAR), f"{YEAR}-H1", f"{YEAR}-Q1"]
        for period in chosen:
            found += [f"{BASE}/?period={period}", f"{BASE}/?period={period}&scope=accepted"]
    if path == f"{BASE}/explore":
        found += [f"{BASE}/explore?measure={m}" for m in options("measure")]
        found += [f"{BASE}/explore?table={t}" for t in options("table") if t]     # the network's tables
        measure = query.get("measure", "people")
        rows = options("rows")
        found += [f"{BASE}/explore?measure={measure}&rows={r}" for r in rows]
        if rows and query.get("rows", rows[0]) == rows[0] and "cols" not in query:
            found += [f"{BASE}/explore?measure={measure}&rows={rows[0]}&cols={c}" for c in options("cols") if c]
    return found


def _crawl(client, start: str, limit: int = 2000) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if response.mimetype.endswith("sheet"):
            body = _xlsx_text(response.data)
        else:
            body = response.get_data(as_text=True)
        seen[url] = (response.status_code, body)
        if response.mimetype != "text/html":
            continue
        path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
        for target in _links(body, path, query):
            if target.startswith(BASE) and target not in seen:
                queue.append(target)
    return seen


def test_crawling_every_coordinator_page_and_export_reveals_no_person(app, client, auth):
    forbidden = _seed(app)
    auth.login_coordinator()
    response = client.post(f"{BASE}/periods", data={"name": "Okres kontrolny", "start_date": f"{YEAR}-01-01",
                                                     "end_date": f"{YEAR}-12-31"})
    period_id = response.location.rsplit("/", 1)[1]
    auth.logout()
    for slug in (MOPS, PUP):
        auth.login_as(slug, "staff")
        page = client.get(f"/i/{slug}/periods/").get_data(as_text=True)
        url = re.search(rf'href="(/i/{slug}/periods/[0-9a-f-]{{36}})"', page).group(1)
        client.post(url + "/submit")
        auth.logout()
    auth.login_coordinator()
    client.post(f"{BASE}/periods/{period_id}/institutions/{_id(app, PUP)}/return",
                data={"ret-comment": "Proszę uzupełnić dane."})
    client.post(f"{BASE}/periods/{period_id}/institutions/{_id(app, MOPS)}/accept", data={})
    with app.app_context():
        refresh_figures()

    pages = _crawl(client, f"{BASE}/")
    assert all(status == 200 for status, _body in pages.values()), \
        [url for url, (status, _b) in pages.items() if status != 200]
    exports = [u for u in pages if "/export/" in u]
    kinds = {"csv": 0, "xlsx": 0}
    for url in exports:
        kinds[url.split("?")[0].rsplit(".", 1)[1]] += 1
    assert kinds["csv"] >= 20 and kinds["xlsx"] >= 20, kinds
    assert any("/explore" in u and "cols=" in u for u in pages), "the explorer's cross-tables were crawled"
    assert any(f"/institutions/{_id(app, MOPS)}" in u for u in pages), "the submission pages were crawled"
    assert len(pages) > 100
    for url, (_status, body) in pages.items():
        leaked = [s for s in forbidden if s in body]
        assert not leaked, f"{url} shows {leaked}"
    # Every table is printed with its rule.
    for url, (_status, body) in pages.items():
        if "<table" in body and "/export/" not in url and (url.startswith(f"{BASE}/?") or "/explore" in url):
            assert "Tajemnica statystyczna" in body, url


def _coordinator_urls(app, period_id, institution) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("coordinator.") and rule.endpoint != "coordinator.static":
            values = {"region": "swietokrzyskie", "period_id": period_id, "institution_id": institution,
                      "table_id": "kinds", "fmt": "csv"}
            path = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, path))
    return urls


def test_staff_and_other_regions_coordinators_get_404_everywhere(app, client, auth):
    _seed(app)
    auth.login_coordinator()
    response = client.post(f"{BASE}/periods", data={"name": "Okres", "start_date": f"{YEAR}-01-01",
                                                     "end_date": f"{YEAR}-06-30"})
    period_id = response.location.rsplit("/", 1)[1]
    auth.logout()
    with app.app_context(), fast_password_hashing():
        region, _new = do_create_region("14")
        other, _new = do_ensure_user("koordynator.mazowsze@demo.regionet.example", "Marek Mazowiecki", DEMO_PASSWORD)
        do_make_coordinator(other, region.teryt_code)
        foreign, _new = do_create_institution(region_code="14", name="Miejski Ośrodek Pomocy Społecznej w Radomiu",
                                              short_name="MOPS Radom", kind="ops", teryt_code="1463011",
                                              slug="mops-radom")
        db.session.commit()
        foreign_id = foreign.id
    urls = _coordinator_urls(app, period_id, _id(app, MOPS))
    assert len(urls) >= 10

    auth.login_as(MOPS, "admin")
    for method, url in urls:
        assert client.open(url, method=method).status_code == 404, (method, url)
    auth.logout()

    auth.login("koordynator.mazowsze@demo.regionet.example")
    for method, url in urls:
        assert client.open(url, method=method).status_code == 404, (method, url)
    assert client.get("/r/mazowieckie/").status_code == 200
    assert client.get(f"/r/mazowieckie/periods/{period_id}").status_code == 404   # 26's period
    auth.logout()

    auth.login_coordinator()   # the right coordinator, but an institution of another region
    assert client.get(f"{BASE}/periods/{period_id}/institutions/{foreign_id}").status_code == 404
    assert client.post(f"{BASE}/periods/{period_id}/institutions/{foreign_id}/accept").status_code == 404
    assert client.get(f"{BASE}/export/nonsense.csv").status_code == 404
    assert client.get(f"{BASE}/export/kinds.pdf").status_code == 404


def _id(app, slug) -> int:
    with app.app_context():
        return institution_id(slug)
