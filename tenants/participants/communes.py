"""The communes (gminy) a participant of an institution may live in: those of its region.

Communes are kept by their 7-digit TERYT code (WOJ+POW+GMI+RODZ), never by name.
Only whole communes are offered (RODZ 1 urban, 2 rural, 3 urban-rural): the town and
rural parts of an urban-rural commune (RODZ 4 and 5) are not communes of residence.
"""
import re
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.regions.models import TerytUnit
from regionet.platform.ui.polish import sort_key

COMMUNE_KINDS = ("1", "2", "3")
CACHE_SECONDS = 600
_CACHE: dict[str, tuple[float, "CommuneCatalogue"]] = {}
_CODE = re.compile(r"(?<!\d)(\d{6,7})(?!\d)")


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    kind_label: str
    county_name: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kind_label})"


class UnknownCommune(LookupError):
    """`reason` is "code" (no such code in the region), "name" (no such name) or "ambiguous"."""

    def __init__(self, reason: str, text: str, candidates: tuple[Commune, ...] = ()):
        super().__init__(reason)
        self.reason, self.text, self.candidates = reason, text, candidates


class CommuneCatalogue:
    def __init__(self, region_code: str, region_name: str, communes: list[Commune]):
        self.region_code = region_code
        self.region_name = region_name
        self.communes = sorted(communes, key=lambda c: (c.code[:4], sort_key(c.name), c.code))
        self._by_code = {c.code: c for c in communes}
        self._by_name: dict[str, list[Commune]] = {}
        for commune in communes:
            self._by_name.setdefault(commune.name.casefold(), []).append(commune)

    @classmethod
    def for_region(cls, region_code: str) -> "CommuneCatalogue":
        """The region's communes; kept for a while per process, as the register changes once a year."""
        cached = _CACHE.get(region_code)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        catalogue = cls._load(region_code)
        _CACHE[region_code] = (time.monotonic() + CACHE_SECONDS, catalogue)
        return catalogue

    @classmethod
    def _load(cls, region_code: str) -> "CommuneCatalogue":
        region = db.session.get(TerytUnit, region_code)
        county = TerytUnit.__table__.alias("county")
        rows = db.session.execute(
            select(TerytUnit.code, TerytUnit.name, TerytUnit.kind_label, county.c.name, county.c.kind_label)
            .join(county, county.c.code == func.substr(TerytUnit.code, 1, 4))
            .where(TerytUnit.voivodeship == region_code, func.length(TerytUnit.code) == 7,
                   TerytUnit.commune_kind.in_(COMMUNE_KINDS))).all()
        return cls(region_code, region.name.capitalize() if region else region_code,
                   [Commune(code, name, kind, _county_label(county_name, county_kind))
                    for code, name, kind, county_name, county_kind in rows])

    @property
    def names(self) -> dict[str, str]:
        return {code: commune.name for code, commune in self._by_code.items()}

    def get(self, code: str | None) -> Commune | None:
        return self._by_code.get(code or "")

    def resolve(self, text) -> str:
        """A commune's code from a code (also one a spreadsheet shortened to 6 digits) or a unique name."""
        if isinstance(text, int | float):
            text = str(int(text))
        text = str(text or "").strip()
        match = _CODE.search(text)
        if match:
            code = match.group(1).zfill(7)
            if code not in self._by_code:
                raise UnknownCommune("code", code)
            return code
        found = self._by_name.get(text.casefold(), [])
        if len(found) == 1:
            return found[0].code
        raise UnknownCommune("ambiguous" if found else "name", text, tuple(found))

    def grouped_choices(self, first: str | None = None, first_label: str = "") -> dict[str, list[tuple[str, str]]]:
        """Choices for a select, grouped by county (WTForms renders the groups as optgroups); the
        commune `first` (the institution's own) also leads the list in a group of its own."""
        groups: dict[str, list[tuple[str, str]]] = {}
        own = self.get(first) if first else None
        if own is not None:
            groups[first_label] = [(own.code, own.label)]
        for commune in self.communes:
            groups.setdefault(commune.county_name, []).append((commune.code, commune.label))
        return groups


def _county_label(name: str, kind_label: str) -> str:
    # TERC names land counties by adjective ("skarżyski", kind "powiat"); city counties by the city.
    return f"{kind_label} {name}" if kind_label == "powiat" else f"{name} ({kind_label})"
