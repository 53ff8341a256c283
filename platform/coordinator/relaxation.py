"""Which hidden cells of a group are pinned: the LP relaxation of the attacker's program, in one HiGHS model.

`linked._audit_pass` asks, for every group of hidden cells, which of them can take only one
whole value given everything published. The integer program's range of a cell lies inside
its LP relaxation's range, so a cell whose relaxation admits two whole values is taken as
free, and tests/test_disclosure_attack.py attacks the result with the integer program itself.

Speed (issue 11): the model of a group is built once and re-solved with new objectives
only. HiGHS keeps the optimal basis between solves, so each further solve is a warm-started
simplex of a few pivots instead of a fresh solve through `scipy.optimize.milp`, which
rebuilt and presolved the model for each of the ~30 + 2 per cell objectives (15,000 solves
for the demo region, 170 of its 187 seconds). The cells a group still has to prove free
are few after the first solves: objectives that push all of them at once (their sum up,
down, random signs) free most; only the rest get their own minimum and maximum.

The solver is the HiGHS bundled with SciPy (the same one `milp` runs), driven through its
low-level binding: no second copy of HiGHS to install, and SciPy is pinned (<1.17) in
pyproject.toml, so the binding does not move under us.
"""
import numpy as np
from scipy.optimize._highspy import _core as highs

_EPS = 1e-7
RELEASE_ROUNDS = 3        # ... when only asked whether any cell is pinned (linked._release_pass)
RANDOM_ROUNDS = 12        # random objectives tried after the sums before cells are solved one by one


class Infeasible(RuntimeError):
    pass


class Relaxation:
    """One group's LP: variables the hidden cells (bounds lower..upper), rows lo <= A x <= hi.

    Cells whose bounds meet are constants: they are moved into the rows' bounds and left out
    of the model, with the rows left empty (what HiGHS's presolve would do, but once: the
    model is then re-solved warm, without presolving again).
    """

    def __init__(self, matrix, row_lower, row_upper, lower, upper):
        lower = np.asarray(lower, dtype=float)
        upper = np.asarray(upper, dtype=float)
        self.size = len(lower)
        self.columns = np.flatnonzero(lower != upper)          # the model's variables, in the group's indices
        self.position = np.full(self.size, -1)
        self.position[self.columns] = np.arange(len(self.columns))
        self.n = len(self.columns)
        self.fixed = lower.copy()                              # every cell's value where it is fixed
        self.solver = highs._Highs()
        self.solver.setOptionValue("output_flag", False)
        self.solver.setOptionValue("presolve", "off")          # a warm start needs the model as it is
        lp = highs.HighsLp()
        lp.num_col_ = self.n
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = lower[self.columns]
        lp.col_upper_ = upper[self.columns]
        if matrix is not None and self.n:
            csc = matrix.tocsc()
            constant = csc @ np.where(lower == upper, lower, 0.0)
            csc = csc[:, self.columns]
            used = np.flatnonzero(np.diff(csc.tocsr().indptr))
            csc = csc[used, :].tocsc()
            csc.sort_indices()
            lp.num_row_ = csc.shape[0]
            lp.row_lower_ = np.maximum(np.asarray(row_lower, dtype=float)[used] - constant[used], -highs.kHighsInf)
            lp.row_upper_ = np.minimum(np.asarray(row_upper, dtype=float)[used] - constant[used], highs.kHighsInf)
            lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
            lp.a_matrix_.num_col_ = self.n
            lp.a_matrix_.num_row_ = csc.shape[0]
            lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
            lp.a_matrix_.index_ = csc.indices.astype(np.int32)
            lp.a_matrix_.value_ = csc.data.astype(float)
        self.solver.passModel(lp)
        self._all = np.arange(self.n, dtype=np.int32)
        self.solves = 0

    def solve(self, objective: np.ndarray) -> np.ndarray:
        """A vertex minimising `objective` (warm-started from the previous solve's basis)."""
        self.solver.changeColsCost(self.n, self._all, np.asarray(objective, dtype=float)[self.columns])
        self.solver.run()
        self.solves += 1
        status = self.solver.getModelStatus()
        if status != highs.HighsModelStatus.kOptimal:
            raise Infeasible(str(status))
        solution = self.fixed.copy()
        solution[self.columns] = self.solver.getSolution().col_value
        return solution

    def set_bounds(self, lower, upper) -> None:
        """New bounds for the model's variables (a cell fixed by them stays a variable; the
        basis is kept, so the next solve starts warm)."""
        lower = np.asarray(lower, dtype=float)[self.columns]
        upper = np.asarray(upper, dtype=float)[self.columns]
        self.solver.changeColsBounds(self.n, self._all, lower, upper)

    def pinned(self, candidates: list[int], first_only: bool = False, low=None, high=None,
               found: list | None = None) -> tuple[list[int], list[int]]:
        """(pinned, free) among the `candidates` (column indices): pinned when no two whole
        values lie between the cell's least and greatest value over the relaxation.

        `first_only`: stop at the first pinned cell (the answer is then ([that cell], [])): for
        a caller that only asks whether any candidate is pinned. `low`, `high`: each cell's
        least and greatest value over points already known to be feasible; `found`: a list the
        solutions of this call are appended to."""
        low = np.full(self.size, np.inf) if low is None else np.array(low, dtype=float)
        high = np.full(self.size, -np.inf) if high is None else np.array(high, dtype=float)
        todo = [i for i in candidates if not _two_values(low[i], high[i])]

        def see(solution) -> None:
            nonlocal todo
            if found is not None:
                found.append(solution)
            np.minimum(low, solution, out=low)
            np.maximum(high, solution, out=high)
            todo = [i for i in todo if not _two_values(low[i], high[i])]

        def push(weights: np.ndarray) -> None:
            objective = np.zeros(self.size)
            objective[todo] = weights
            see(self.solve(objective))

        if todo:
            push(np.ones(len(todo)))
        if todo:
            push(-np.ones(len(todo)))
        rng = np.random.default_rng(self.size)
        fruitless = 0
        while todo and fruitless < (RELEASE_ROUNDS if first_only else RANDOM_ROUNDS):
            before = len(todo)
            push(rng.choice((-1.0, 1.0), len(todo)) * rng.integers(1, 4, len(todo)))
            fruitless = fruitless + 1 if len(todo) == before else 0
        result = []
        while todo:
            i = todo[0]
            for sign in (1.0, -1.0):
                objective = np.zeros(self.size)
                objective[i] = sign
                see(self.solve(objective))
                if not todo or todo[0] != i:
                    break
            else:
                result.append(i)
                todo.pop(0)
                if first_only:
                    return result, []
        pinned = set(result)
        return result, [i for i in candidates if i not in pinned]


