"""The region's catalogue of published practices, as every institution of the region sees it.

A deliberate, read-only exposure across institutions: these pages read only the
region-level published copies (platform/practices/models.py), never another
institution's own rows, and only for the region of the institution the user is in.
The blueprint enters the institution exactly like a TenantBlueprint (membership or 404)
but is not one: its URLs name region-level entries, not tenant objects, so the generated
cross-tenant test (tenant objects answer 404 elsewhere) does not apply to it; its own
tests check that another region's entries answer 404.
"""
from flask import Blueprint, Response, abort, render_template, url_for

from regionet.platform.extensions import db
from regionet.platform.institutions.labels import KIND_LABELS
from regionet.platform.practices.queries import (
    CATALOGUE_FILTERS,
    CATALOGUE_SORTABLE,
    catalogue_for_institution,
    counties_of_region,
    published_entry,
    published_photo_for_institution,
    submission_photos,
)
from regionet.platform.tenancy.web import (
    TENANT_PREFIX,
    _add_tenant_slug,
    _enter_tenant,
    _pull_tenant_slug,
    current_institution,
)
from regionet.platform.ui.listing import ListQuery
from regionet.tenants.support.labels import INSTRUMENT_LABELS

from .labels import TARGET_GROUP_LABELS

bp = Blueprint("practice_catalogue", __name__, url_prefix=TENANT_PREFIX + "/catalogue", template_folder="templates")
bp.url_value_preprocessor(_pull_tenant_slug)
bp.url_defaults(_add_tenant_slug)
bp.before_request(_enter_tenant)


def facet_choices(execute, region_code: str) -> dict:
    return {"instrument": [(k.value, label) for k, label in INSTRUMENT_LABELS.items()],
            "target_group": [(k.value, label) for k, label in TARGET_GROUP_LABELS.items()],
            "kind": [(k.value, label) for k, label in KIND_LABELS.items()],
            "county": counties_of_region(execute, region_code)}


@bp.route("/")
def index():
    region_code = current_institution().region_code
    listing = ListQuery.from_request(CATALOGUE_SORTABLE, "published", filters=CATALOGUE_FILTERS,
                                     default_descending=True)
    return render_template("practices/catalogue.html", page=catalogue_for_institution(region_code, listing),
                           listing=listing, facets=facet_choices(db.session.execute, region_code),
                           entry_endpoint="practice_catalogue.entry")


@bp.route("/<uuid:published_id>")
def entry(published_id):
    region_code = current_institution().region_code
    row = published_entry(db.session.execute, region_code, published_id)
    if row is None:
        abort(404)
    photos = [{"url": url_for(".photo", published_id=published_id, position=p["position"]), **p}
              for p in submission_photos(db.session.execute, region_code, row["submission_id"])]
    return render_template("practices/catalogue_entry.html", row=row, photos=photos,
                           back_url=url_for(".index"))


@bp.route("/<uuid:published_id>/photos/<int:position>")
def photo(published_id, position):
    found = published_photo_for_institution(current_institution().region_code, published_id, position)
    if found is None:
        abort(404)
    return Response(found["data"], mimetype=found["content_type"],
                    headers={"Cache-Control": "private, max-age=3600"})
