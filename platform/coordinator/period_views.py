"""Reporting periods: open one, follow which institutions submitted, accept or return."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..validation import ValidationFailed, apply_to_form
from . import queries, tables
from .forms import AcceptForm, PeriodForm, ReturnForm
from .periods import Period
from .services import do_decide, do_open_period
from .views import bp


@bp.route("/periods", methods=["GET", "POST"])
def periods():
    form = PeriodForm()
    status = 200
    if form.validate_on_submit():
        try:
            period = do_open_period(g.region, form.name.data, form.start_date.data, form.end_date.data,
                                    form.due_date.data, current_user)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
            status = 400
        else:
            flash(_("The period “%(name)s” is open. Every institution of the region can now review and submit its "
                    "figures.", name=period.name), "success")
            return redirect(url_for(".period", period_id=period.id))
    elif form.is_submitted():
        status = 400
    code = g.region.teryt_code
    rows = queries.reporting_periods_of_region(code)
    counts = {row.id: queries.status_counts(code, row.id) for row in rows}
    return render_template("coordinator/periods.html", periods=rows, counts=counts, form=form), status


def _period_or_404(period_id):
    row = queries.reporting_period(g.region.teryt_code, period_id)
    if row is None:
        abort(404)
    return row


@bp.route("/periods/<uuid:period_id>")
def period(period_id):
    row = _period_or_404(period_id)
    states = queries.submission_states(g.region.teryt_code, period_id)
    return render_template("coordinator/period.html", period=row, states=states,
                           counts=queries.status_counts(g.region.teryt_code, period_id))


def _review(row, institution_id: int, accept_form=None, return_form=None, status=200):
    states = {s.institution_id: s for s in queries.submission_states(g.region.teryt_code, row.id)}
    state = states.get(institution_id)
    if state is None:
        abort(404)
    period = Period(row.period_key, row.start_date, row.end_date, "reporting", row.name)
    sel = tables.Selection.load(g.region, period, "all")
    figures = tables.measures_table(sel, ("participations", "episodes", "outcomes", "exits", "employed"),
                                    "institution")
    line = next((r for r in figures.rows if r.key == str(institution_id)), None)
    history = queries.submission_history(g.region.teryt_code, row.id, institution_id)
    return render_template(
        "coordinator/submission.html", period=row, state=state, figures=figures, line=line, history=history,
        figure_status=queries.figure_statuses(g.region.teryt_code).get(row.period_key),
        run=queries.figure_run(g.region.teryt_code),
        accept_form=accept_form or AcceptForm(prefix="accept"), return_form=return_form or ReturnForm(prefix="ret"),
    ), status


@bp.route("/periods/<uuid:period_id>/institutions/<int:institution_id>")
def submission(period_id, institution_id):
    return _review(_period_or_404(period_id), institution_id)


@bp.route("/periods/<uuid:period_id>/institutions/<int:institution_id>/accept", methods=["POST"])
def accept(period_id, institution_id):
    return _decide(period_id, institution_id, accept=True)


@bp.route("/periods/<uuid:period_id>/institutions/<int:institution_id>/return", methods=["POST"])
def send_back(period_id, institution_id):
    return _decide(period_id, institution_id, accept=False)


def _decide(period_id, institution_id: int, accept: bool):
    row = _period_or_404(period_id)
    form = AcceptForm(prefix="accept") if accept else ReturnForm(prefix="ret")
    if not form.validate_on_submit():
        return _review(row, institution_id, **{("accept_form" if accept else "return_form"): form}, status=400)
    try:
        do_decide(g.region, period_id, institution_id, current_user, accept, form.comment.data)
    except LookupError:
        abort(404)
    except ValidationFailed as failure:
        apply_to_form(form, failure)
        return _review(row, institution_id, **{("accept_form" if accept else "return_form"): form}, status=400)
    flash(_("The figures are accepted and frozen.") if accept else
          _("The figures are returned to the institution with your comment."), "success")
    return redirect(url_for(".submission", period_id=period_id, institution_id=institution_id))
