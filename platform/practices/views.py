"""The coordinator's review of good practices and the region's catalogue: /r/<region>/practices/.

Reads go through the coordinator's own database role (region_reader): the submitted text
and its aggregated, suppressed figures, never a participant. Decisions are written by
`services.do_decide`.
"""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..coordinator.db import region_reader
from ..extensions import db
from ..regions.web import RegionBlueprint, current_region
from ..ui.listing import ListQuery
from ..validation import ValidationFailed, apply_to_form
from . import queries, services
from .forms import ReviewForm
from .labels import SECTION_LABELS, SUBMISSION_STATUS_LABELS
from .models import SubmissionStatus

bp = RegionBlueprint("region_practices", __name__, url_prefix="/practices", template_folder="templates")


@bp.app_context_processor
def review_labels():
    return {"submission_status_labels": SUBMISSION_STATUS_LABELS}


@bp.app_template_filter("section_label")
def section_label(key: str) -> str:
    return str(SECTION_LABELS.get(key, key))

SECTION_KEYS = ("title", "period", "problem", "local_figures", "target_group", "instruments", "cooperation",
                "partners", "funding", "project", "results_narrative", "success_factors", "barriers",
                "sustainability", "transferability", "sources", "contact", "photos")


@bp.route("/")
def index():
    from regionet.tenants.practices.catalogue_views import facet_choices

    code = current_region().teryt_code
    listing = ListQuery.from_request(queries.CATALOGUE_SORTABLE, "published", filters=queries.CATALOGUE_FILTERS,
                                     default_descending=True)
    with region_reader(code) as conn:
        facets = facet_choices(conn.execute, code)
    return render_template(
        "practices_region/index.html",
        pending=queries.submissions_for_coordinator(code, SubmissionStatus.PENDING),
        decided=queries.submissions_for_coordinator(code, SubmissionStatus.RETURNED, limit=20),
        page=queries.catalogue_for_coordinator(code, listing), listing=listing, facets=facets,
        entry_endpoint="region_practices.published")


def _changed_sections(new: dict, old: dict | None) -> list[str]:
    if old is None:
        return []
    return [key for key in SECTION_KEYS if new.get(key) != old.get(key)]


@bp.route("/submissions/<uuid:submission_id>", methods=["GET", "POST"])
def submission(submission_id):
    region = current_region()
    form = ReviewForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        try:
            services.do_decide(submission_id, region, current_user, approve, form.comment.data)
        except LookupError:
            abort(404)
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
        else:
            db.session.commit()
            flash(_("The practice has been approved and published in the catalogue.") if approve
                  else _("The practice has been returned to the institution with your comment."), "success")
            return redirect(url_for(".index"))
    found = queries.submission_for_coordinator(region.teryt_code, submission_id)
    if found is None:
        abort(404)
    sub = found["submission"]
    photos = [{"url": url_for(".submission_photo", submission_id=submission_id, position=p["position"]), **p}
              for p in found["photos"]]
    old = found["published"]["content"] if found["published"] else None
    status = 422 if form.errors else 200
    return render_template("practices_region/submission.html", sub=sub, found=found, photos=photos, form=form,
                           changed=_changed_sections(sub["content"], old)), status


@bp.route("/submissions/<uuid:submission_id>/photos/<int:position>")
def submission_photo(submission_id, position):
    code = current_region().teryt_code
    with region_reader(code) as conn:
        found = queries.submission_photo(conn.execute, code, submission_id, position)
        if found is None:
            abort(404)
        data, content_type = bytes(found["data"]), found["content_type"]
    return Response(data, mimetype=content_type, headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/published/<uuid:published_id>")
def published(published_id):
    code = current_region().teryt_code
    with region_reader(code) as conn:
        row = queries.published_entry(conn.execute, code, published_id)
        if row is None:
            abort(404)
        row = dict(row)
        photos = [{"url": url_for(".submission_photo", submission_id=row["submission_id"], position=p["position"]),
                   **p} for p in queries.submission_photos(conn.execute, code, row["submission_id"])]
    return render_template("practices_region/published.html", row=row, photos=photos)
