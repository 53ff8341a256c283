"""Disclosure control: primary and secondary suppression, proved by brute force.

The brute-force check does not use the module's graph reasoning. It enumerates whole
tables: for every hidden cell it searches for another table that agrees with every
published cell and total, has whole counts of at least 1 in the hidden cells (zeros are
never hidden, so a reader knows that), and differs in that cell. If none exists, the
cell could be recomputed and the test fails.

The search tries values within 1 of the truth. That loses nothing: two tables that
agree on the published cells differ by a sum of alternating +1/-1 cycles, each of which
alone is again a valid table (conformal decomposition of circulations), so if any other
value is possible, truth +1 or -1 is.
"""
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionet.platform.coordinator.disclosure import (
    NO_TOTAL,
    SUPPRESSED_MARK,
    TOTAL,
    VALUE,
    Rule,
    exposed_cells,
    one_way,
    protect,
    two_way,
)


def _lines(table):
    """Every linear equation of the table: (cells that add up, the cell holding their sum)."""
    if table.cols is None:
        return [([(r, VALUE) for r in table.rows], (TOTAL, VALUE))]
    lines = [([(r, c) for c in table.cols], (r, TOTAL)) for r in table.rows + (TOTAL,)]
    lines += [([(r, c) for r in table.rows], (TOTAL, c)) for c in table.cols + (TOTAL,)]
    return lines


def _recomputable(table, published) -> set:
    """Hidden cells whose value is the only one consistent with what is published."""
    hidden = sorted(published.suppressed, key=repr)
    truth = table.cells
    lines = _lines(table)
    determined = set()
    for target in hidden:
        others = [k for k in hidden if k != target]
        found = False
        for target_value in (truth[target] - 1, truth[target] + 1):
            if target_value < 1:
                continue
            domains = [[v for v in (truth[k] - 1, truth[k], truth[k] + 1) if v >= 1] for k in others]
            for combo in itertools.product(*domains):
                guess = dict(truth)
                guess[target] = target_value
                guess.update(zip(others, combo, strict=True))
                if all(sum(guess[k] for k in parts) == guess[total] for parts, total in lines):
                    found = True
                    break
            if found:
                break
        if not found:
            determined.add(target)
    return determined


def _check_published(table, published, rule):
    for key, true_value in table.cells.items():
        shown = published.cells()[key]
        if 0 < true_value < rule.threshold:
            assert shown is None, f"primary cell {key}={true_value} published"
        if shown is not None:
            assert shown == true_value
    hidden = published.suppressed
    if hidden and len(hidden) < len(table.cells):
        assert all(table.cells[k] > 0 for k in hidden), "a zero was hidden although cells remain published"


# --- examples ---------------------------------------------------------------------------

def test_small_counts_are_hidden_and_zeros_published():
    published = protect(one_way({"ops": 12, "pup": 0, "owes": 7}, total=NO_TOTAL), Rule(3))
    assert published.value("ops") == 12 and published.value("pup") == 0 and published.value("owes") == 7
    published = protect(one_way({"ops": 12, "pup": 2, "owes": 7}, total=NO_TOTAL), Rule(3))
    assert published.is_suppressed("pup") and published.display("pup") == SUPPRESSED_MARK
    assert published.suppressed_count == 1  # no total: nothing to recompute it from


def test_one_hidden_cell_next_to_a_total_gets_a_complement():
    table = one_way({"ops": 12, "pup": 2, "owes": 7, "cis": 40})
    published = protect(table, Rule(3))
    assert published.total == 61
    # 2 alone would be 61 - 12 - 7 - 40; the smallest other count (7) is hidden with it
    assert published.suppressed == {("pup", VALUE), ("owes", VALUE)}
    assert _recomputable(table, published) == set()


def test_two_ones_are_not_enough_when_a_reader_knows_hidden_means_at_least_one():
    table = one_way({"a": 1, "b": 1, "c": 9})
    published = protect(table, Rule(3))
    # a + b = 2 with both >= 1 means a = b = 1: a third cell (or the total) must go too
    assert {("a", VALUE), ("b", VALUE)} <= published.suppressed and len(published.suppressed) == 3
    assert _recomputable(table, published) == set()


