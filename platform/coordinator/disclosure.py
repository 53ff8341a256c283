"""Disclosure control: the one implementation every published table goes through.

Pages, CSV/XLSX exports and the PDF reports all call `protect(table, rule)`; nothing
publishes a count any other way.

The rule (GUS, Public Statistics Act art. 38): a count of fewer than `rule.threshold`
units (default 3; stricter for sensitive breakdowns such as disability) is never
published (primary suppression). Zeros are published. Then further cells are hidden
(secondary, complementary suppression) until no hidden cell can be worked out from what
is shown: the published cells, the row and column totals and the fact that every hidden
count is a whole number of at least 1 (zeros are never hidden, so a reader knows that).

How "cannot be worked out" is decided. Write the table with its totals as a grid in
which every line sums to zero (cells as they are, totals negated). The hidden cells are
the edges of a bipartite graph between row lines and column lines (a 1-D table has one
column line; its rows are bound by nothing). Two tables that agree on every published
cell differ by a circulation over hidden cells, and such a difference decomposes into
cycles that alternate +1 and -1 and each stay within the bounds. So a hidden cell can
take another value exactly when it lies on a directed cycle of the "residual" graph: an
arc row->column where the cell may grow by one, column->row where it may shrink by one
(a count may shrink while it stays at least 1; totals move the opposite way). That test
is exact and cheap (a graph search), so every table is checked, not just the small ones,
and tests/test_disclosure.py checks it against brute-force enumeration.

Choosing complementary cells: for each hidden cell still exposed, the cheapest way to
put it on a cycle: one more cell in its row or column, or a rectangle of three more
cells; small inner cells are preferred to totals. Adding hidden cells only adds arcs, so
a protected cell stays protected and the loop ends.

API (also used by the report builder of the PDF reports):

    rule = Rule.for_region(region, sensitive=False)       # or Rule(threshold=3)
    one = protect(one_way({"ops": 12, "pup": 2, "owes": 7}), rule)
    two = protect(two_way({("f", "yes"): 1, ...}, rows=[...], cols=[...]), rule)
    one.value("pup")            -> None (hidden) ; one.value(TOTAL) -> 21
    two.value("f", TOTAL)       -> the row total, or None when hidden
    one.rule_text               -> the rule in the current language (Polish by default)

Stored copies (the catalogue's and submissions' figures, the datasets of PDF reports)
keep published cells as JSON through `stored_cell` / `stored_share` and the region's two
rules through `RegionRules`; `cell_text` prints either (and the cells of older copies).
"""
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext

from regionet.platform.ui.formatting import format_number

TOTAL = "__total__"          # the key of a total row or column
VALUE = "__value__"          # the only column of a one-way table
SUPPRESSED_MARK = "x"        # how a hidden cell is printed (GUS uses a sign, never the number)
AUTO = object()              # totals computed from the cells
NO_TOTAL = object()          # a list of figures with no total (no line binds them)

_FREE = ("free",)            # the row node of one-way tables: rows are bound by nothing


@dataclass(frozen=True)
class Rule:
    """The smallest count that may be published, and whether the breakdown is sensitive."""

    threshold: int = 3
    sensitive: bool = False

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")

    @classmethod
    def for_region(cls, region, sensitive: bool = False) -> "Rule":
        threshold = region.sensitive_threshold if sensitive else region.suppression_threshold
        return cls(threshold=int(threshold), sensitive=sensitive)

    def text(self) -> str:
        """The rule as printed under every table (translated; Polish outside requests)."""
        if self.sensitive:
            return gettext(
                "Statistical confidentiality (sensitive data): counts below %(threshold)s are not published and are "
                "marked “%(mark)s”; in a group of fewer than %(threshold)s people (or one whose size is hidden) the "
                "zeros are marked “%(mark)s” too, so that no one's disability can be read from the zeros next to it. "
                "Other cells are hidden where needed so that no hidden count can be worked out from this or any "
                "other table of the region.", threshold=self.threshold, mark=SUPPRESSED_MARK)
        return gettext(
            "Statistical confidentiality (Public Statistics Act, art. 38): counts below %(threshold)s are not "
            "published and are marked “%(mark)s”; other cells are hidden where needed so that no hidden count can "
            "be worked out from this or any other table of the region (communes and counties, quarters, half-years "
            "and years, and every breakdown are protected together).", threshold=self.threshold,
            mark=SUPPRESSED_MARK)


