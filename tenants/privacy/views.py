"""A person's data protection page: consents by purpose, requests, the access file, who saw the
data, erasure. Thin: reads from queries, writes through the services."""
import uuid

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.exports import spreadsheet_response
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_admin, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.labels import LabelMap
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.labels import ACCESS_ACTION_LABELS, CHANGE_ACTION_LABELS
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.participants.queries import access_participant

from . import consents as consent_services
from .access_file import build_access_pdf, collect_dataset, dataset_json, person_trail
from .erasure import ErasureOutcome, do_erase_participant
from .forms import ConsentForm, EraseForm, PhotoLinkForm, WithdrawForm
from .labels import BASIS_LABELS, PURPOSE_EFFECTS, PURPOSE_LABELS, REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS
from .pdf_labels import access_file_labels
from .photos import do_link_photo, photo_choices, photos_of
from .queries import access_consent
from .requests import requests_of
from .retention import retention_of, retention_until

bp = TenantBlueprint("tenant_privacy", __name__, url_prefix="/privacy", template_folder="templates")
TEMPLATE_LABELS = {
    "purpose_labels": LabelMap(PURPOSE_LABELS), "purpose_effects": LabelMap(PURPOSE_EFFECTS),
    "basis_labels": LabelMap(BASIS_LABELS), "request_kind_labels": LabelMap(REQUEST_KIND_LABELS),
    "request_status_labels": LabelMap(REQUEST_STATUS_LABELS),
}
TRAIL_ACTIONS = {**{a.value: label for a, label in ACCESS_ACTION_LABELS.items()},
                 **{a.value: label for a, label in CHANGE_ACTION_LABELS.items()}}


@bp.app_context_processor
def privacy_labels():
    return {**TEMPLATE_LABELS, "retention_until": retention_until}


def _person_page(participant, consent_form=None, erase_form=None, photo_form=None, status=200):
    consents = consent_services.consents_of(participant.id)
    photo_form = photo_form or PhotoLinkForm(formdata=None)
    photo_form.photo_id.choices = [("", _("— choose —"))] + [(str(i), text) for i, text in photo_choices()]
    return render_recorded_view(
        "privacy/person.html", "participant", participant.id, detail=_("Data protection"),
        participant=participant, consents=consents, today=today_in_poland(),
        consent_form=consent_form or ConsentForm(formdata=None, given_on=today_in_poland()),
        erase_form=erase_form or EraseForm(formdata=None), requests=requests_of(participant.id),
        retention=retention_of(participant, today_in_poland()), photos=photos_of(participant.id),
        photo_form=photo_form), status


@bp.route("/people/<uuid:participant_id>")
def person(participant_id):
    return _person_page(access_participant(participant_id))


@bp.route("/people/<uuid:participant_id>/consents", methods=["POST"])
@require_writer
def add_consent(participant_id):
    participant = access_participant(participant_id)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            consent_services.do_record_consent(participant.id, form.purpose.data, form.basis.data,
                                               form.given_on.data, form.evidence.data, current_user.id,
                                               form.valid_until.data)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The consent has been recorded."), "success")
            return redirect(url_for(".person", participant_id=participant.id))
    return _person_page(participant, consent_form=form, status=422)


@bp.route("/people/<uuid:participant_id>/photos", methods=["POST"])
@require_writer
def link_photo(participant_id):
    participant = access_participant(participant_id)
    form = PhotoLinkForm()
    form.photo_id.choices = [(str(i), text) for i, text in photo_choices()]
    photo_id = _uuid(form.photo_id.data)
    if form.validate_on_submit() and photo_id is not None:
        try:
            do_link_photo(participant.id, photo_id)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The photo is marked as showing the person."), "success")
            return redirect(url_for(".person", participant_id=participant.id))
    return _person_page(participant, photo_form=form, status=422)


def _uuid(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@bp.route("/consents/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
@require_writer
def withdraw(consent_id):
    consent = access_consent(consent_id)
    participant = access_participant(consent.participant_id)
    form = WithdrawForm(withdrawn_on=today_in_poland()) if request.method == "GET" else WithdrawForm()
    if form.validate_on_submit():
        try:
            consent_services.do_withdraw_consent(consent, form.withdrawn_on.data, form.note.data)
        except ValidationFailed as failure:
            apply_to_form(form, failure)
        else:
            flash(_("The withdrawal has been recorded: %(effect)s", effect=PURPOSE_EFFECTS[consent.purpose]),
                  "success")
            return redirect(url_for(".person", participant_id=participant.id))
    return render_template("privacy/withdraw.html", consent=consent, participant=participant, form=form), (
        422 if form.errors else 200)


@bp.route("/people/<uuid:participant_id>/access.json")
@require_admin
def access_json(participant_id):
    participant = access_participant(participant_id)
    dataset = collect_dataset(participant, current_institution())
    record_access(AccessAction.EXPORT, "participant", participant.id, detail=_("Subject access file (JSON)"))
    return Response(dataset_json(dataset), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="dane-osoby-{participant.id}.json"'})


@bp.route("/people/<uuid:participant_id>/access.pdf")
@require_admin
def access_pdf(participant_id):
    participant = access_participant(participant_id)
    pdf = build_access_pdf(collect_dataset(participant, current_institution()), access_file_labels())
    record_access(AccessAction.EXPORT, "participant", participant.id, detail=_("Subject access file (PDF)"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="dane-osoby-{participant.id}.pdf"'})


@bp.route("/people/<uuid:participant_id>/trail")
@require_admin
def trail(participant_id):
    participant = access_participant(participant_id)
    action = request.args.get("action", "")
    rows = [row for row in person_trail(participant) if not action or row["action"] == action]
    if request.args.get("fmt") in ("csv", "xlsx"):
        record_access(AccessAction.EXPORT, "participant", participant.id, detail=_("Who saw this person"))
        return spreadsheet_response(f"dostep-do-danych-{participant.id}", request.args["fmt"],
                                    [_("When"), _("Who"), _("Action"), _("What"), _("Details"), _("From (IP address)")],
                                    [[row["at"], row["who"] or "", str(TRAIL_ACTIONS.get(row["action"], row["action"])),
                                      row["what"], row["detail"] or "", row["address"] or ""] for row in rows])
    return render_recorded_view("privacy/trail.html", "participant", participant.id, detail=_("Who saw this person"),
                                participant=participant, rows=rows, action=action, actions=TRAIL_ACTIONS)


@bp.route("/people/<uuid:participant_id>/erase", methods=["POST"])
@require_admin
def erase(participant_id):
    participant = access_participant(participant_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _person_page(participant, erase_form=form, status=422)
    outcome = do_erase_participant(participant, form.reason.data.strip())
    if outcome is ErasureOutcome.DELETED:
        flash(_("The person's data has been erased."), "success")
        return redirect(url_for("tenant_participants.index"))
    if outcome is ErasureOutcome.ANONYMISED:
        flash(_("The person's data has been anonymised: their records stay for the project's figures, "
                "without anything that identifies them."), "success")
    else:
        flash(participant.restriction_reason, "info")
    return redirect(url_for(".person", participant_id=participant.id))