def test_a_cross_table_hides_a_rectangle_not_a_total():
    table = two_way({("f", "yes"): 1, ("f", "no"): 20, ("m", "yes"): 8, ("m", "no"): 30},
                    rows=["f", "m"], cols=["yes", "no"])
    published = protect(table, Rule(3))
    assert published.suppressed == {("f", "yes"), ("f", "no"), ("m", "yes"), ("m", "no")}
    assert published.row_total("f") == 21 and published.col_total("yes") == 9 and published.total == 59
    assert _recomputable(table, published) == set()


def test_sensitive_rule_is_stricter_and_the_rule_text_is_polish(app):
    region = type("R", (), {"suppression_threshold": 3, "sensitive_threshold": 5})()
    assert Rule.for_region(region).threshold == 3
    sensitive = Rule.for_region(region, sensitive=True)
    assert sensitive.threshold == 5
    assert protect(one_way({"yes": 4, "no": 40, "refused": 6}), sensitive).is_suppressed("yes")
    with app.test_request_context("/"):
        text = Rule(3).text()
        assert "mniejsze niż 3" in text and "art. 38" in text and "„x”" in text
        assert "mniejsze niż 5" in sensitive.text() and "wrażliw" in sensitive.text()


def test_cells_withheld_at_the_source_are_treated_as_small():
    table = one_way({"a": None, "b": 10, "c": 12}, total=24)
    published = protect(table, Rule(3))
    assert published.is_suppressed("a") and published.total == 24
    assert len(published.suppressed) == 2


def test_exposed_cells_reports_an_unsafe_pattern():
    table = one_way({"a": 1, "b": 10, "c": 12})
    assert exposed_cells(table, {("a", VALUE)}) == {("a", VALUE)}
    assert exposed_cells(table, {("a", VALUE), ("b", VALUE)}) == set()


def test_everything_small_is_withheld_including_the_total():
    table = two_way({("a", "x"): 1, ("a", "y"): 1}, rows=["a"], cols=["x", "y"])
    published = protect(table, Rule(3))
    assert published.total is None and published.value("a", "x") is None


# --- properties -------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(values=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=7),
       threshold=st.integers(min_value=2, max_value=5))
def test_no_hidden_cell_of_a_one_way_table_can_be_recomputed(values, threshold):
    table = one_way({f"k{i}": v for i, v in enumerate(values)})
    rule = Rule(threshold)
    published = protect(table, rule)
    _check_published(table, published, rule)
    assert _recomputable(table, published) == set()


@PROPERTY_SETTINGS
@given(shape=st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(
           lambda rc: st.lists(st.lists(st.integers(min_value=0, max_value=7), min_size=rc[1], max_size=rc[1]),
                               min_size=rc[0], max_size=rc[0])),
       threshold=st.integers(min_value=2, max_value=4))
def test_no_hidden_cell_of_a_cross_table_can_be_recomputed(shape, threshold):
    rows = [f"r{i}" for i in range(len(shape))]
    cols = [f"c{j}" for j in range(len(shape[0]))]
    table = two_way({(rows[i], cols[j]): v for i, line in enumerate(shape) for j, v in enumerate(line)},
                    rows=rows, cols=cols)
    rule = Rule(threshold)
    published = protect(table, rule)
    _check_published(table, published, rule)
    assert _recomputable(table, published) == set()


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6),
                      min_size=12, max_size=12))
def test_the_exact_check_agrees_on_larger_tables(shape):
    """Tables too large to enumerate: the module's own exact test must find nothing exposed."""
    rows = [f"r{i}" for i in range(12)]
    cols = [f"c{j}" for j in range(6)]
    table = two_way({(rows[i], cols[j]): v for i, line in enumerate(shape) for j, v in enumerate(line)},
                    rows=rows, cols=cols)
    published = protect(table, Rule(5))
    _check_published(table, published, Rule(5))
    assert exposed_cells(table, published.suppressed) == set()