def _two_values(lowest: float, highest: float) -> bool:
    return np.floor(highest + _EPS) - np.ceil(lowest - _EPS) >= 1


def propagate(matrix, row_lower, row_upper, lower, upper, rounds: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on whole-number solutions, tightened line by line (what a reader with a pencil finds).

    For each row lo <= a.x <= hi and each of its cells: the cell is at most what is left of
    the row's upper bound when every other cell is at its least, and at least what is left of
    the lower bound when every other cell is at its greatest; rounded inwards to whole
    numbers, repeated until nothing moves. The bounds contain every integer solution, so a
    cell whose bounds meet is pinned for the integer program (no solve needed); wider bounds
    prove nothing either way (the LP decides those).
    """
    lo = np.asarray(lower, dtype=float).copy()
    hi = np.asarray(upper, dtype=float).copy()
    if matrix is None:
        return lo, hi
    coo = matrix.tocoo()
    rows, cols, a = coo.row, coo.col, coo.data.astype(float)
    positive = a > 0
    row_lower = np.asarray(row_lower, dtype=float)
    row_upper = np.asarray(row_upper, dtype=float)
    m = matrix.shape[0]
    with np.errstate(invalid="ignore"):      # inf - inf on rows bounded on one side only
        for _ in range(rounds):
            least = np.where(positive, a * lo[cols], a * hi[cols])      # each term's least and greatest
            most = np.where(positive, a * hi[cols], a * lo[cols])
            row_least = np.bincount(rows, least, minlength=m)
            row_most = np.bincount(rows, most, minlength=m)
            room_up = (row_upper[rows] - (row_least[rows] - least)) / a     # bound from the row's upper side
            room_down = (row_lower[rows] - (row_most[rows] - most)) / a     # ... and from its lower side
            new_hi = np.where(positive, room_up, room_down)
            new_lo = np.where(positive, room_down, room_up)
            next_hi, next_lo = hi.copy(), lo.copy()
            valid = ~np.isnan(new_hi)
            np.minimum.at(next_hi, cols[valid], np.floor(new_hi[valid] + _EPS))
            valid = ~np.isnan(new_lo)
            np.maximum.at(next_lo, cols[valid], np.ceil(new_lo[valid] - _EPS))
            if np.any(next_lo > next_hi):
                raise Infeasible("bounds cross")
            if np.array_equal(next_lo, lo) and np.array_equal(next_hi, hi):
                break
            lo, hi = next_lo, next_hi
    return lo, hi