@dataclass(frozen=True)
class RegionRules:
    """A region's two rules: for ordinary counts and for sensitive ones (disability)."""

    normal: Rule
    sensitive: Rule

    @classmethod
    def for_region(cls, region) -> "RegionRules":
        return cls(Rule.for_region(region), Rule.for_region(region, sensitive=True))

    @classmethod
    def from_json(cls, data: dict) -> "RegionRules":
        return cls(Rule(int(data["threshold"])), Rule(int(data["sensitive_threshold"]), sensitive=True))

    def to_json(self) -> dict:
        return {"threshold": self.normal.threshold, "sensitive_threshold": self.sensitive.threshold}

    def of(self, sensitive: bool) -> Rule:
        return self.sensitive if sensitive else self.normal

    def text(self, sensitive: bool = True) -> str:
        """Both rules as printed under a table (the sensitive one when the table has such data)."""
        return self.normal.text() + (" " + self.sensitive.text() if sensitive else "")


@dataclass(frozen=True)
class CountTable:
    """Counts to publish. Build it with `one_way` or `two_way`.

    A cell value of None means "withheld at the source": known to be between 1 and
    the threshold, value unknown (the figures summary stores small counts that way).
    """

    rows: tuple
    cols: tuple | None                      # None: a one-way table
    cells: dict                             # (row, col) -> int | None, totals under TOTAL keys
    has_totals: bool
    additive: bool = True                   # False: rows may overlap (e.g. unique people per institution)


def one_way(values: Mapping[Hashable, int | None], total=AUTO, *, rows: Sequence | None = None,
            additive: bool = True) -> CountTable:
    """A list of counts by category, with its total (computed unless given; NO_TOTAL for none)."""
    keys = tuple(rows) if rows is not None else tuple(values)
    cells = {(r, VALUE): _count(values.get(r, 0)) for r in keys}
    if total is NO_TOTAL:
        return CountTable(keys, None, cells, has_totals=False, additive=additive)
    if total is AUTO:
        total = _sum(cells.values())
    cells[(TOTAL, VALUE)] = _count(total)
    return CountTable(keys, None, cells, has_totals=True, additive=additive)


def two_way(values: Mapping[tuple, int | None], rows: Sequence, cols: Sequence, *,
            row_totals: Mapping | None = None, col_totals: Mapping | None = None, total=AUTO,
            additive: bool = True) -> CountTable:
    """A cross-table with row totals, column totals and the grand total (computed unless given)."""
    rows, cols = tuple(rows), tuple(cols)
    cells = {(r, c): _count(values.get((r, c), 0)) for r in rows for c in cols}
    for r in rows:
        given = row_totals.get(r, 0) if row_totals is not None else _sum(cells[(r, c)] for c in cols)
        cells[(r, TOTAL)] = _count(given)
    for c in cols:
        given = col_totals.get(c, 0) if col_totals is not None else _sum(cells[(r, c)] for r in rows)
        cells[(TOTAL, c)] = _count(given)
    if total is AUTO:
        total = _sum(cells[(r, TOTAL)] for r in rows)
    cells[(TOTAL, TOTAL)] = _count(total)
    return CountTable(rows, cols, cells, has_totals=True, additive=additive)


