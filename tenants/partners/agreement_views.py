"""Pages of cooperation agreements. Thin: reads from queries, writes through services."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form

from . import services
from .exports import agreements_spreadsheet
from .forms import AgreementForm, ConfirmForm
from .history import AGREEMENT_FORMATTERS, readable_history
from .labels import AGREEMENT_FIELD_LABELS
from .queries import (
    AGREEMENT_FILTERS,
    AGREEMENT_SORTABLE,
    EXPIRING,
    access_agreement,
    agreements_for_tenant,
    partner_choices_for_tenant,
)

bp = TenantBlueprint("tenant_agreements", __name__, url_prefix="/agreements", template_folder="templates")


def _listing() -> ListQuery:
    return ListQuery.from_request(AGREEMENT_SORTABLE, "valid_from", filters=AGREEMENT_FILTERS,
                                  default_descending=True)


@bp.route("/")
def index():
    listing, today = _listing(), today_in_poland()
    return render_template("agreements/index.html", page=agreements_for_tenant(listing, today), listing=listing,
                           today=today, partner_options=[(p.id, p.display_name) for p in partner_choices_for_tenant()],
                           expiring=EXPIRING)


@bp.route("/export")
def export():
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    today = today_in_poland()
    return agreements_spreadsheet(_listing(), today, fmt, f"porozumienia-{current_institution().slug}-{today}")


def _form(agreement=None) -> AgreementForm:
    form = AgreementForm(obj=agreement)
    form.parties.choices = [(str(p.id), p.display_name) for p in partner_choices_for_tenant()]
    if agreement is not None and not form.is_submitted():
        form.parties.data = [str(p.id) for p in agreement.parties]
    elif agreement is None and not form.is_submitted() and request.args.get("party"):
        form.parties.data = [request.args["party"]]  # "add an agreement" from a partner's page
    return form


def _data(form) -> services.AgreementData:
    return services.AgreementData(
        title=form.title.data or "", kind=form.kind.data, scope=form.scope.data or "",
        valid_from=form.valid_from.data, party_ids=form.parties.data or [], number=form.number.data,
        signed_on=form.signed_on.data, valid_to=form.valid_to.data)


def _save(form, agreement):
    if not form.validate_on_submit():
        return None
    try:
        saved = services.do_save_agreement(
            agreement, _data(form), document=form.document_file.data,
            remove_document=agreement is not None and form.remove_document.data,
            max_document_bytes=current_app.config["MAX_CONTENT_LENGTH"])
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return None
    flash(_("The agreement „%(title)s” has been saved.", title=saved.title), "success")
    return redirect(url_for(".detail", agreement_id=saved.id))


def _form_page(form, agreement=None):
    if request.method == "POST" and form.document_file.data and not form.document_file.errors:
        # A browser cannot refill a file field: say so, next to it.
        form.document_file.errors = [_("The file was not saved because the form has errors. Choose it again.")]
    status = 422 if request.method == "POST" else 200
    return render_template("agreements/form.html", form=form, agreement=agreement), status


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = _form()
    return _save(form, None) or _form_page(form)


@bp.route("/<uuid:agreement_id>")
def detail(agreement_id):
    agreement = access_agreement(agreement_id)
    return render_template("agreements/detail.html", agreement=agreement, today=today_in_poland(),
                           field_labels=AGREEMENT_FIELD_LABELS,
                           history=readable_history(agreement, AGREEMENT_FORMATTERS))


@bp.route("/<uuid:agreement_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(agreement_id):
    agreement = access_agreement(agreement_id)
    form = _form(agreement)
    return _save(form, agreement) or _form_page(form, agreement)


@bp.route("/<uuid:agreement_id>/delete", methods=["GET", "POST"])
@require_writer
def delete(agreement_id):
    agreement = access_agreement(agreement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = agreement.title
        services.do_delete_agreement(agreement)
        db.session.commit()
        flash(_("The agreement „%(title)s” has been deleted.", title=title), "success")
        return redirect(url_for(".index"))
    return render_template("agreements/delete.html", agreement=agreement, form=form)
