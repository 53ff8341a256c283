"""Linked sets of tables, protected together: the disclosure engine behind every published count.

A *linked set* is every cell that is published together (or may be downloaded by the same
reader) with the arithmetic that ties them, written as

* lines: `total = sum(parts)` (a county is the sum of its communes, a half-year the sum of
  its quarters, a one-way table the margin of a cross-table), or, for counts that may
  overlap (unique people by institution, people per quarter), `each part <= total <=
  sum(parts)`;
* `at_most` pairs: one cell never exceeds another (people <= participations of the same
  breakdown, employed <= participations ended).

`protect_linked` decides which cells are hidden, for the whole set at once:

1. primary: counts below their threshold (3; 5 for special-category breakdowns), and the
   cells stored as withheld (None: known to be below the threshold, value unknown);
2. attribute rule: in a line along a special-category dimension (disability) whose total
   is hidden or below the sensitive threshold, the zeros are hidden too, so a small group's
   disability is never told by the zeros next to it;
3. secondary, by lines: no line may have exactly one hidden cell (it would be its total
   minus the rest); the cheapest published part (or the total) of such a line is hidden;
4. secondary, by audit: for every group of hidden cells tied by some line, an integer
   program computes, per hidden cell, the smallest and largest value consistent with
   everything published (what an attacker with an ILP solver computes). A hidden cell that
   can take only one value gets a further complement on its line with the fewest hidden
   cells, and the group is audited again. Hidden cells only widen the feasible set, so the
   loop ends;
5. release: complements that later ones made unnecessary are published again, the costliest
   first, each only when the same audit still finds every hidden cell of its group free
   (`_release_pass`; budgeted in LP solves per set, RELEASE_SOLVES).

Hidden cells are bounded below by 1 (a published zero is printed as 0, so a hidden count is
known to be at least 1) or by 0 in lines along a special-category dimension (their zeros may
be hidden); nothing bounds them above but the lines. The audit (`audit`) is also what the
tests run against every downloaded table.

API (also for other domains that publish linked tables, e.g. referrals):

    cells = {key: count or None}                      # None: withheld at the source
    ls = LinkedSet(cells, lines=[Line(total, parts)], at_most=[(small, large)],
                   threshold=lambda key: 3, zero_hiding=lambda line: False)
    hidden = protect_linked(ls)                         # set of keys not to publish
    ranges = audit(ls, hidden)                          # {key: (lowest, highest)}
"""
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from .relaxation import Infeasible, Relaxation, propagate

CEILING = 10_000_000
RELEASE_SOLVES = 60           # LP solves the release pass may spend per set (see _release_pass)


class Inconsistent(RuntimeError):
    """The cells contradict the set's lines (e.g. periods counted from different records)."""          # an upper bound no count reaches (keeps every integer program bounded)


@dataclass(frozen=True)
class Line:
    total: Hashable
    parts: tuple
    additive: bool = True         # False: parts may overlap (each part <= total <= sum of parts)
    axis: str = ""                # the dimension the parts vary along (for the attribute rule)


@dataclass
class LinkedSet:
    cells: dict                                     # key -> count (0 allowed) or None (withheld, below threshold)
    lines: list = field(default_factory=list)       # [Line]
    at_most: list = field(default_factory=list)     # [(small_key, large_key)]
    threshold: Callable = lambda key: 3             # the primary threshold of a cell
    zero_hiding: Callable = lambda line: None       # the threshold under which a line's zeros are hidden, or None
    zero_floor: Callable = lambda key: 1            # the least value a hidden cell is known to have
    weight: Callable = lambda key: 1                # how much hiding a cell costs per unit (totals cost more)

    def __post_init__(self):
        self.costs: dict = {}           # key -> (cost of hiding it as a part, tie-break): see _cost
        self.lines_of: dict = defaultdict(list)
        self.members = [(line.total,) + tuple(line.parts) for line in self.lines]
        for index, members in enumerate(self.members):
            for key in members:
                self.lines_of[key].append(index)
        self.pairs_of: dict = defaultdict(list)
        for index, (small, large) in enumerate(self.at_most):
            self.pairs_of[small].append(index)
            self.pairs_of[large].append(index)

    def value(self, key) -> int | None:
        return self.cells.get(key, 0)

    def estimate(self, key) -> int:
        """A cell's value for costs: withheld cells count as just below their threshold."""
        value = self.cells.get(key, 0)
        return self.threshold(key) - 1 if value is None else value


