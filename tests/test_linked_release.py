"""The linked protection's release pass (coordinator/linked.py, step 5): complements that the
others made unnecessary are published again, and the attacker's integer program still pins
no hidden cell. Guards the utility gain against a silent regression (the coordinator's tables
were 95-100% hidden in the demo region before it)."""
from regionet.platform.coordinator import linked
from regionet.platform.coordinator.linked import Line, LinkedSet, audit, primary, protect_linked

# A 3 x 3 table with its margins; the greedy complements of the 1s hide 14 cells, the grand
# total among them, although 10 suffice.
VALUES = [[10, 1, 1],
          [15, 1, 0],
          [0, 8, 5]]


def _table() -> LinkedSet:
    rows, cols = range(len(VALUES)), range(len(VALUES[0]))
    cells = {(f"r{r}", f"c{c}"): VALUES[r][c] for r in rows for c in cols}
    cells.update({(f"r{r}", "T"): sum(VALUES[r]) for r in rows})
    cells.update({("T", f"c{c}"): sum(VALUES[r][c] for r in rows) for c in cols})
    cells[("T", "T")] = sum(map(sum, VALUES))
    lines = [Line((f"r{r}", "T"), tuple((f"r{r}", f"c{c}") for c in cols)) for r in rows]
    lines += [Line(("T", f"c{c}"), tuple((f"r{r}", f"c{c}") for r in rows)) for c in cols]
    lines += [Line(("T", "T"), tuple((f"r{r}", "T") for r in rows)),
              Line(("T", "T"), tuple(("T", f"c{c}") for c in cols))]
    return LinkedSet(cells, lines)


def _pinned(ls: LinkedSet, hidden: set) -> list:
    return [key for key, (lowest, highest) in audit(ls, hidden).items() if lowest == highest]


def test_the_release_pass_publishes_complements_the_others_made_unnecessary():
    without = protect_linked(_table(), release_solves=0)          # the choice alone (before the pass)
    ls = _table()
    hidden = protect_linked(ls)
    assert ("T", "T") in without and ("T", "T") not in hidden     # the grand total is published again
    assert len(hidden) <= len(without) - 4
    assert primary(ls) <= hidden                                  # the 1s stay hidden
    assert _pinned(ls, hidden) == [] and _pinned(ls, without) == []
    # every hidden 1 stays compatible with at least two values
    assert all(high > low for key, (low, high) in audit(ls, hidden).items() if key in primary(ls))


def test_a_release_that_would_pin_a_cell_is_refused(monkeypatch):
    """Publishing a complement that leaves a line with one hidden cell, or lets the LP pin one,
    is never done: every release is audited."""
    trace: list = []
    monkeypatch.setattr(linked, "TRACE", trace)
    ls = _table()
    hidden = protect_linked(ls)
    released = [key for step, key, _cause in trace if step == "release"]
    assert released and not set(released) & hidden
    for key in sorted(hidden - primary(ls)):          # nothing more can go: each one left is needed
        assert _pinned(ls, hidden - {key}), key