@dataclass(frozen=True)
class PublishedTable:
    """What may be shown: every cell with its value, or None where it is hidden."""

    rows: tuple
    cols: tuple | None
    rule: Rule
    has_totals: bool
    additive: bool
    _values: dict = field(repr=False)
    withheld: bool = False       # the whole table could not be published for this selection

    @property
    def is_two_way(self) -> bool:
        return self.cols is not None

    def _key(self, row, col):
        return (row, VALUE if col is None else col)

    def value(self, row, col=None) -> int | None:
        """The published count, or None when the cell is hidden."""
        return self._values[self._key(row, col)]

    def is_suppressed(self, row, col=None) -> bool:
        return self._values[self._key(row, col)] is None

    @property
    def total(self) -> int | None:
        return self._values[(TOTAL, TOTAL if self.is_two_way else VALUE)] if self.has_totals else None

    def row_total(self, row) -> int | None:
        return self.value(row, TOTAL)

    def col_total(self, col) -> int | None:
        return self.value(TOTAL, col)

    @property
    def suppressed(self) -> frozenset:
        """Keys (row, col) of the hidden cells; a one-way table's column is VALUE."""
        return frozenset(key for key, value in self._values.items() if value is None)

    @property
    def suppressed_count(self) -> int:
        return len(self.suppressed)

    def display(self, row, col=None) -> str:
        value = self.value(row, col)
        return SUPPRESSED_MARK if value is None else str(value)

    def rule_text(self) -> str:
        return self.rule.text()

    def cells(self) -> dict:
        """Every cell, totals included: (row, col) -> published value or None."""
        return dict(self._values)


def protect(table: CountTable, rule: Rule, *, keep: Iterable = (), hide: Iterable = ()) -> PublishedTable:
    """Apply primary and secondary suppression; the result is safe to publish.

    Linked tables: `keep` names cells published elsewhere under their own rule (e.g. the
    grand total in the headline, or the margins of a cross-table that are shown as one-way
    tables): they are published here too, whatever this table's threshold, and are never
    chosen as complements. `hide` names cells hidden elsewhere, hidden here too. When a
    table cannot be protected under those conditions, it is withheld as a whole
    (`withheld` is True and every cell is hidden).
    """
    keep = {key for key in keep if key in table.cells and table.cells[key] is not None}
    known = {key: (1 if value is None else value) for key, value in table.cells.items()}
    hidden = {key for key, value in table.cells.items() if value is None or 0 < value < rule.threshold}
    hidden |= {key for key in hide if key in table.cells and known[key] > 0}
    hidden -= keep
    withheld = False
    if table.has_totals and hidden:
        completed = _Complement(table, known, frozenset(keep)).complete(hidden)
        withheld = completed is None
        hidden = set(table.cells) if withheld else completed
    values = {key: (None if key in hidden else table.cells[key]) for key in table.cells}
    return PublishedTable(table.rows, table.cols, rule, table.has_totals, table.additive, values, withheld)


def publish(table: CountTable, rule: Rule) -> PublishedTable:
    """A table whose cells were protected as part of a linked set (coordinator/linked.py): the
    cells given as None are hidden, nothing else (the set's protection already decided)."""
    return PublishedTable(table.rows, table.cols, rule, table.has_totals, table.additive, dict(table.cells))


def exposed_cells(table: CountTable, hidden: Iterable) -> set:
    """Hidden cells whose value can be worked out from the rest (empty when the pattern is safe)."""
    if not table.has_totals:
        return set()
    known = {key: (1 if value is None else value) for key, value in table.cells.items()}
    complement = _Complement(table, known)
    complement.hide(hidden)
    return {key for key in complement.hidden if not complement.on_cycle(key)}


