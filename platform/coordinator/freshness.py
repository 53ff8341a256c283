"""Are a period's figures current? What a recount must redo, and what it can skip.

An institution's facts of a period are current while its records version (tenants/tallies,
moved on by every write of its records) is the one they were built from
(`figure_fact_builds`). The region's figures of a period are current while what they were
counted from is unchanged: every institution's facts build, its submission's state (the
`accepted` scope), its kind and TERYT code, and the region's thresholds. That is the
period's stamp, stored with its status (`region_figure_status.facts_stamp`).

Only PostgreSQL keeps records versions (triggers); elsewhere nothing is known to be
current and everything is recounted. An institution whose version is unknown (no write
since the tallies began) is never taken as current.
"""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import text

from regionet.tenants.periods.models import SubmissionStatus

from ..extensions import db
from ..regions.models import Region

FROZEN_STATUSES = frozenset(status.value for status in SubmissionStatus if status.is_frozen)


@dataclass(frozen=True)
class InstitutionState:
    tenant_id: int
    is_active: bool
    kind: str
    teryt_code: str
    records_version: int | None
    facts_version: int | None
    submission_status: str | None

    @property
    def frozen(self) -> bool:
        """Its facts of the period stay as submitted: never rebuilt."""
        return self.submission_status in FROZEN_STATUSES

    @property
    def facts_current(self) -> bool:
        return self.records_version is not None and self.facts_version == self.records_version


def region_states(region_code: str, period_key: str) -> list[InstitutionState]:
    """Every institution of the region as the period's figures see it."""
    rows = db.session.execute(text("SELECT * FROM figures_api.region_versions(:region, :period)"),
                              {"region": region_code, "period": period_key}).all()
    return [InstitutionState(*row) for row in rows]


def institutions_to_rebuild(states: list[InstitutionState]) -> list[int]:
    """Active institutions whose facts of the period no longer match their records."""
    return [s.tenant_id for s in states if s.is_active and not s.frozen and not s.facts_current]


def figures_stamp(region: Region, states: list[InstitutionState]) -> str:
    """What the period's region figures are counted from, hashed."""
    inputs = {"thresholds": [region.suppression_threshold, region.sensitive_threshold],
              "institutions": [[s.tenant_id, s.kind, s.teryt_code, s.facts_version, s.submission_status]
                               for s in states]}
    return hashlib.sha256(json.dumps(inputs, separators=(",", ":")).encode()).hexdigest()
