"""The regional coordinator's pages: /r/<region>/. Aggregates only."""
from flask import Blueprint, abort, g, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..regions.models import Region
from . import queries

bp = Blueprint("coordinator", __name__, url_prefix="/r/<region>", template_folder="templates")


@bp.url_value_preprocessor
def _pull_region(endpoint, values):
    g.region_slug = values.pop("region", None) if values else None


@bp.url_defaults
def _add_region(endpoint, values):
    if "region" not in values and g.get("region") is not None:
        values["region"] = g.region.slug


@bp.before_request
@login_required
def _enter_region():
    region = db.session.execute(select(Region).where(Region.slug == g.region_slug)).scalar_one_or_none()
    if region is None or not current_user.coordinates(region.teryt_code):
        abort(404)
    g.region = region


@bp.route("/")
def home():
    code = g.region.teryt_code
    return render_template(
        "coordinator/home.html",
        counts=queries.institution_counts_by_kind(code),
        institutions=queries.institutions_of_region(code),
        counties=queries.counties_covered(code),
    )
