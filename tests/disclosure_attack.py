"""The outside attacker of issue 11: a region's world, every table a coordinator can download, and
the integer program that works hidden cells out of them.

`attack_world(app)` seeds two years of records in the demo institutions, built so that a
table-by-table protection gives cells away: a commune alone with its county, a quarter left
alone in its half-year, one man with a disability in a row of zeros, small groups everywhere.

`download_everything(app, client, years)` fetches, as the coordinator and over HTTP, every CSV
the coordinator's pages offer for every calendar period of `years`: the dashboard's sections,
every measure by every dimension, every offered cross-table and the trends. Each CSV is read
back into cells keyed as region_figures keys them, with the builder that made it saying what
each row and column counts (`FigureTable.row_dim`, `column_keys`).

`attack(published, hidden, app)` is the attacker: what it knows is what was downloaded and
the public structure (TERYT codes, the institutions' types and places, the calendar), and it
computes, for each hidden cell, the smallest and largest value consistent with all of it.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from regionet.platform.coordinator import tables
from regionet.platform.coordinator.dimensions import MEASURES
from regionet.platform.coordinator.disclosure import SUPPRESSED_MARK, TOTAL
from regionet.platform.coordinator.figure_links import _key, linked_set
from regionet.platform.coordinator.linked import audit
from regionet.platform.coordinator.patterns import _places
from regionet.platform.coordinator.periods import periods_of_year
from regionet.platform.coordinator.selection import DASHBOARD, dashboard_table
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region

from .coordinator_data import Person, add_people

SLUG = "swietokrzyskie"
MOPS, PUP, OWES, MOPR, GOPS = ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce", "mopr-kielce",
                               "gops-blizyn")
SKARZYSKO, BLIZYN, KIELCE = "2610011", "2610022", "2661011"
MASLOW, PIEKOSZOW, STRAWCZYN, MORAWICA = "2604092", "2604143", "2604182", "2604123"


def _people(prefix: str, n: int, year: int, *, commune: str, month: int = 2, sex: str = "female",
            birth: date = date(1980, 5, 14), disability: str = "no", episodes=None, outcomes=None,
            exit_month: int | None = None) -> list[Person]:
    result = []
    for i in range(n):
        result.append(Person(
            f"{prefix}{i}", "Testowa", pesel=None, sex=sex, birth=birth, disability=disability, commune=commune,
            entry=date(year, month, 1), exit=date(year, exit_month, 28) if exit_month else None,
            episodes=list(episodes if episodes is not None else [("internship", date(year, month, 10))]),
            outcomes=list(outcomes or [])))
    return result


def attack_world(app, years: tuple[int, int]) -> None:
    """Two years of records; each line below plants a cell a table-by-table protection gives away."""
    first, second = years
    people = {MOPS: [], PUP: [], OWES: [], MOPR: [], GOPS: []}
    for year in years:
        # Kielce county (powiat kielecki, 2604) around a city: Morawica is large, Masłów, Piekoszów and
        # Strawczyn have one person each, and the other communes of the county none (printed 0).
        people[MOPR] += _people(f"Mor{year}", 12, year, commune=MORAWICA, month=3)
        people[MOPR] += _people(f"Mas{year}", 1, year, commune=MASLOW, month=4, sex="male")
        people[MOPR] += _people(f"Pie{year}", 1, year, commune=PIEKOSZOW, month=5)
        people[MOPR] += _people(f"Str{year}", 1, year, commune=STRAWCZYN, month=9, birth=date(1960, 1, 5))
        people[MOPR] += _people(f"Kie{year}", 14, year, commune=KIELCE, month=2, sex="male", exit_month=10,
                                outcomes=[("employment_contract", date(year, 11, 5))])
        # Skarżysko: the MOPS and the PUP share the town; Bliżyn is small.
        people[MOPS] += _people(f"Ska{year}", 9, year, commune=SKARZYSKO, month=1)
        people[MOPS] += _people(f"Skm{year}", 4, year, commune=SKARZYSKO, month=7, sex="male",
                                birth=date(1995, 3, 3))
        people[GOPS] += _people(f"Bli{year}", 4, year, commune=BLIZYN, month=2, disability="refused")
        people[PUP] += _people(f"Pup{year}", 8, year, commune=SKARZYSKO, month=4, sex="male",
                               episodes=[("vocational_course", date(year, 4, 20))], exit_month=8,
                               outcomes=[("qualification", date(year, 8, 30))])
        # One man, 30-49, with a disability, employed after an internship, at the MOPS, in the first quarter.
        people[MOPS] += _people(f"Pro{year}", 1, year, commune=SKARZYSKO, month=1, sex="male",
                                birth=date(1985, 6, 1), disability="yes", exit_month=2,
                                outcomes=[("internship_to_job", date(year, 3, 10))])
    # OWES support episodes of the first year: 10 in the year, 9 in the second half, 7 in the third quarter.
    owes = _people("Owe", 1, first, commune=KIELCE, month=1, episodes=[("specialist_counselling", date(first, 2, 3))])
    owes += _people("Ow3", 7, first, commune=KIELCE, month=7,
                    episodes=[("specialist_counselling", date(first, 8, 3))])
    owes += _people("Ow4", 2, first, commune=KIELCE, month=10,
                    episodes=[("specialist_counselling", date(first, 11, 3))])
    people[OWES] += owes
    people[OWES] += _people("Ows", 5, second, commune=KIELCE, month=5, disability="yes",
                            episodes=[("disability_assistant", date(second, 5, 12))])
    with app.app_context():
        for slug, group in people.items():
            add_people(slug, group)


# --- downloading ------------------------------------------------------------------------------

@dataclass
class Download:
    published: dict = field(default_factory=dict)     # cell key -> value
    hidden: set = field(default_factory=set)
    conflicts: list = field(default_factory=list)     # a cell printed in one table and hidden (or other) in another
    tables: int = 0

    def see(self, key, text: str, where: str) -> None:
        value = None if text == SUPPRESSED_MARK else int(text)
        if value is None:
            if key in self.published:
                self.conflicts.append((key, where, "hidden here, printed elsewhere"))
            self.hidden.add(key)
            return
        if key in self.hidden:
            self.conflicts.append((key, where, "printed here, hidden elsewhere"))
        if self.published.setdefault(key, value) != value:
            self.conflicts.append((key, where, f"{value} here, {self.published[key]} elsewhere"))


def _requests():
    """(table builder, export URL) of every table a coordinator can download for a period."""
    for section in DASHBOARD:
        yield (lambda sel, sid=section.id: dashboard_table(sel, sid)), f"export/{section.id}.csv"
    for measure, spec in MEASURES.items():
        for dim in spec.dims:
            if measure in ("exits", "employed"):
                yield (lambda sel, d=dim: tables.employment_table(sel, d)), f"export/explore.csv?measure={measure}&rows={dim}"
            else:
                yield ((lambda sel, m=measure, d=dim: tables.one_way_table(sel, m, d)),
                       f"export/explore.csv?measure={measure}&rows={dim}")
        for row_dim, col_dim in spec.offered:
            yield ((lambda sel, m=measure, a=row_dim, b=col_dim: tables.cross_table(sel, m, a, b)),
                   f"export/explore.csv?measure={measure}&rows={row_dim}&cols={col_dim}")


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _read(download: Download, table: "tables.FigureTable", rows: list[list[str]], period: str, where: str) -> None:
    header = [table.row_header] + [str(c) for c in table.columns]
    start = rows.index(header) + 1
    lines = table.rows + ([table.total] if table.total is not None else [])
    for line, printed in zip(lines, rows[start:start + len(lines)], strict=True):
        assert printed[0] == line.label, (where, printed[0], line.label)
        for column, text in zip(table.column_keys, printed[1:], strict=True):
            if column is None or text == "":
                continue
            measure, col_dim, col_key = column
            if table.row_dim == "period":
                key = (line.key, measure, "", "", "", "")
            elif line.key == TOTAL:
                key = _key(period, measure, (col_dim, col_key), ("", ""))
            else:
                key = _key(period, measure, (table.row_dim, line.key), (col_dim, col_key))
            download.see(key, text, where)
    download.tables += 1


def download_everything(app, client, years: list[int]) -> Download:
    download = Download()
    with app.app_context():
        region = db.session.execute(db.select(Region).where(Region.slug == SLUG)).scalar_one()
        for year in years:
            for period in periods_of_year(year):
                sel = tables.Selection.load(region, period, "all")
                for builder, url in _requests():
                    table = builder(sel)
                    sep = "&" if "?" in url else "?"
                    response = client.get(f"/r/{SLUG}/{url}{sep}period={period.key}")
                    assert response.status_code == 200, (url, response.status_code, response.location)
                    _read(download, table, _rows(response.data), period.key, f"{url} {period.key}")
        from regionet.platform.coordinator import queries
        from regionet.platform.coordinator.periods import year_period
        from regionet.platform.coordinator.views import _trend_years

        shown = _trend_years(queries.figure_statuses("26"), year_period(years[-1]))
        for unit in tables.GRANULARITIES:
            table = tables.trend_table(region, shown, unit)
            response = client.get(f"/r/{SLUG}/export/trend--{unit}.csv?period={years[-1]}")
            _read(download, table, _rows(response.data), "", f"trend {unit}")
    return download


# --- the attacker -------------------------------------------------------------------------------

def attack(app, download: Download, years: list[int]) -> dict:
    """{hidden cell: (lowest, highest)} over everything downloaded, year by year."""
    ranges: dict = {}
    with app.app_context():
        region = db.session.get(Region, "26")
        places = _places("26")
        for year in years:
            members = periods_of_year(year)
            keys = {p.key for p in members}
            cells = {k: v for k, v in download.published.items() if k[0] in keys}
            cells.update({k: None for k in download.hidden if k[0] in keys})
            ls = linked_set(cells, members, places, region.suppression_threshold, region.sensitive_threshold)
            ranges.update(audit(ls, {k for k in download.hidden if k[0] in keys}))
    return ranges
