"""Writes for institutions (the tenants)."""
from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import select
from stdnum.pl import nip as nip_number
from stdnum.pl import regon as regon_number

from ..extensions import db
from ..regions.models import Region, TerytUnit
from ..validation import ValidationFailed
from .models import Institution, InstitutionKind


def do_create_institution(*, region_code: str, name: str, kind: str, teryt_code: str, short_name: str | None = None,
                          slug: str | None = None, nip: str | None = None, regon: str | None = None
                          ) -> tuple[Institution, bool]:
    """Create an institution, or return the one with the same slug; (institution, created)."""
    slug = slugify(slug or short_name or name, max_length=80)
    existing = db.session.execute(select(Institution).where(Institution.slug == slug)).scalar_one_or_none()
    if existing is not None:
        return existing, False
    errors: dict[str, list[str]] = {}
    region = db.session.get(Region, region_code)
    if region is None:
        errors["region_code"] = [_("Choose an existing region.")]
    if not (name or "").strip():
        errors["name"] = [_("Enter the institution's full name.")]
    try:
        kind_value = InstitutionKind(kind)
    except ValueError:
        errors["kind"] = [_("Choose the type of institution.")]
    unit = db.session.get(TerytUnit, (teryt_code or "").strip())
    if unit is None or len(unit.code) not in (4, 7):
        errors["teryt_code"] = [_("Enter the TERYT code of a commune (7 digits) or a county (4 digits).")]
    elif region is not None and unit.voivodeship != region.teryt_code:
        errors["teryt_code"] = [_("This commune or county lies outside the region.")]
    nip_clean = nip_number.compact(nip) if nip else None
    if nip_clean and not nip_number.is_valid(nip_clean):
        errors["nip"] = [_("This NIP number is not valid (check the digits).")]
    regon_clean = regon_number.compact(regon) if regon else None
    if regon_clean and not regon_number.is_valid(regon_clean):
        errors["regon"] = [_("This REGON number is not valid (check the digits).")]
    if errors:
        raise ValidationFailed(errors)
    institution = Institution(
        region_code=region_code, slug=slug, name=name.strip(), short_name=(short_name or name).strip()[:80],
        kind=kind_value, teryt_code=unit.code, nip=nip_clean, regon=regon_clean)
    db.session.add(institution)
    db.session.flush()
    return institution, True


