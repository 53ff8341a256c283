"""Pages of one region for its coordinator: /r/<region>/... (the coordinator's dashboard and
reporting periods, the practices' review, the regional reports).

`RegionBlueprint` is the one guard: only a coordinator of that region gets in; anyone else
(another region's coordinator, an institution's staff) gets 404, as for a region that does
not exist. The region is `g.region` (`current_region()`) in the views and templates.
"""
from flask import Blueprint, abort, g
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from .models import Region


class RegionBlueprint(Blueprint):
    def __init__(self, name: str, import_name: str, url_prefix: str = "", **kwargs):
        super().__init__(name, import_name, url_prefix="/r/<region>" + url_prefix, **kwargs)
        self.url_value_preprocessor(_pull_region)
        self.url_defaults(_add_region)
        self.before_request(_enter_region)


def _pull_region(endpoint, values):
    g.region_slug = values.pop("region", None) if values else None


def _add_region(endpoint, values):
    if "region" not in values and g.get("region") is not None:
        values["region"] = g.region.slug


@login_required
def _enter_region():
    region = db.session.execute(select(Region).where(Region.slug == g.region_slug)).scalar_one_or_none()
    if region is None or not current_user.coordinates(region.teryt_code):
        abort(404)
    g.region = region


def current_region() -> Region:
    return g.region
