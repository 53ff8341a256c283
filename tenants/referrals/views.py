"""Pages of referrals: sending one from a participant's page, the incoming and outgoing lists,
one referral as each side sees it, and the steps of the loop. Thin: reads in queries.py, writes
in services.py."""
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.forms import select_choices
from regionet.platform.tenancy import tenant_scope
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.recording import record_access
from regionet.tenants.participants.display import pick_label
from regionet.tenants.participants.queries import access_participant, person_to_pick_for_tenant
from regionet.tenants.support.labels import OUTCOME_LABELS

from . import services
from .forms import SendForm, StepForm
from .labels import PAYLOAD_LABELS, STATE_LABELS, STEP_LABELS, STOP_REASON_LABELS, URGENCY_LABELS
from .models import ReferralState
from .queries import (
    LIST_FILTERS,
    LIST_SORTABLE,
    accepting_service,
    accepting_services,
    access_referral,
    candidates_for,
    counts_for_tenant,
    events_of,
    referrals_for_tenant,
    services_in_list,
)

bp = TenantBlueprint("tenant_referrals", __name__, url_prefix="/referrals", template_folder="templates")


@bp.app_context_processor
def referral_labels():
    def referral_counts():
        return counts_for_tenant(today_in_poland())

    return {"referral_state_labels": STATE_LABELS, "urgency_labels": URGENCY_LABELS,
            "stop_reason_labels": STOP_REASON_LABELS, "step_labels": STEP_LABELS,
            "payload_labels": PAYLOAD_LABELS, "outcome_labels": OUTCOME_LABELS, "referral_counts": referral_counts}


def _list(incoming: bool):
    listing = ListQuery.from_request(LIST_SORTABLE, "sent", filters=LIST_FILTERS, default_descending=True)
    today = today_in_poland()
    return render_template("referrals/list.html", page=referrals_for_tenant(incoming, listing, today),
                           listing=listing, incoming=incoming, today=today, services=services_in_list(incoming),
                           counts=counts_for_tenant(today))


@bp.route("/")
def index():
    return _list(incoming=True)


@bp.route("/outgoing")
def outgoing():
    return _list(incoming=False)


def _service_arg():
    try:
        return uuid.UUID(request.values.get("service_id", ""))
    except ValueError:
        return None


@bp.route("/new/<uuid:participant_id>", methods=["GET", "POST"])
@require_writer
def send(participant_id):
    participant = access_participant(participant_id)
    form = SendForm()
    service = accepting_service(_service_arg()) if _service_arg() else None
    if form.validate_on_submit():
        consent = services.ConsentGiven(form.consent_given_on.data, form.consent_notice.data,
                                        form.consent_evidence.data)
        try:
            referral = services.do_send_referral(participant, service.id if service else None, services.Request(
                form.reason.data, form.urgency.data, form.eligibility.data, consent))
            db.session.commit()
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
        else:
            flash(_("The referral has been sent to %(institution)s.", institution=referral.receiver.short_name),
                  "success")
            return redirect(url_for(".detail", referral_id=referral.id))
    if service is not None:
        form.service_id.data = str(service.id)
    choices = accepting_services()
    owner = next((i for s, i in choices if service is not None and s.id == service.id), None)
    preview = services.build_payload(participant, service.data_set, form.eligibility.data or "…") if service else {}
    html = render_template("referrals/send.html", participant=participant, form=form, service=service, owner=owner,
                           choices=choices, preview=preview)
    return html, 422 if request.method == "POST" else 200


def _detail_page(referral, form=None, status=200):
    today = today_in_poland()
    mine = services.side(referral)
    steps = services.steps_for(referral) if g_can_write() else []
    form = form or StepForm()
    if "start" in steps:
        candidates = candidates_for(referral)
        choices = [(str(p.id), f"{p.full_name}{' · ' + p.pesel if p.pesel else ''}") for p in candidates]
        typed = person_to_pick_for_tenant(form.participant_id.data) if form.participant_id.data else None
        if typed is not None and str(typed.id) not in {value for value, _text in choices}:
            choices.insert(0, (str(typed.id), pick_label(typed)))   # found by the type-ahead: kept on errors
        form.participant_id.choices = select_choices([("", "—")] + choices)
    if "decline" in steps:
        form.redirect_service_id.choices = select_choices([("", "—")] + [
            (str(s.id), f"{s.name} ({i.short_name})") for s, i in accepting_services() if s.id != referral.service_id])
    html = render_template("referrals/detail.html", referral=referral, side=mine, steps=steps, form=form,
                           events=events_of(referral), today=today,
                           other=referral.receiver if mine == services.SENDER else referral.sender)
    _record_view(referral)
    return html, status


def g_can_write() -> bool:
    from flask import g

    return g.membership.role.can_write


def _record_view(referral) -> None:
    """The view is in both institutions' access trails (the person's data are both parties')."""
    viewer = current_institution()
    record_access(AccessAction.VIEW, "referral", referral.id, detail=f"{referral.service_name} · {viewer.short_name}")
    other_id = referral.receiver_tenant_id if referral.tenant_id == viewer.id else referral.tenant_id
    with tenant_scope(other_id):
        record_access(AccessAction.VIEW, "referral", referral.id,
                      detail=f"{referral.service_name} · {viewer.short_name}")


@bp.route("/<uuid:referral_id>")
def detail(referral_id):
    referral = access_referral(referral_id)
    if g_can_write():
        services.do_mark_received(referral)
    return _detail_page(referral)


@bp.route("/<uuid:referral_id>/step", methods=["POST"])
@require_writer
def step(referral_id):
    referral = access_referral(referral_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _detail_page(referral, form, 422)
    chosen = form.step.data
    if chosen not in services.STEPS:
        abort(400)
    given = services.StepInput(reason=form.reason.data or None, comment=form.comment.data, on_day=form.on_day.data,
                               result=form.result.data or None, participant_id=_uuid(form.participant_id.data),
                               redirect_service_id=_uuid(form.redirect_service_id.data))
    try:
        services.do_step(referral, chosen, given)
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        referral = access_referral(referral_id)
        apply_to_form(form, failure)
        form.failed_step = chosen
        return _detail_page(referral, form, 422)
    flash(_("Saved: %(state)s.", state=STATE_LABELS.get(referral.state, referral.state)), "success")
    if chosen == "withdraw" or referral.state == ReferralState.WITHDRAWN:
        return redirect(url_for(".outgoing"))
    return redirect(url_for(".detail", referral_id=referral.id))


def _uuid(value):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
