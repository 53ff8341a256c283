"""Writes for regions."""
from flask_babel import gettext as _
from slugify import slugify

from ..extensions import db
from ..validation import ValidationFailed
from .models import Region
from .teryt import do_load_teryt, voivodeship_name


def do_create_region(teryt_code: str, name: str | None = None, slug: str | None = None) -> tuple[Region, bool]:
    """The region of a voivodeship, created (with its TERYT units) if missing; (region, created)."""
    teryt_code = (teryt_code or "").strip()
    official = voivodeship_name(teryt_code) if len(teryt_code) == 2 else None
    if official is None:
        raise ValidationFailed.single("teryt_code", _(
            "Enter the two-digit TERYT code of a voivodeship, e.g. 26 for Świętokrzyskie."))
    existing = db.session.get(Region, teryt_code)
    if existing is not None:
        return existing, False
    # The whole register (about 4,300 units): institutions and participants near a regional
    # border are validated against real codes, and "outside the region" is told apart from "no such code".
    do_load_teryt()
    region = Region(teryt_code=teryt_code, name=name or official.capitalize(), slug=slug or slugify(official))
    db.session.add(region)
    db.session.flush()
    return region, True
