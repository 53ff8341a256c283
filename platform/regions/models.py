"""Regions (regional networks, one per voivodeship) and the TERYT register they stand on."""
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    LargeBinary,
    SmallInteger,
    String,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp
from ..extensions import db

# RODZ in the TERC register: what kind of commune (or part of one) a 7-digit code is.
COMMUNE_KINDS = {
    "1": "urban commune",
    "2": "rural commune",
    "3": "urban-rural commune",
    "4": "town in an urban-rural commune",
    "5": "rural area of an urban-rural commune",
    "8": "district of Warsaw",
    "9": "delegation of a city",
}


class TerytUnit(db.Model):
    """One unit of the TERC register: a voivodeship (2 digits), county (4) or commune (7)."""

    __tablename__ = "teryt_units"

    code: Mapped[str] = mapped_column(String(7), primary_key=True)
    voivodeship: Mapped[str] = mapped_column(String(2), index=True)
    county: Mapped[str | None] = mapped_column(String(2))
    commune: Mapped[str | None] = mapped_column(String(2))
    commune_kind: Mapped[str | None] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(100))
    kind_label: Mapped[str] = mapped_column(String(100))
    valid_on: Mapped[date] = mapped_column(Date)
    # The name's Polish alphabetical order, kept by the database (migration 0013).
    name_key: Mapped[bytes | None] = mapped_column(
        LargeBinary, Computed("polish_sort_key(name)", persisted=True), deferred=True)

    @property
    def level(self) -> str:
        return {2: "voivodeship", 4: "county"}.get(len(self.code), "commune")

    @property
    def county_code(self) -> str | None:
        return self.code[:4] if len(self.code) >= 4 else None


class Region(db.Model):
    """A regional network, keyed by its voivodeship's TERYT code."""

    __tablename__ = "regions"
    __table_args__ = (
        # The law's floor (GUS, art. 38): fewer than 3 units is never published; 5 for special categories.
        # Only the operator changes them, with a reason (figures_api.set_region_thresholds, migration 0015).
        CheckConstraint("suppression_threshold >= 3", name="threshold_floor"),
        CheckConstraint("sensitive_threshold >= suppression_threshold AND sensitive_threshold >= 5",
                        name="sensitive_stricter"),
    )

    teryt_code: Mapped[str] = mapped_column(String(2), ForeignKey("teryt_units.code"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Aggregates under these counts are never published (GUS, art. 38: fewer than 3 units).
    suppression_threshold: Mapped[int] = mapped_column(SmallInteger, default=3, server_default="3")
    sensitive_threshold: Mapped[int] = mapped_column(SmallInteger, default=5, server_default="5")
    # Every member of every institution of the region must sign in with a second factor.
    require_second_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