class _Complement:
    """Secondary suppression over one table (see the module docstring)."""

    def __init__(self, table: CountTable, known: dict, keep: frozenset = frozenset()):
        self.table = table
        self.known = known
        self.keep = keep              # published elsewhere: never a complement
        self.two_way = table.cols is not None
        self.row_keys = table.rows + (TOTAL,)
        self.col_keys = (table.cols + (TOTAL,)) if self.two_way else (VALUE,)
        self._row_index = {r: i for i, r in enumerate(self.row_keys)}
        self._col_index = {c: i for i, c in enumerate(self.col_keys)}
        self.arcs: dict = {}          # node -> {node: number of hidden cells giving that arc}
        self.hidden: set = set()

    # --- the graph -------------------------------------------------------------------
    def _kind(self, key) -> str:
        row, col = key
        if self.two_way:
            if row == TOTAL and col == TOTAL:
                return "grand"
            if row == TOTAL or col == TOTAL:
                return "margin"
            return "inner"
        return "margin" if row == TOTAL else "inner"

    def _nodes(self, key):
        row, col = key
        return (_FREE if not self.two_way else ("r", row)), ("c", col)

    def _can_grow(self, key) -> bool:
        """The arc row->column: the signed value may grow by one."""
        return self._kind(key) != "margin" or self.known[key] >= 2

    def _can_shrink(self, key) -> bool:
        """The arc column->row: the signed value may shrink by one."""
        return self._kind(key) == "margin" or self.known[key] >= 2

    def _arcs_of(self, key):
        row_node, col_node = self._nodes(key)
        if self._can_grow(key):
            yield row_node, col_node
        if self._can_shrink(key):
            yield col_node, row_node

    def _change(self, key, delta: int) -> None:
        for a, b in self._arcs_of(key):
            targets = self.arcs.setdefault(a, {})
            targets[b] = targets.get(b, 0) + delta
            if not targets[b]:
                del targets[b]

    def hide(self, keys) -> None:
        for key in keys:
            if key not in self.hidden:
                self.hidden.add(key)
                self._change(key, +1)

    def _reach(self, start, forward: bool = True) -> set:
        """Nodes reachable from `start` (or, backwards, nodes from which `start` is reachable)."""
        graph = self.arcs if forward else self._reverse()
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in graph.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def _reverse(self) -> dict:
        reverse: dict = {}
        for a, targets in self.arcs.items():
            for b in targets:
                reverse.setdefault(b, {})[a] = 1
        return reverse

    def on_cycle(self, key) -> bool:
        """Can the hidden cell `key` take another value (lies on a directed cycle)?"""
        row_node, col_node = self._nodes(key)
        self._change(key, -1)
        try:
            if self._can_grow(key) and row_node in self._reach(col_node):
                return True
            return self._can_shrink(key) and col_node in self._reach(row_node)
        finally:
            self._change(key, +1)

    # --- choosing complementary cells -------------------------------------------------
    def _weight(self, key) -> int:
        kind = self._kind(key)
        value = self.known[key]
        return value * (10 if kind == "grand" else 3 if kind == "margin" else 1)

    def _order(self, key):
        row, col = key
        return (self._row_index[row], self._col_index[col])

    def _published(self, key) -> bool:
        """A cell that may still be hidden as a complement."""
        return key not in self.hidden and key not in self.keep and self.known.get(key, 0) > 0

    def _candidates(self, key) -> list:
        """Published non-zero cells sharing a line with `key`."""
        row, col = key
        if self.two_way:
            lines = [(row, c) for c in self.col_keys] + [(r, col) for r in self.row_keys]
        else:
            lines = [(r, VALUE) for r in self.row_keys]
        return [k for k in dict.fromkeys(lines) if k != key and self._published(k)]

    def _single_fixes(self, key):
        """Cells that alone put `key` on a cycle: path searches done once, each candidate O(1)."""
        row_node, col_node = self._nodes(key)
        self._change(key, -1)
        try:
            grow = self._can_grow(key)
            shrink = self._can_shrink(key)
            if grow:   # needs a path col_node -> row_node
                from_c, to_r = self._reach(col_node), self._reach(row_node, forward=False)
            if shrink:  # needs a path row_node -> col_node
                from_r, to_c = self._reach(row_node), self._reach(col_node, forward=False)
        finally:
            self._change(key, +1)
        for candidate in self._candidates(key):
            rk, ck = self._nodes(candidate)
            ok = False
            if grow:
                ok = (self._can_grow(candidate) and rk in from_c and ck in to_r) or \
                     (self._can_shrink(candidate) and ck in from_c and rk in to_r)
            if not ok and shrink:
                ok = (self._can_grow(candidate) and rk in from_r and ck in to_c) or \
                     (self._can_shrink(candidate) and ck in from_r and rk in to_c)
            if ok:
                yield candidate

    def _cost(self, key) -> int:
        return 0 if key in self.hidden else self._weight(key)

    def _usable(self, key) -> bool:
        return key in self.hidden or self._published(key)   # zeros are never hidden

    def _rectangles(self, key, budget: float):
        """Rectangles through `key` cheaper than `budget`, cheapest sides first (pruned)."""
        row, col = key
        sides_a = sorted(((self._cost((r2, col)), r2) for r2 in self.row_keys
                          if r2 != row and self._usable((r2, col))), key=lambda x: (x[0], self._row_index[x[1]]))
        sides_b = sorted(((self._cost((row, c2)), c2) for c2 in self.col_keys
                          if c2 != col and self._usable((row, c2))), key=lambda x: (x[0], self._col_index[x[1]]))
        best = budget
        for cost_a, r2 in sides_a:
            if cost_a >= best:
                break
            a = (r2, col)
            for cost_b, c2 in sides_b:
                if cost_a + cost_b >= best:
                    break
                d, b = (r2, c2), (row, c2)
                if not self._usable(d):
                    continue
                cost = cost_a + cost_b + self._cost(d)
                if cost >= best:
                    continue
                clockwise = self._can_grow(key) and self._can_shrink(a) and self._can_grow(d) and self._can_shrink(b)
                counter = self._can_shrink(key) and self._can_grow(b) and self._can_shrink(d) and self._can_grow(a)
                if clockwise or counter:
                    best = cost
                    yield cost, {k for k in (a, d, b) if k not in self.hidden}

    def _best_fix(self, key) -> set:
        options = [(self._weight(k), self._order(k), {k}) for k in self._single_fixes(key)]
        if self.two_way:
            budget = min((o[0] for o in options), default=float("inf")) + 1
            for cost, added in self._rectangles(key, budget):
                options.append((cost, min((self._order(k) for k in added), default=(0, 0)), added))
        if options:
            return min(options, key=lambda option: option[:2])[2]
        # Nothing closes a cycle in one step: hide the cheapest neighbour (or, with none
        # left, the cheapest published cell anywhere) and try again.
        fallback = self._candidates(key) or [k for k in self.table.cells if self._published(k)]
        fallback.sort(key=lambda k: (self._weight(k), self._order(k)))
        return set(fallback[:1])

    def complete(self, hidden: set) -> set | None:
        """The hidden cells with their complements, or None when the table must be withheld."""
        self.hide(hidden)
        pending = deque(sorted(self.hidden, key=self._order))
        while pending:
            key = pending[0]
            if self.on_cycle(key):
                pending.popleft()  # adding hidden cells only adds arcs: it stays protected
                continue
            added = self._best_fix(key)
            if not added:
                return None  # nothing that may be hidden can help
            self.hide(added)
            pending.extend(sorted(added, key=self._order))
        return set(self.hidden)