def primary(ls: LinkedSet) -> set:
    return {key for key, value in ls.cells.items() if value is None or 0 < value < ls.threshold(key)}


TRACE: list | None = None     # tests may set a list: (step, key added, because of key) are appended


def _trace(step, key, cause) -> None:
    if TRACE is not None:
        TRACE.append((step, key, cause))


def protect_linked(ls: LinkedSet, *, max_rounds: int | None = None, release_solves: int | None = None) -> set:
    """The cells to hide so that no hidden cell can be worked out from the published ones.

    Every audit pass that does not end the loop hides at least one more cell, so there are
    at most as many passes as cells: that is the default bound (a big set of small counts,
    such as a current year with the demo's institutions at full scale, needs a few hundred).
    """
    hidden = primary(ls)
    free: set = set()             # hidden cells proven able to take two values (they stay so: see _audit_pass)
    for _round in range(max_rounds or len(ls.cells) + 1):
        while _hide_zeros(ls, hidden) | _line_pass(ls, hidden):     # both, until neither adds a cell
            pass
        if not _audit_pass(ls, hidden, free):
            required = primary(ls) | {key for key in hidden if ls.value(key) == 0}
            _release_pass(ls, hidden, required, RELEASE_SOLVES if release_solves is None else release_solves)
            return hidden
    raise RuntimeError("linked protection did not settle")


# --- steps 2 and 3: zeros of small special-category groups, lines with one hidden cell -----

def _hide_zeros(ls: LinkedSet, hidden: set) -> bool:
    changed = False
    for line in ls.lines:
        limit = ls.zero_hiding(line)
        if limit is None:
            continue
        total = ls.value(line.total)
        if line.total not in hidden and (total == 0 or total >= limit):
            continue
        for part in line.parts:
            if ls.value(part) == 0 and part not in hidden:
                _trace("zero", part, line.total)
                hidden.add(part)
                changed = True
    return changed


def _cost(ls: LinkedSet, key, line: Line | None = None) -> tuple:
    """Cheapest first: small counts of detailed tables; the margins of a line after its parts."""
    base = ls.costs.get(key)
    if base is None:
        base = ls.costs[key] = (ls.weight(key) * (1 + ls.estimate(key)), repr(key))
    return (base[0] * 4, base[1]) if line is not None and key == line.total else base


def _cheapest_complement(ls: LinkedSet, line: Line, hidden: set, exclude):
    """The cheapest published non-zero cell of `line` other than `exclude`, or None."""
    options = [k for k in (line.total, *line.parts) if k != exclude and k not in hidden and ls.value(k) != 0]
    return min(options, key=lambda k: _cost(ls, k, line)) if options else None


def _line_pass(ls: LinkedSet, hidden: set) -> bool:
    changed = False
    again = True
    while again:
        again = False
        for line in ls.lines:
            if not line.additive:
                continue
            members = (line.total,) + tuple(line.parts)
            inside = [k for k in members if k in hidden]
            if len(inside) != 1:
                continue
            choice = _cheapest_complement(ls, line, hidden, inside[0])
            if choice is not None:
                _trace("line", choice, inside[0])
                hidden.add(choice)
                changed = again = True
    return changed


# --- step 4: the audit ---------------------------------------------------------------------

def _components(ls: LinkedSet, hidden: set) -> list[list]:
    parent = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(keys):
        keys = [k for k in keys if k in hidden]
        for other in keys[1:]:
            a, b = find(keys[0]), find(other)
            if a != b:
                parent[b] = a

    for line in ls.lines:
        union((line.total,) + tuple(line.parts))
    for small, large in ls.at_most:
        union((small, large))
    groups: dict = defaultdict(list)
    for key in sorted(hidden, key=repr):
        groups[find(key)].append(key)
    return list(groups.values())


