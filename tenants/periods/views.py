"""An institution's reporting periods: review its figures, submit them, see the coordinator's decision."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from regionet.platform.tenancy.web import (
    TenantBlueprint,
    current_institution,
    require_writer,
)
from regionet.platform.validation import ValidationFailed
from regionet.tenants.figures.facts import InstitutionFigures, institution_figures

from . import services
from .models import SubmissionStatus
from .queries import access_submission, period_of, submissions_for_tenant

bp = TenantBlueprint("tenant_periods", __name__, url_prefix="/periods", template_folder="templates")


@bp.context_processor
def _labels():
    from regionet.platform.coordinator.labels import FIXED

    return {"fixed_labels": FIXED}


@bp.route("/")
def index():
    services.do_ensure_submissions(current_institution().region_code)
    return render_template("periods/index.html", submissions=submissions_for_tenant())


@bp.route("/<uuid:submission_id>")
def detail(submission_id):
    submission = access_submission(submission_id)
    period = period_of(submission)
    current = institution_figures(period, stored=False)
    submitted = InstitutionFigures.from_json(submission.figures) if submission.status.is_frozen else None
    return render_template("periods/detail.html", submission=submission, period=period, current=current,
                           submitted=submitted, changed=submitted is not None and submitted != current,
                           form=FlaskForm(), can_submit=submission.status in (SubmissionStatus.OPEN,
                                                                             SubmissionStatus.RETURNED))


@bp.route("/<uuid:submission_id>/submit", methods=["POST"])
@require_writer
def submit(submission_id):
    submission = access_submission(submission_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".detail", submission_id=submission.id))
    try:
        services.do_submit(submission, current_user)
    except ValidationFailed as failure:
        flash(str(next(iter(failure.errors.values()))[0]), "error")
    else:
        flash(_("Your figures are submitted to the regional coordinator. They are frozen until the coordinator "
                "accepts them or returns them for correction."), "success")
    return redirect(url_for(".detail", submission_id=submission.id))
