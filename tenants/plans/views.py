"""Pages of individual plans: started from the person's card, reviewed, amended, printed, ended."""
import io
import uuid

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.labels import LabelMap
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.participants.queries import access_participant
from regionet.tenants.support.models import OutcomeKind

from . import services
from .forms import AmendForm, EndForm, PlanForm, ReviewForm, ReviewRecordForm, ScanForm, StepForm
from .labels import PLAN_FIELD_LABELS, PLAN_KIND_LABELS, PLAN_RESULT_LABELS
from .models import PlanKind, PlanResult
from .pdf import build_plan_pdf
from .queries import (
    access_plan,
    access_review,
    access_step,
    case_workers_for_institution,
    enrolments_of_participant,
    plans_for_tenant,
)

bp = TenantBlueprint("tenant_plans", __name__, template_folder="templates")
TEMPLATE_LABELS = {"plan_kind_labels": LabelMap(PLAN_KIND_LABELS), "plan_result_labels": LabelMap(PLAN_RESULT_LABELS)}


@bp.app_context_processor
def plan_labels():
    return TEMPLATE_LABELS


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _case_workers(form) -> set[int]:
    workers = case_workers_for_institution(current_institution().id)
    form.case_worker_id.choices = [("", _("— nobody yet —"))] + [(str(i), name) for i, name in workers]
    return {i for i, _name in workers}


def _content(form) -> services.PlanContent:
    worker = form.case_worker_id.data
    return services.PlanContent(
        number=form.number.data, case_worker_id=int(worker) if worker and str(worker).isdigit() else None,
        other_parties=form.other_parties.data, planned_end_date=form.planned_end_date.data,
        goals=form.goals.data or "", institution_obligations=form.institution_obligations.data or "",
        participant_obligations=form.participant_obligations.data or "")


@bp.route("/plans/")
def index():
    mine = request.args.get("who") == "me"
    plans = plans_for_tenant(current_user.id if mine else None, open_only=request.args.get("state") == "open")
    return render_recorded_view("plans/index.html", "plan_list", detail=_("Individual plans"), plans=plans,
                                mine=mine, open_only=request.args.get("state") == "open")


@bp.route("/participants/<uuid:participant_id>/plans/new", methods=["GET", "POST"])
@require_writer
def start(participant_id):
    participant = access_participant(participant_id)
    form = PlanForm()
    workers = _case_workers(form)
    enrolments = enrolments_of_participant(participant.id)
    form.enrolment_id.choices = [("", _("Not tied to a project"))] + [(str(e[0]), e[1]) for e in enrolments]
    if request.method == "GET":
        form.case_worker_id.data = str(current_user.id)
        if enrolments:
            form.enrolment_id.data = str(enrolments[0][0])
    if form.validate_on_submit():
        try:
            plan = services.do_start_plan(
                participant, PlanKind(form.kind.data) if form.kind.data else None, _uuid(form.enrolment_id.data), form.start_date.data,
                form.first_review_on.data, _content(form), workers, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The plan has been recorded. Print it for signature."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("plans/start.html", form=form, participant=participant), status


def _detail_page(plan, status=200, **forms):
    forms.setdefault("step_form", StepForm(formdata=None))
    forms.setdefault("review_form", ReviewForm(formdata=None))
    forms.setdefault("scan_form", ScanForm(formdata=None))
    return render_recorded_view("plans/detail.html", "individual_plan", plan.id, detail=plan.participant.full_name,
                                plan=plan, title=services.plan_title(plan), history=history_for(plan),
                                field_labels=PLAN_FIELD_LABELS, today=today_in_poland(), **forms), status


@bp.route("/plans/<uuid:plan_id>")
def detail(plan_id):
    return _detail_page(access_plan(plan_id))


@bp.route("/plans/<uuid:plan_id>/edit", methods=["GET", "POST"])
@require_writer
def amend(plan_id):
    plan = access_plan(plan_id)
    form = AmendForm(obj=plan if request.method == "GET" else None)
    workers = _case_workers(form)
    if request.method == "GET":
        form.case_worker_id.data = str(plan.case_worker_id or "")
    if form.validate_on_submit():
        try:
            services.do_amend_plan(plan, _content(form), form.reason.data, workers, today_in_poland(),
                                   current_user.id)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("plans/amend.html", form=form, plan=plan, title=services.plan_title(plan)), status


@bp.route("/plans/<uuid:plan_id>/pdf")
def pdf(plan_id):
    plan = access_plan(plan_id)
    data = build_plan_pdf(plan, current_institution())
    record_access(AccessAction.EXPORT, "individual_plan", plan.id, detail=plan.participant.full_name)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"plan-{plan.start_date:%Y-%m-%d}-v{plan.version}.pdf", max_age=0)


@bp.route("/plans/<uuid:plan_id>/scan", methods=["POST"])
@require_writer
def scan(plan_id):
    plan = access_plan(plan_id)
    form = ScanForm()
    if form.validate_on_submit():
        try:
            services.do_attach_scan(plan, form.scan.data, current_user.id, current_app.config["MAX_CONTENT_LENGTH"])
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The signed scan has been attached."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    return _detail_page(plan, 422, scan_form=form)


@bp.route("/plans/<uuid:plan_id>/steps", methods=["POST"])
@require_writer
def add_step(plan_id):
    plan = access_plan(plan_id)
    form = StepForm()
    if form.validate_on_submit():
        try:
            services.do_add_step(plan, form.description.data, form.owner.data, form.due_on.data)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The step has been added."), "success")
            return redirect(url_for(".detail", plan_id=plan.id) + "#steps-heading")
    return _detail_page(plan, 422, step_form=form)


@bp.route("/plan-steps/<uuid:step_id>/done", methods=["POST"])
@require_writer
def toggle_step(step_id):
    step = access_step(step_id)
    if FlaskForm().validate_on_submit():
        services.do_mark_step_done(step, today_in_poland())
    return redirect(url_for(".detail", plan_id=step.plan_id) + "#steps-heading")


@bp.route("/plans/<uuid:plan_id>/reviews", methods=["POST"])
@require_writer
def add_review(plan_id):
    plan = access_plan(plan_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.do_schedule_review(plan, form.due_on.data)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The review has been scheduled."), "success")
            return redirect(url_for(".detail", plan_id=plan.id) + "#reviews-heading")
    return _detail_page(plan, 422, review_form=form)


@bp.route("/plan-reviews/<uuid:review_id>", methods=["GET", "POST"])
@require_writer
def record_review(review_id):
    review = access_review(review_id)
    form = ReviewRecordForm(obj=review if request.method == "GET" else None)
    if request.method == "GET" and review.held_on is None:
        form.held_on.data = today_in_poland()
    if form.validate_on_submit():
        try:
            services.do_record_review(review, form.held_on.data, form.notes.data, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The review has been recorded."), "success")
            return redirect(url_for(".detail", plan_id=review.plan_id))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("plans/review.html", form=form, review=review, plan=review.plan,
                           title=services.plan_title(review.plan)), status


@bp.route("/plans/<uuid:plan_id>/end", methods=["GET", "POST"])
@require_writer
def end(plan_id):
    plan = access_plan(plan_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            services.do_end_plan(plan, form.ended_on.data, PlanResult(form.result.data) if form.result.data else None,
                                 OutcomeKind(form.outcome_kind.data) if form.outcome_kind.data else None,
                                 form.result_note.data, today_in_poland())
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The plan has ended; its result is recorded."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("plans/end.html", form=form, plan=plan, title=services.plan_title(plan)), status