class _Program:
    """The attacker's integer program over one group of hidden cells."""

    def __init__(self, ls: LinkedSet, group: list, hidden: set):
        self.keys = group
        index = {k: i for i, k in enumerate(group)}
        rows, cols, data, lower, upper = [], [], [], [], []

        def add(terms: dict, lo: float, hi: float):
            if not terms:
                return
            row = len(lower)
            for i, coefficient in terms.items():
                rows.append(row)
                cols.append(i)
                data.append(coefficient)
            lower.append(lo)
            upper.append(hi)

        def split(signed: dict) -> tuple[dict, float]:
            """Variables and the published constant of a sum of signed cells."""
            terms: dict = {}
            constant = 0.0
            for key, sign in signed.items():
                if key in hidden:
                    terms[index[key]] = terms.get(index[key], 0) + sign
                else:
                    constant += sign * ls.value(key)
            return terms, constant

        seen = set()
        for key in group:
            for line_index in ls.lines_of.get(key, ()):
                if line_index in seen:
                    continue
                seen.add(line_index)
                line = ls.lines[line_index]
                if line.additive:
                    signed = {line.total: -1}
                    for part in line.parts:
                        signed[part] = signed.get(part, 0) + 1
                    terms, constant = split(signed)
                    add(terms, -constant, -constant)
                    continue
                for part in line.parts:   # part <= total
                    terms, constant = split({part: 1, line.total: -1})
                    add(terms, -np.inf, -constant)
                signed = {line.total: 1}
                for part in line.parts:   # total <= sum of parts
                    signed[part] = signed.get(part, 0) - 1
                terms, constant = split(signed)
                add(terms, -np.inf, -constant)
            for pair_index in ls.pairs_of.get(key, ()):
                if ("pair", pair_index) in seen:
                    continue
                seen.add(("pair", pair_index))
                small, large = ls.at_most[pair_index]
                terms, constant = split({small: 1, large: -1})
                add(terms, -np.inf, -constant)
        n = len(group)
        self.n = n
        self.matrix = coo_array((data, (rows, cols)), shape=(len(lower), n)).tocsr() if lower else None
        self.lower, self.upper = np.array(lower), np.array(upper)
        self.bounds = Bounds([ls.zero_floor(k) for k in group], [CEILING] * n)

    def solve(self, objective: np.ndarray, integral: bool = True) -> np.ndarray:
        """A solution minimising `objective`: integer (the attacker's program) or of the LP relaxation."""
        constraints = [LinearConstraint(self.matrix, self.lower, self.upper)] if self.matrix is not None else []
        result = milp(objective, integrality=np.ones(self.n) if integral else np.zeros(self.n), bounds=self.bounds,
                      constraints=constraints)
        if result.status != 0 or result.x is None:
            raise Inconsistent(f"the published figures admit no solution: {result.message}")
        return np.round(result.x).astype(int) if integral else result.x

    def ranges(self) -> dict:
        """{key: (lowest, highest)} of every hidden cell of the group."""
        result = {}
        for i, key in enumerate(self.keys):
            unit = np.zeros(self.n)
            unit[i] = 1
            result[key] = (int(self.solve(unit)[i]), int(self.solve(-unit)[i]))
        return result

    def pinned(self, candidates) -> tuple[list, list]:
        """(pinned, free) among the `candidates` (keys of the group).

        Cells whose whole-number bounds, tightened line by line, meet are pinned without a
        solve (`relaxation.propagate`: the attacker's integer program pins them too); the
        others are decided on the LP relaxation (`relaxation.Relaxation`, one warm-started
        HiGHS model per group; the integer program's range lies inside the relaxation's, and
        tests/test_disclosure_attack.py attacks the result with the integer program itself).
        """
        index = {k: i for i, k in enumerate(self.keys)}
        try:
            lo, hi = propagate(self.matrix, self.lower, self.upper, self.bounds.lb, self.bounds.ub)
            certain = [k for k in candidates if lo[index[k]] == hi[index[k]]]
            rest = [index[k] for k in candidates if lo[index[k]] != hi[index[k]]]
            # the LP gets the tightened bounds: they hold for every whole-number solution, so the
            # relaxation stays a relaxation of the attacker's program, only a closer one
            pinned, free = Relaxation(self.matrix, self.lower, self.upper, lo, hi).pinned(rest) if rest else ([], [])
        except Infeasible as error:
            raise Inconsistent(f"the published figures admit no solution: {error}") from error
        return certain + [self.keys[i] for i in pinned], [self.keys[i] for i in free]


