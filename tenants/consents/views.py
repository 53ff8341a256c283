"""Consent records: one record, and its withdrawal (one step, which stops the sharing it allowed).
Thin: writes go through tenants/referrals/services.py, which knows what a withdrawal stops."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, require_writer
from regionet.platform.validation import ValidationFailed
from regionet.tenants.audit.recording import render_recorded_view
from regionet.tenants.participants.queries import access_participant
from regionet.tenants.referrals.forms import WithdrawConsentForm
from regionet.tenants.referrals.labels import CONSENT_KIND_LABELS
from regionet.tenants.referrals.services import do_withdraw_consent

from .queries import access_consent, consents_of_participant

bp = TenantBlueprint("tenant_consents", __name__, url_prefix="/consents", template_folder="templates")


@bp.app_context_processor
def consent_helpers():
    return {"consent_kind_labels": CONSENT_KIND_LABELS, "consents_of_participant": consents_of_participant}


@bp.route("/<uuid:consent_id>", methods=["GET", "POST"])
def detail(consent_id):
    consent = access_consent(consent_id)
    participant = access_participant(consent.participant_id)
    form = WithdrawConsentForm()
    if form.validate_on_submit():
        return _withdraw(consent, form)
    return render_recorded_view("consents/detail.html", "consent", consent.id, detail=participant.full_name,
                                consent=consent, participant=participant, form=form)


@require_writer
def _withdraw(consent, form):
    try:
        stopped = do_withdraw_consent(consent, form.note.data)
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        flash(" ".join(m for messages in failure.errors.values() for m in messages), "error")
        return redirect(url_for(".detail", consent_id=consent.id))
    flash(_("The consent is withdrawn. Referrals stopped: %(n)s.", n=len(stopped)), "success")
    return redirect(url_for(".detail", consent_id=consent.id))
