"""What the coordinator's figures can be counted as and broken down by.

Measures:
* people: unique people across the region's institutions (a person with a PESEL is
  counted once however many institutions supported them, through the keyed pseudonym;
  a person without PESEL is counted on their own);
* participations: people per institution (a person at a MOPS and at a PUP counts twice);
* episodes: support episodes that started in the period; outcomes: outcomes achieved in it;
* exits: participations that ended in the period; employed: of those, with a job
  (employment or civil contract, self-employment, internship turned into a job)
  within 4 weeks of leaving. Employment rate = employed / exits.

Dimensions of the institution (the institution's kind, the institution, its county and
commune by TERYT) and of the person (participant's county and commune, sex, age band on
the last day of the period, disability). A person known to several institutions gets
one value per person attribute: the highest commune code recorded (a recorded commune
wins over none), the first sex and age band in sort order, and disability "yes" if any
institution recorded it ("refused" over "no").
"""
from dataclasses import dataclass
from itertools import combinations

INSTITUTION_DIMS = ("inst_kind", "institution", "inst_county", "inst_commune")
PERSON_DIMS = ("county", "commune", "sex", "age_band", "disability")
SENSITIVE_DIMS = frozenset({"disability"})
# (finer, coarser): a cross-table of the two says nothing the finer one does not.
DEPENDENT = frozenset({("institution", "inst_kind"), ("institution", "inst_county"),
                       ("institution", "inst_commune"), ("inst_commune", "inst_county"), ("commune", "county")})
# Cross-tables are offered (and published) only between dimensions with few categories: the finest
# ones (an institution, a commune, an institution's commune) are published one way only, and the
# special category (disability) is crossed only with sex, age band and the institution's type. With
# every finer cross-table, one person's row becomes a profile told by its zeros (issue 11), and the
# linked set that must be protected together grows with every pair (coordinator/figure_links.py).
FINE_DIMS = frozenset({"institution", "inst_commune", "commune"})
SENSITIVE_PARTNERS = frozenset({"sex", "age_band", "inst_kind"})
AGE_BANDS = ("0-17", "18-29", "30-49", "50-64", "65+")     # the lower ages of the bands: 18, 30, 50, 65
AGE_LIMITS = (18, 30, 50, 65)


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    dims: tuple                 # dimensions it can be broken down by
    pairs: tuple                # cross-tables it can be broken down by (dim_a, dim_b) in canonical order
    additive_dims: frozenset    # dims whose categories add up to the total (no one in two rows)
    additive_over_time: bool    # quarters add up to the year

    @property
    def offered(self) -> tuple:
        """The cross-tables a coordinator can see or download (a subset of the stored `pairs`)."""
        return tuple(pair for pair in self.pairs if is_offered_pair(*pair))


def is_offered_pair(dim_a: str, dim_b: str) -> bool:
    if dim_a in FINE_DIMS or dim_b in FINE_DIMS:
        return False
    if dim_a in SENSITIVE_DIMS:
        return dim_b in SENSITIVE_PARTNERS
    if dim_b in SENSITIVE_DIMS:
        return dim_a in SENSITIVE_PARTNERS
    return True


def _pairs(dims) -> tuple:
    return tuple((a, b) for a, b in combinations(dims, 2)
                 if (a, b) not in DEPENDENT and (b, a) not in DEPENDENT)


_BASE = INSTITUTION_DIMS + PERSON_DIMS
MEASURES: dict[str, MeasureSpec] = {m.key: m for m in (
    MeasureSpec("people", PERSON_DIMS + ("kinds",) + INSTITUTION_DIMS, _pairs(PERSON_DIMS),
                frozenset(PERSON_DIMS) | {"kinds"}, False),
    MeasureSpec("participations", _BASE, _pairs(_BASE), frozenset(_BASE), False),
    MeasureSpec("episodes", _BASE + ("instrument",), _pairs(_BASE + ("instrument",)),
                frozenset(_BASE) | {"instrument"}, True),
    MeasureSpec("outcomes", _BASE + ("outcome",), _pairs(_BASE + ("outcome",)),
                frozenset(_BASE) | {"outcome"}, True),
    MeasureSpec("exits", _BASE, (), frozenset(_BASE), True),
    MeasureSpec("employed", _BASE, (), frozenset(_BASE), True),
)}
DIM_ORDER = PERSON_DIMS + ("kinds",) + INSTITUTION_DIMS + ("instrument", "outcome")


# The region's network (issues 15 and 16, point 6), counted by figures_api.refresh_region_network
# (migration 0023n) into region_figures beside the figures above and protected in the same linked
# set (figure_links.py). Referrals sent in the period, by the sending and receiving institution's
# type, the service's type and the sending institution's county: each referral in one row of each
# (additive), and a referral sent in a quarter is in its half-year and year (additive over time).
REFERRAL_DIMS = ("ref_from", "ref_to", "ref_service", "ref_county")
REFERRAL_PAIRS = (("ref_from", "ref_to"), ("ref_from", "ref_service"), ("ref_to", "ref_service"),
                  ("ref_to", "ref_county"))
REFERRAL_COUNTS = ("ref_sent", "ref_accepted", "ref_declined", "ref_started", "ref_completed")
# Working groups: groups (existing by the period's end) and meetings (held in it) by the types and
# counties of the institutions taking part (a group of a MOPS and a PUP is in both rows: not
# additive); attendance records by the attendee's institution type and action items whose
# deadline fell in the period by the owner institution's type (each in one row).
GROUP_DIMS = ("grp_kind", "grp_county")
NETWORK_DIMS = REFERRAL_DIMS + GROUP_DIMS + ("att_kind", "act_kind")
NETWORK_MEASURES: dict[str, MeasureSpec] = {m.key: m for m in (
    *(MeasureSpec(key, REFERRAL_DIMS, REFERRAL_PAIRS, frozenset(REFERRAL_DIMS), True) for key in REFERRAL_COUNTS),
    MeasureSpec("grp_groups", GROUP_DIMS, (GROUP_DIMS,), frozenset(), False),
    MeasureSpec("grp_meetings", GROUP_DIMS, (GROUP_DIMS,), frozenset(), True),
    MeasureSpec("att_recorded", ("att_kind",), (), frozenset({"att_kind"}), True),
    MeasureSpec("att_present", ("att_kind",), (), frozenset({"att_kind"}), True),
    MeasureSpec("act_due", ("act_kind",), (), frozenset({"act_kind"}), True),
    MeasureSpec("act_on_time", ("act_kind",), (), frozenset({"act_kind"}), True),
)}
# (smaller, larger) measures of the same breakdown: one never exceeds the other.
NETWORK_AT_MOST = {"ref_accepted": "ref_sent", "ref_declined": "ref_sent", "ref_started": "ref_sent",
                   "ref_completed": "ref_sent", "att_present": "att_recorded", "act_on_time": "act_due"}
# Every measure the linked set protects (the explorer offers MEASURES; the network pages the rest).
SPECS: dict[str, MeasureSpec] = {**MEASURES, **NETWORK_MEASURES}


def canonical_pair(measure: str, dim_a: str, dim_b: str) -> tuple[str, str] | None:
    """The stored order of a cross-table, or None when the measure does not offer it."""
    pairs = SPECS[measure].offered
    if (dim_a, dim_b) in pairs:
        return dim_a, dim_b
    if (dim_b, dim_a) in pairs:
        return dim_b, dim_a
    return None


def is_sensitive(*dims: str) -> bool:
    return any(d in SENSITIVE_DIMS for d in dims)
