"""Pages of an institution's reports. Thin: reads from queries, writes through services."""
from flask import Response, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from regionet.platform.run_status import RUN_STATUS_LABELS, failure_advice
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer

from . import services
from .labels import KIND_LABELS
from .models import RunStatus
from .queries import access_report, reports_for_tenant

bp = TenantBlueprint("tenant_reports", __name__, url_prefix="/reports", template_folder="templates")


@bp.app_context_processor
def report_labels():
    return {"status_labels": RUN_STATUS_LABELS, "report_kind_labels": KIND_LABELS}


@bp.route("/")
def index():
    return render_template("reports/index.html", reports=reports_for_tenant(), form=FlaskForm())


@bp.route("/summary", methods=["POST"])
@require_writer
def request_summary():
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".index"))
    report = services.do_request_summary(current_tenant_id(), current_user.id,
                                         current_app.config["REPORT_JOB_TIMEOUT"])
    flash(_("The summary has been queued. This page shows its progress."), "info")
    return redirect(url_for(".detail", report_id=report.id))


@bp.route("/projects", methods=["POST"])
@require_writer
def request_projects():
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".index"))
    report, created = services.do_request_projects_report(current_institution(), current_user.id,
                                                          current_app.config["REPORT_JOB_TIMEOUT"])
    flash(_("The report has been queued. This page shows its progress.") if created else
          _("A report of exactly this data already exists; it is not built again."), "info")
    return redirect(url_for(".detail", report_id=report.id))


@bp.route("/<uuid:report_id>")
def detail(report_id):
    report = access_report(report_id)
    services.do_reconcile_with_queue(report)
    return render_template("reports/detail.html", report=report, form=FlaskForm())


@bp.route("/<uuid:report_id>/status")
def status(report_id):
    report = access_report(report_id)
    services.do_reconcile_with_queue(report)
    return jsonify(status=report.status.value, label=str(RUN_STATUS_LABELS[report.status]),
                   progress=report.progress, finished=report.status.is_finished,
                   error=failure_advice(report.status))


@bp.route("/<uuid:report_id>/download")
def download(report_id):
    report = access_report(report_id)
    if report.status is not RunStatus.DONE or report.pdf is None:
        flash(_("This report is not ready yet."), "warning")
        return redirect(url_for(".detail", report_id=report.id))
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{report.file_name}"',
        "Cache-Control": "private, no-store",
    })


@bp.route("/<uuid:report_id>/cancel", methods=["POST"])
@require_writer
def cancel(report_id):
    report = access_report(report_id)
    if FlaskForm().validate_on_submit() and services.do_cancel_report(report):
        flash(_("The report has been cancelled."), "info")
    return redirect(url_for(".detail", report_id=report.id))


@bp.route("/<uuid:report_id>/retry", methods=["POST"])
@require_writer
def retry(report_id):
    report = access_report(report_id)
    if FlaskForm().validate_on_submit() and report.status is RunStatus.FAILED:
        services.do_retry_report(report, current_tenant_id(), current_app.config["REPORT_JOB_TIMEOUT"])
        flash(_("The report has been queued again."), "info")
    return redirect(url_for(".detail", report_id=report.id))
