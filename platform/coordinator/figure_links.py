"""The region's figures as one linked set per year (and per reporting period).

Everything the coordinator can see or download for a region is counted in `region_figures`
(coordinator/figures_sql.py): for every period, every measure by every offered dimension
and pair of dimensions. A reader who downloads all of it knows how those cells add up:

* hierarchies of places and institutions: commune ⊂ county ⊂ region (participants'),
  institution ⊂ its type, its county and its commune; institution commune/county/type ⊂
  region;
* every one-way table is the margin of every cross-table it takes part in, and the cross
  tables of a finer level add up to those of the coarser (commune × sex to county × sex);
* time: quarter ⊂ half-year ⊂ year, for the measures that add up over time (support
  episodes, outcomes, participations ended, employed); for people and participations a
  quarter is at most its half-year, which is at most the sum of its quarters (not by age
  band: the band is taken on each period's last day, so it moves between periods);
* measures: unique people never exceed participations (in one-way tables: a person's
  attributes in a cross-table may come from two records), employed never exceed
  participations ended (the employment table prints both);
* the region's network (dimensions.NETWORK_MEASURES): referrals by sending and receiving
  institution type, service type and county with their cross-tables, accepted, declined,
  started and completed never above sent; working groups and meetings by the types and
  counties taking part (overlapping rows), attendance and action items by institution type,
  present never above recorded, on time never above due. Their tables are linked to nothing
  of the participants' figures, but are protected in the same set, with the same periods.

`linked_set(cells, periods, places, thresholds)` writes that knowledge down as a
`linked.LinkedSet`; one set holds the seven calendar periods of a year (or one reporting
period), every measure, every breakdown and cross-table. Its protection
(`linked.protect_linked`) is the suppression pattern every output uses.

Keys are region_figures' own: (period_key, measure, dim_a, key_a, dim_b, key_b), dims in
stored order ("" for a one-way table's second dimension and for the grand total).
"""
from collections import defaultdict

from .dimensions import NETWORK_AT_MOST, NETWORK_DIMS, SENSITIVE_DIMS, SPECS, canonical_pair
from .figures_sql import ORDER
from .labels import FIXED_ORDER
from .linked import Line, LinkedSet

_RANK = {d: i for i, d in enumerate(ORDER + NETWORK_DIMS)}


def _key(period: str, measure: str, first: tuple, second: tuple) -> tuple:
    """A cell key with its two (dim, key) coordinates in stored order ('' coordinates last)."""
    coords = sorted((c for c in (first, second) if c[0]), key=lambda c: _RANK[c[0]])
    coords += [("", "")] * (2 - len(coords))
    return (period, measure, coords[0][0], coords[0][1], coords[1][0], coords[1][1])


def _parents(dim: str, key: str, places: dict) -> list[tuple]:
    """The coarser (dim, key) cells a category adds up into (("", "") is the whole region)."""
    if dim == "commune":
        return [("county", key[:4])]
    if dim == "institution":
        kind, teryt = places.get(key, (None, None))
        if kind is None:
            return [("", "")]
        return [("inst_kind", kind), ("inst_county", teryt[:4]),
                ("inst_commune", teryt if len(teryt) == 7 else "")]
    return [("", "")]


def _period_parents(periods) -> dict:
    """{period key: the key of the period it is a part of} within the set."""
    by_key = {p.key: p for p in periods}
    parents = {}
    for p in periods:
        if p.kind == "quarter":
            half = f"{p.year}-H{1 if p.start.month <= 6 else 2}"
            if half in by_key:
                parents[p.key] = half
        elif p.kind == "half" and str(p.year) in by_key:
            parents[p.key] = str(p.year)
    return parents


def _offered(measure: str, first: str, second: str) -> bool:
    if not first or not second:
        return True
    return canonical_pair(measure, first, second) is not None


def linked_set(cells: dict, periods, places: dict, normal: int, sensitive: int, *, over_time: bool = True) -> LinkedSet:
    """The linked set of `cells` (region_figures rows of `periods`: key -> value, None withheld).

    `places`: {institution id (str): (kind, TERYT code)} of the region's institutions.
    `over_time=False` leaves out the lines between periods (for periods counted from records
    as they stood at different moments, which need not add up: see patterns.do_protect_set).
    """
    cells = {key: value for key, value in cells.items()
             if key[1] in SPECS and _offered(key[1], key[2], key[4])}   # what is never published stays out
    _add_sensitive_zeros(cells)
    period_parent = _period_parents(periods)
    lines: dict = defaultdict(list)           # (total, axis) -> parts
    additive: dict = {}
    for key in list(cells):
        period, measure, dim_a, key_a, dim_b, key_b = key
        spec = SPECS.get(measure)
        if spec is None:
            continue
        if over_time and period in period_parent and "age_band" not in (dim_a, dim_b):
            # (age bands are taken on each period's last day: a quarter's bands need not add up to the year's)
            axis = ("time",)
            total = (period_parent[period],) + key[1:]
            lines[(total, axis)].append(key)
            additive[(total, axis)] = spec.additive_over_time
        coords = [(dim_a, key_a), (dim_b, key_b)]
        for i, (dim, category) in enumerate(coords):
            if not dim:
                continue
            other = coords[1 - i]
            for parent in _parents(dim, category, places):
                if not _offered(measure, parent[0], other[0]):
                    continue
                total = _key(period, measure, parent, other)
                lines[(total, (dim,))].append(key)
                additive[(total, (dim,))] = dim in spec.additive_dims
    result = [Line(total, tuple(sorted(parts)), additive[(total, axis)], axis[0])
              for (total, axis), parts in sorted(lines.items(), key=lambda item: repr(item[0]))]
    at_most = []
    for key in cells:
        period, measure = key[0], key[1]
        larger = {"people": "participations", "employed": "exits", **NETWORK_AT_MOST}.get(measure)
        if measure == "people" and key[4]:
            continue     # a person's attributes come from several records: only one-way tables compare
        if larger and (period, larger) + key[2:] in cells:
            at_most.append((key, (period, larger) + key[2:]))

    def threshold(key) -> int:
        return sensitive if _is_sensitive(key) else normal

    level = {p.key: {"quarter": 1, "half": 2, "year": 4}.get(p.kind, 1) for p in periods}

    def weight(key) -> int:
        """Cross-table cells are cheapest to hide, then one-way cells; grand totals (the headline) last."""
        table = 1 if key[4] else (2 if key[2] else 50)
        return table * level.get(key[0], 1)

    return LinkedSet(cells, result, at_most, threshold=threshold, weight=weight,
                     zero_hiding=lambda line: sensitive if line.axis in SENSITIVE_DIMS else None,
                     zero_floor=lambda key: 0 if _is_sensitive(key) else 1)


def _is_sensitive(key) -> bool:
    return key[2] in SENSITIVE_DIMS or key[4] in SENSITIVE_DIMS


def _add_sensitive_zeros(cells: dict) -> None:
    """Every category of a special-category dimension next to a non-zero cell, zeros included:
    those zeros may be hidden (the attribute rule), so they take part in every line."""
    for key in list(cells):
        for position in (3, 5):
            dim = key[position - 1]
            if dim not in SENSITIVE_DIMS:
                continue
            for category in FIXED_ORDER.get(dim, ()):
                cells.setdefault(key[:position] + (category,) + key[position + 1:], 0)