def test_the_brute_force_check_itself_detects_an_unsafe_table():
    """Guard against a checker that can never fail: a lone hidden cell is recomputable."""
    table = one_way({"a": 1, "b": 10})
    from regionet.platform.coordinator.disclosure import PublishedTable

    unsafe = PublishedTable(table.rows, None, Rule(3), True, True,
                            {**table.cells, ("a", VALUE): None})
    assert _recomputable(table, unsafe) == {("a", VALUE)}
    table2 = two_way({("r", "a"): 1, ("r", "b"): 1, ("s", "a"): 5, ("s", "b"): 5}, rows=["r", "s"], cols=["a", "b"])
    values = dict(table2.cells)
    values.update({("r", "a"): None, ("r", "b"): None, ("r", TOTAL): None})
    unsafe2 = PublishedTable(table2.rows, table2.cols, Rule(3), True, True, values)
    # r.a + r.b = 2 with both >= 1: both are 1, and the row total follows
    assert _recomputable(table2, unsafe2) == {("r", "a"), ("r", "b"), ("r", TOTAL)}


@pytest.mark.parametrize("bad", [-1])
def test_negative_counts_are_rejected(bad):
    with pytest.raises(ValueError):
        one_way({"a": bad})


@PROPERTY_SETTINGS
@given(shape=st.tuples(st.integers(1, 3), st.integers(2, 3)).flatmap(
           lambda rc: st.lists(st.lists(st.integers(min_value=0, max_value=7), min_size=rc[1], max_size=rc[1]),
                               min_size=rc[0], max_size=rc[0])),
       threshold=st.integers(min_value=2, max_value=4))
def test_linked_margins_are_kept_or_hidden_as_in_their_own_tables(shape, threshold):
    """A cross-table whose margins are shown elsewhere as one-way tables: the margins follow those
    tables' patterns exactly, complements come from the inner cells, and nothing is recomputable."""
    rows = [f"r{i}" for i in range(len(shape))]
    cols = [f"c{j}" for j in range(len(shape[0]))]
    table = two_way({(rows[i], cols[j]): v for i, line in enumerate(shape) for j, v in enumerate(line)},
                    rows=rows, cols=cols)
    rule = Rule(threshold)
    # The grand total is the headline figure (primary suppression only), as on the dashboard.
    headline = protect(one_way({"all": table.cells[(TOTAL, TOTAL)]}, total=NO_TOTAL), rule).value("all")
    link = {"keep": {(TOTAL, VALUE)}} if headline is not None else {"hide": {(TOTAL, VALUE)}}
    by_row = protect(one_way({r: table.cells[(r, TOTAL)] for r in rows}), rule, **link)
    by_col = protect(one_way({c: table.cells[(TOTAL, c)] for c in cols}), rule, **link)
    margins = {(r, TOTAL): by_row.value(r) for r in rows} | {(TOTAL, c): by_col.value(c) for c in cols}
    margins[(TOTAL, TOTAL)] = by_row.total
    published = protect(table, rule, keep={k for k, v in margins.items() if v is not None},
                        hide={k for k, v in margins.items() if v is None})
    if published.withheld:
        assert published.suppressed == set(table.cells)
        return
    for key, shown in margins.items():
        if shown is None and table.cells[key] == 0:
            continue  # a withheld one-way table hides its zeros too; a zero reveals no one
        assert published.cells()[key] == shown, f"margin {key} differs from its own table"
    _check_published(table, published, rule)
    assert _recomputable(table, published) == set()


def test_a_table_that_cannot_be_protected_under_its_links_is_withheld():
    # one row: the only complement for a small inner cell would be the (kept) totals
    table = two_way({("r", "a"): 1, ("r", "b"): 9}, rows=["r"], cols=["a", "b"])
    published = protect(table, Rule(3), keep={("r", TOTAL), (TOTAL, "a"), (TOTAL, "b"), (TOTAL, TOTAL)},
                        hide={(TOTAL, "a")})
    assert published.withheld and published.total is None
