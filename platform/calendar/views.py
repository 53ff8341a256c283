"""The operator's page of the statutory reporting deadlines (the data every calendar uses)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..institutions.labels import KIND_SHORT
from ..operator.views import operator_only
from .deadlines import all_deadlines
from .forms import FREQUENCY_LABELS, DeadlineForm
from .models import ReportingDeadline
from .services import DeadlineFields, do_save_deadline

bp = Blueprint("operator_deadlines", __name__, url_prefix="/operator/deadlines", template_folder="templates")


@bp.route("/")
@operator_only
def index():
    return render_template("calendar/deadlines.html", deadlines=all_deadlines(), kind_short=KIND_SHORT,
                           frequency_labels=FREQUENCY_LABELS)


def _form_page(form, deadline):
    if form.validate_on_submit():
        saved = do_save_deadline(deadline, DeadlineFields.from_form(form))
        db.session.commit()
        flash(_("The deadline %(form)s has been saved.", form=saved.form_code), "success")
        return redirect(url_for(".index"))
    return render_template("calendar/deadline_form.html", form=form, deadline=deadline), \
        422 if request.method == "POST" else 200


@bp.route("/new", methods=["GET", "POST"])
@operator_only
def create():
    return _form_page(DeadlineForm(), None)


@bp.route("/<int:deadline_id>", methods=["GET", "POST"])
@operator_only
def edit(deadline_id):
    deadline = db.session.get(ReportingDeadline, deadline_id) or abort(404)
    form = DeadlineForm(obj=deadline)
    if request.method == "GET":
        form.frequency.data = deadline.frequency.value
    return _form_page(form, deadline)
