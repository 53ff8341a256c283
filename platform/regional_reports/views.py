"""The region's reports: start the good-practice catalogue, watch it, download it, schedule it.

/r/<region>/reports/ — the coordinator of that region only (else 404).
"""

from flask import Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..extensions import db
from ..forms import select_choices
from ..regions.web import RegionBlueprint, current_region
from ..run_status import RUN_STATUS_LABELS, failure_advice
from ..ui.formatting import format_datetime, today_in_poland
from . import queries, services
from . import schedule as schedules
from .forms import ReportRequestForm
from .labels import TRIGGER_LABELS, WITHDRAWAL_REASONS
from .models import RegionalReport, ReportTrigger, RunStatus
from .periods import period_choices, period_from_key

bp = RegionBlueprint("regional_reports", __name__, url_prefix="/reports", template_folder="templates")


@bp.app_context_processor
def report_labels():
    return {"run_status_labels": RUN_STATUS_LABELS, "trigger_labels": TRIGGER_LABELS,
            "withdrawal_reasons": WITHDRAWAL_REASONS}


def _request_form() -> ReportRequestForm:
    form = ReportRequestForm()
    form.period.choices = select_choices((p.key, p.label) for p in period_choices(today_in_poland()))
    return form


def _schedule_view(code: str):
    row = queries.schedule_for_region(code)
    if row is None:
        return None
    schedule = schedules.active_schedule(code)
    return {"row": row, "booked_at": schedules.scheduled_run_at(schedule) if schedule else None}


@bp.route("/")
def index(form=None, status=200):
    code = current_region().teryt_code
    return render_template("regional_reports/index.html", form=form or _request_form(), action_form=FlaskForm(),
                           reports=queries.reports_for_region(code), schedule=_schedule_view(code)), status


@bp.route("/", methods=["POST"])
def request_report():
    form = _request_form()
    if not form.validate_on_submit():
        return index(form, 422)
    period = period_from_key(form.period.data, today_in_poland())
    report, created = services.do_request_regional_report(current_region(), period,
                                                          trigger=ReportTrigger.COORDINATOR, user=current_user)
    if created:
        flash(_("The report has been queued. This page shows its progress."), "info")
    else:
        flash(_("A report of exactly this data already exists (data taken %(when)s); it is not built again.",
                when=format_datetime(report.data_taken_at)), "info")
    return redirect(url_for(".detail", report_id=report.id))


def _report_or_404(report_id):
    row = queries.report_for_region(current_region().teryt_code, report_id)
    if row is None:
        abort(404)
    if not row["status"].is_finished:
        services.do_reconcile_with_queue(db.session.get(RegionalReport, report_id))
        row = queries.report_for_region(current_region().teryt_code, report_id)
    return row


@bp.route("/<uuid:report_id>")
def detail(report_id):
    return render_template("regional_reports/detail.html", report=_report_or_404(report_id), form=FlaskForm())


@bp.route("/<uuid:report_id>/status")
def status(report_id):
    report = _report_or_404(report_id)
    return jsonify(status=report["status"].value, label=str(RUN_STATUS_LABELS[report["status"]]),
                   progress=report["progress"], finished=report["status"].is_finished,
                   error=failure_advice(report["status"]))


@bp.route("/<uuid:report_id>/download")
def download(report_id):
    found = queries.report_pdf(current_region().teryt_code, report_id)
    if found is None:
        abort(404)
    if found["withdrawn_at"] is not None:   # its PDF is deleted: the page says why
        return render_template("regional_reports/detail.html", report=_report_or_404(report_id),
                               form=FlaskForm()), 410
    if found["status"] is not RunStatus.DONE or found["pdf"] is None:
        flash(_("This report is not ready yet."), "warning")
        return redirect(url_for(".detail", report_id=report_id))
    return Response(found["pdf"], mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{found["file_name"]}"', "Cache-Control": "private, no-store"})


@bp.route("/<uuid:report_id>/cancel", methods=["POST"])
def cancel(report_id):
    _report_or_404(report_id)
    if FlaskForm().validate_on_submit() and services.do_cancel_regional_report(db.session.get(RegionalReport, report_id)):
        flash(_("The report has been cancelled."), "info")
    return redirect(url_for(".detail", report_id=report_id))


@bp.route("/<uuid:report_id>/retry", methods=["POST"])
def retry(report_id):
    _report_or_404(report_id)
    report = db.session.get(RegionalReport, report_id)
    if FlaskForm().validate_on_submit() and report.status is RunStatus.FAILED:
        services.do_retry_regional_report(report)
        flash(_("The report has been queued again."), "info")
    return redirect(url_for(".detail", report_id=report_id))


@bp.route("/schedule", methods=["POST"])
def enable_schedule():
    if FlaskForm().validate_on_submit():
        schedule = schedules.do_enable_quarterly(current_region(), current_user)
        flash(_("The report will be built every quarter; the next run is on %(when)s.",
                when=format_datetime(schedule.next_run_at)), "success")
    return redirect(url_for(".index"))


@bp.route("/schedule/cancel", methods=["POST"])
def cancel_schedule():
    if FlaskForm().validate_on_submit() and schedules.do_cancel_schedule(current_region()):
        flash(_("The quarterly report has been cancelled."), "success")
    return redirect(url_for(".index"))