def audit(ls: LinkedSet, hidden: set) -> dict:
    """{hidden key: (lowest, highest)} consistent with every published cell of the set."""
    ranges: dict = {}
    for group in _components(ls, set(hidden)):
        ranges.update(_Program(ls, group, set(hidden)).ranges())
    return ranges


def _audit_pass(ls: LinkedSet, hidden: set, free: set) -> bool:
    """Hide complements for the pinned cells of every group; True when something was added.

    One complement per pinned cell, except for cells on a line that already got one in this
    pass (it may have freed them: the next pass audits again). Only cells not yet proven
    free are audited: hiding more cells only widens what the published figures allow (a
    solution before extends to one after, the newly hidden cells at their own values), so a
    cell once shown to take two values keeps them, and a group all of whose cells are in
    `free` needs no solve at all.
    """
    changed = False
    before_pass = set(hidden)          # the groups' partition (complements added below join next pass)
    for group in _components(ls, before_pass):
        candidates = [key for key in group if key not in free]
        if not candidates:
            continue
        pinned, proven = _Program(ls, group, before_pass).pinned(candidates)
        free.update(proven)
        touched: set = set()
        for key in pinned:
            if touched.intersection(ls.lines_of.get(key, ())):
                continue
            before = set(hidden)
            if _add_complement(ls, hidden, key):
                changed = True
                for added in hidden - before:
                    touched.update(ls.lines_of.get(added, ()))
    return changed


def _add_complement(ls: LinkedSet, hidden: set, key) -> bool:
    """Hide the cheapest published cell on the nearest lines of `key`.

    First its own lines; when every cell on them is hidden already (the value is pinned
    through other hidden cells), the lines of those cells, and so on outwards: the
    complement goes where the published figures that pin it are.
    """
    frontier, seen_keys, seen_lines = [key], {key}, set()
    while frontier:
        options = []
        following = []
        for current in frontier:
            for line_index in ls.lines_of.get(current, ()):
                if line_index in seen_lines:
                    continue
                seen_lines.add(line_index)
                line = ls.lines[line_index]
                best, inside = None, 0          # the line's cheapest published cell, its hidden ones
                for k in ls.members[line_index]:
                    if k in hidden:
                        inside += 1
                        if k not in seen_keys:
                            following.append(k)
                    elif ls.value(k) != 0:
                        cost = _cost(ls, k, line)
                        if best is None or cost < best[0]:
                            best = (cost, k)
                if best is not None:
                    options.append((best[0], inside, best[1]))
            for pair_index in ls.pairs_of.get(current, ()):
                for other in ls.at_most[pair_index]:
                    if other in seen_keys:
                        continue
                    if other not in hidden and ls.value(other) != 0:
                        options.append((_cost(ls, other), 99, other))
                    elif other in hidden:
                        following.append(other)
        if options:
            choice = min(options)[-1]
            _trace("audit", choice, key)
            hidden.add(choice)
            return True
        frontier = list(dict.fromkeys(following))
        seen_keys.update(frontier)
    return False


# --- step 5: release the complements that turned out unnecessary ------------------------------

