"""Benchmark: how much of the demo region's figures the linked protection hides (its utility).

    .venv/bin/python -m bench.suppression_utility [--keep-db NAME] [--audit] [--dump FILE] [--release-solves N ...]

1. A scratch platform (bench/scratch.py: migrated, the demo region seeded with its records);
   the region is recounted as `make run` does it (`flask coordinator refresh-figures`), timed
   (the recount includes the linked protection of every year). With --keep-db NAME the database
   is kept and a second run reuses its figures (no recount).
2. For every calendar year (one linked set: the year, its half-years and quarters), the stored
   cells are protected again in this process (`linked.protect_linked`, wall and CPU seconds),
   once per --release-solves value (default: 0, i.e. without the release pass as before it
   existed, and linked.RELEASE_SOLVES, what the recount uses), and the script prints: non-zero cells of the set, how many are hidden by the primary rule (below the
   threshold, withheld at the source), by the attribute rule (zeros of small disability
   groups), and as complements (secondary), and the share of the set's total value hidden.
   With --audit the attacker's integer program (`linked.audit`) is run over the result and
   any hidden cell it pins is counted (should be 0; slow: minutes per year).
   With --dump FILE the sets' cells, places and thresholds are pickled, for experiments with
   the protection without a database.
"""
import argparse
import pickle
import time

from bench.scratch import scratch_platform

REGION_CODE = "26"


def recount(scratch) -> None:
    started = time.perf_counter()
    result = scratch.app.test_cli_runner().invoke(args=["coordinator", "refresh-figures"])
    if result.exit_code != 0:
        raise SystemExit(f"refresh failed: {result.output}\n{result.exception!r}")
    print(result.output.strip())
    print(f"recount of the demo region: {time.perf_counter() - started:.1f} s")


def year_sets(region) -> list[tuple[int, list, dict, dict, int, int]]:
    """(year, member periods, cells, places, normal, sensitive threshold) of every counted year."""
    from regionet.platform.coordinator import patterns
    from regionet.platform.coordinator.periods import periods_of_year

    statuses = patterns._statuses(region.teryt_code)
    years = sorted({int(key) for key in statuses if key.isdigit()})
    result = []
    for year in years:
        members = periods_of_year(year)
        normal, sensitive = patterns._thresholds(region, members, statuses)
        result.append((year, members, patterns._cells(region.teryt_code, members, "all"),
                       patterns._places(region.teryt_code), normal, sensitive))
    return result


def measure(sets, audit: bool = False, release_solves: int | None = None) -> dict:
    """Protect every set, print a line per year and the totals; returns the totals."""
    from regionet.platform.coordinator.figure_links import linked_set
    from regionet.platform.coordinator.linked import audit as attack
    from regionet.platform.coordinator.linked import primary, protect_linked

    print(f"{'year':>6} {'non-zero':>9} {'hidden':>7} {'primary':>8} {'zeros':>6} {'secondary':>10} "
          f"{'% cells':>8} {'% value':>8} {'seconds':>8} {'CPU s':>6}" + ("  pinned" if audit else ""))
    totals = dict.fromkeys(("nonzero", "hidden", "primary", "zeros", "secondary", "value", "value_hidden",
                            "seconds", "cpu", "pinned"), 0)
    for year, members, cells, places, normal, sensitive in sets:
        ls = linked_set(cells, members, places, normal, sensitive)
        started, cpu = time.perf_counter(), time.process_time()
        hidden = protect_linked(ls, release_solves=release_solves)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        first = primary(ls)
        zeros = {k for k in hidden if ls.value(k) == 0}
        nonzero = [k for k, v in ls.cells.items() if v != 0]
        secondary = hidden - first - zeros
        value = sum(ls.estimate(k) for k in nonzero)
        value_hidden = sum(ls.estimate(k) for k in hidden)
        pinned = 0
        if audit:
            pinned = sum(1 for key, (low, high) in attack(ls, hidden).items()
                         if low == high or (high - low < 1))
        row = {"nonzero": len(nonzero), "hidden": len(hidden), "primary": len(first), "zeros": len(zeros),
               "secondary": len(secondary), "value": value, "value_hidden": value_hidden, "seconds": seconds, "cpu": cpu,
               "pinned": pinned}
        for key, amount in row.items():
            totals[key] += amount
        _print(str(year), row, audit)
    _print("all", totals, audit)
    return totals


def _print(label: str, row: dict, audit: bool) -> None:
    share = 100.0 * (row["hidden"] - row["zeros"]) / max(row["nonzero"], 1)
    value_share = 100.0 * row["value_hidden"] / max(row["value"], 1)
    print(f"{label:>6} {row['nonzero']:>9,} {row['hidden']:>7,} {row['primary']:>8,} {row['zeros']:>6,} "
          f"{row['secondary']:>10,} {share:>7.1f}% {value_share:>7.1f}% {row['seconds']:>8.1f} {row['cpu']:>6.1f}"
          + (f"  {row['pinned']:>6}" if audit else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep-db", help="keep (or reuse) the scratch database under this name")
    parser.add_argument("--audit", action="store_true", help="attack the result with the integer program")
    parser.add_argument("--dump", help="pickle the sets' inputs to this file")
    parser.add_argument("--release-solves", type=int, nargs="+", help="budgets of the release pass to compare")
    args = parser.parse_args(argv)
    from regionet.platform.extensions import db
    from regionet.platform.regions.models import Region

    with scratch_platform(args.keep_db, keep=bool(args.keep_db)) as scratch:
        with scratch.app.app_context():
            if not scratch.reused:
                recount(scratch)
            region = db.session.get(Region, REGION_CODE)
            sets = year_sets(region)
            if args.dump:
                with open(args.dump, "wb") as handle:
                    pickle.dump([(y, m, c, p, n, s) for y, m, c, p, n, s in sets], handle)
            print("non-zero: cells of the year's linked set that are not 0; hidden: primary (below the threshold "
                  "or withheld), zeros (attribute rule), secondary (complements); % value: share of the sum of "
                  "non-zero cells hidden")
            from regionet.platform.coordinator.linked import RELEASE_SOLVES

            for budget in args.release_solves or (0, RELEASE_SOLVES):
                print(f"\nrelease pass budget: {budget} LP solves per set" + (" (without the pass)" if not budget else ""))
                measure(sets, audit=args.audit, release_solves=budget)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