def stored_cell(published: PublishedTable, row, col=None) -> dict:
    """One published cell as JSON: {"value": n}, or {"value": None, "suppressed": True} when hidden."""
    value = published.value(row, col)
    return {"value": None, "suppressed": True} if value is None else {"value": int(value)}


def protect_share(part: int, whole: int, rule: Rule, **linked) -> PublishedTable:
    """A share (e.g. employed of those who left) as the pair part / rest with `whole` as its total,
    so that neither count can be worked out from the other and the total."""
    return protect(one_way({"part": part, "rest": max(whole - part, 0)}, total=whole), rule, **linked)


def stored_share(published: PublishedTable) -> dict:
    """The percentage of a `protect_share` pair as a stored cell (hidden with either count)."""
    whole, part = published.total, published.value("part")
    if whole == 0:
        return {"value": None}                      # a rate of no one: nothing to publish
    if whole is None or part is None:
        return {"value": None, "suppressed": True}
    return {"value": round(100.0 * part / whole, 1), "percent": True}


def is_hidden(cell: dict | None) -> bool:
    """A stored cell that was suppressed (older copies marked it "below" or "hidden")."""
    return bool(cell) and bool(cell.get("suppressed") or cell.get("below") is not None or cell.get("hidden"))


def cell_text(cell: dict | None) -> str:
    """How a stored cell is printed: "12", "45,5%", the suppression mark, or "—" (no data)."""
    if not cell:
        return "—"
    if is_hidden(cell):
        return SUPPRESSED_MARK
    if cell.get("value") is None:
        return "—"
    if cell.get("percent"):
        return format_number(cell["value"], 1) + "%"
    return format_number(cell["value"])


def _count(value):
    if value is None:
        return None
    value = int(value)
    if value < 0:
        raise ValueError("counts cannot be negative")
    return value


def _sum(values: Iterable):
    values = list(values)
    if any(v is None for v in values):
        raise ValueError("a total over withheld cells must be given explicitly")
    return sum(values)