def _release_pass(ls: LinkedSet, hidden: set, required: set, budget: int) -> None:
    """Publish again every complement whose hiding the others made unnecessary.

    Complements are chosen one pinned cell at a time, so a later one often protects what an
    earlier one was hidden for. Each complement (the costliest first: large counts, margins,
    the headline) is tried published at its value: it is released when, with it published,
    no hidden cell of its group is pinned (the same test as the audit: whole-number bounds
    line by line, then the LP relaxation, in one warm model per group whose bounds are
    changed instead of rebuilt).

    Points known to satisfy everything published so far (`_Points`) that have the candidate
    at its value, or pairs of them on either side of it (the segment between them crosses
    the value; the feasible set is convex), show many cells taking two values without a
    solve; only the cells they do not move go to the LP. The LP is still the cost (about
    4 solves a release, 8 a refusal; 10-20 ms a solve for a demo year's groups of 700-1,100
    cells), so the pass stops after `budget` solves per set (RELEASE_SOLVES; deterministic,
    so a set's pattern stays a function of its cells): the costliest complements are tried
    first, and those left hidden are safe, only perhaps not needed.
    """
    for group in _components(ls, set(hidden)):
        candidates = sorted((k for k in group if k not in required), key=lambda k: _cost(ls, k), reverse=True)
        if not candidates or budget <= 0:
            continue
        program = _Program(ls, group, set(hidden))
        index = {k: i for i, k in enumerate(group)}
        try:
            lo, hi = propagate(program.matrix, program.lower, program.upper, program.bounds.lb, program.bounds.ub)
        except Infeasible as error:
            raise Inconsistent(f"the published figures admit no solution: {error}") from error
        if np.any(lo == hi):
            continue     # cannot happen after the audit: every hidden cell takes two values
        model = Relaxation(program.matrix, program.lower, program.upper, lo, hi)
        points = _Points()
        live = set(range(len(group)))
        for key in candidates:
            if model.solves >= budget:
                break
            if _alone_on_a_line(ls, hidden, key):
                continue
            i, value = index[key], ls.value(key)
            trial_lo, trial_hi = lo.copy(), hi.copy()
            trial_lo[i] = trial_hi[i] = value
            try:
                trial_lo, trial_hi = propagate(program.matrix, program.lower, program.upper, trial_lo, trial_hi)
            except Infeasible:
                continue
            others = sorted(live - {i})
            if np.any(trial_lo[others] == trial_hi[others]):
                continue
            through = points.through(i, value, trial_lo, trial_hi)
            low, high = (through.min(axis=0), through.max(axis=0)) if len(through) else (None, None)
            found: list = []
            if low is None or not np.all(np.floor(high[others] + 1e-7) - np.ceil(low[others] - 1e-7) >= 1):
                model.set_bounds(trial_lo, trial_hi)
                try:
                    pinned, _free = model.pinned(others, first_only=True, low=low, high=high, found=found)
                except Infeasible:
                    pinned = [i]
                if pinned:
                    model.set_bounds(lo, hi)
                    points.add(found)      # feasible before the trial too (it only narrowed the bounds)
                    continue
            _trace("release", key, None)
            lo, hi = trial_lo, trial_hi
            live.discard(i)
            hidden.discard(key)
            points.keep(through, found)
        budget -= model.solves


class _Points:
    """Points known to satisfy everything published (solutions of the LP of a group), kept few."""

    LIMIT = 40

    def __init__(self):
        self.array = None

    def add(self, solutions) -> None:
        if len(solutions):
            new = np.vstack(solutions)
            self.array = new if self.array is None else np.vstack([self.array, new])
            self._trim()

    def through(self, i: int, value: float, lower, upper) -> np.ndarray:
        """Points with cell i at `value`: those there already, and where the segment between a
        point above and one below crosses it; only those within the new bounds."""
        if self.array is None:
            return np.empty((0, len(lower)))
        column = self.array[:, i]
        at = self.array[np.abs(column - value) <= 1e-9]
        above, below = self.array[column > value + 1e-9], self.array[column < value - 1e-9]
        mixed = []
        if len(above) and len(below):
            a = above[:, None, :]
            b = below[None, :, :]
            weight = ((value - below[:, i])[None, :] / (above[:, i][:, None] - below[:, i][None, :]))[:, :, None]
            mixed = (b + weight * (a - b)).reshape(-1, self.array.shape[1])
            mixed[:, i] = value
        result = np.vstack([at, mixed]) if len(mixed) else at
        inside = np.all((result >= lower - 1e-7) & (result <= upper + 1e-7), axis=1)
        return result[inside]

    def keep(self, through: np.ndarray, found: list) -> None:
        """After a release: only the points with the released cell at its value stay valid."""
        self.array = None
        self.add(([through] if len(through) else []) + found)

    def _trim(self) -> None:
        """At most LIMIT points: those at the least or greatest value of the most cells."""
        if len(self.array) <= self.LIMIT:
            return
        votes = np.bincount(np.concatenate([self.array.argmin(axis=0), self.array.argmax(axis=0)]),
                            minlength=len(self.array))
        self.array = self.array[np.sort(np.argsort(-votes, kind="stable")[:self.LIMIT])]


def _alone_on_a_line(ls: LinkedSet, hidden: set, key) -> bool:
    """Would publishing `key` leave a line (total = sum of parts) with one hidden cell?"""
    for line_index in ls.lines_of.get(key, ()):
        if ls.lines[line_index].additive and sum(1 for k in ls.members[line_index] if k in hidden and k != key) == 1:
            return True
    return False
