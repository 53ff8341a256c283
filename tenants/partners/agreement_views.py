"""Pages of cooperation agreements. Thin: reads from queries, writes through services.

Every party institution reads an agreement in its own workspace and confirms it there; only the
institution that recorded it edits or deletes it (the others get 404 there, like any outsider)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

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
    AWAITING,
    EXPIRING,
    access_agreement,
    access_own_agreement,
    agreements_for_tenant,
    agreements_from_actions,
    origin_action_of,
    partner_choices_for_tenant,
    region_institutions_to_choose,
)

bp = TenantBlueprint("tenant_agreements", __name__, url_prefix="/agreements", template_folder="templates")


def _listing() -> ListQuery:
    return ListQuery.from_request(AGREEMENT_SORTABLE, "valid_from", filters=AGREEMENT_FILTERS,
                                  default_descending=True)


@bp.app_context_processor
def agreement_links():
    # The groups' task tables show the agreements that came out of their tasks.
    return {"agreements_from_actions": lambda actions: agreements_from_actions([a.id for a in actions])}


def _party_choices(keep: set[int] = frozenset()) -> list[tuple[str, str]]:
    """Institutions of the region ("i:<id>"), then the institution's outside partners (their ids)."""
    institutions = [(f"i:{i.id}", i.name) for i in region_institutions_to_choose(current_institution(), keep)]
    outside = [(str(p.id), p.name) for p in partner_choices_for_tenant() if p.institution_id is None]
    return institutions + outside


@bp.route("/")
def index():
    listing, today = _listing(), today_in_poland()
    return render_template("agreements/index.html", page=agreements_for_tenant(listing, today), listing=listing,
                           today=today, party_options=_party_choices(), expiring=EXPIRING, awaiting=AWAITING)


@bp.route("/export")
def export():
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    today = today_in_poland()
    return agreements_spreadsheet(_listing(), today, fmt, f"porozumienia-{current_institution().slug}-{today}")


def _party_value(party) -> str:
    return f"i:{party.institution_id}" if party.institution_id is not None else str(party.partner_id)


def _form(agreement=None, preset: list[str] | None = None) -> AgreementForm:
    form = AgreementForm(obj=agreement)
    keep = set() if agreement is None else {p.institution_id for p in agreement.parties if p.institution_id}
    form.parties.choices = _party_choices(keep)
    if agreement is not None and not form.is_submitted():
        form.parties.data = [_party_value(p) for p in agreement.parties[1:]]
    elif agreement is None and not form.is_submitted() and preset:
        form.parties.data = preset
    elif agreement is None and not form.is_submitted() and request.args.get("party"):
        # "add an agreement" from a partner's page: a partner that is on the platform is its institution
        chosen = next((p for p in partner_choices_for_tenant() if str(p.id) == request.args["party"]), None)
        if chosen is not None:
            form.parties.data = [f"i:{chosen.institution_id}" if chosen.institution_id else str(chosen.id)]
    return form


def _data(form) -> services.AgreementData:
    return services.AgreementData(
        title=form.title.data or "", kind=form.kind.data, scope=form.scope.data or "",
        valid_from=form.valid_from.data, party_ids=form.parties.data or [], number=form.number.data,
        signed_on=form.signed_on.data, valid_to=form.valid_to.data)


def _save(form, agreement, origin_action=None):
    if not form.validate_on_submit():
        return None
    try:
        saved = services.do_save_agreement(
            agreement, _data(form), owner=current_institution(), user=current_user, document=form.document_file.data,
            remove_document=agreement is not None and form.remove_document.data,
            max_document_bytes=current_app.config["MAX_CONTENT_LENGTH"], origin_action=origin_action)
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return None
    flash(_("The agreement „%(title)s” has been saved.", title=saved.title), "success")
    return redirect(url_for(".detail", agreement_id=saved.id))


def _form_page(form, agreement=None, action=None):
    if request.method == "POST" and form.document_file.data and not form.document_file.errors:
        # A browser cannot refill a file field: say so, next to it.
        form.document_file.errors = [_("The file was not saved because the form has errors. Choose it again.")]
    status = 422 if request.method == "POST" else 200
    platform_values = [value for value, _label in form.parties.choices if value.startswith("i:")]
    return render_template("agreements/form.html", form=form, agreement=agreement, action=action,
                           platform_values=platform_values), status


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = _form()
    return _save(form, None) or _form_page(form)


@bp.route("/from-action/<uuid:action_id>", methods=["GET", "POST"])
@require_writer
def from_action(action_id):
    """"Zawrzyj porozumienie" from a working group's task: the group's institutions are the parties."""
    from regionet.tenants.groups.models import PartyStatus
    from regionet.tenants.groups.queries import access_action
    from regionet.tenants.groups.views import require_group_member

    action = access_action(action_id)
    require_group_member(action.group)
    own = current_institution().id
    preset = [f"i:{p.institution_id}" for p in action.group.institutions
              if p.status is PartyStatus.MEMBER and p.institution_id != own]
    form = _form(preset=preset)
    if not form.is_submitted():
        form.title.data = action.title
        form.scope.data = _("Agreed by the working group „%(group)s”: %(task)s", group=action.group.name,
                            task=action.title)
    return _save(form, None, origin_action=action) or _form_page(form, action=action)


@bp.route("/<uuid:agreement_id>")
def detail(agreement_id):
    agreement = access_agreement(agreement_id)
    institution = current_institution()
    own = agreement.tenant_id == institution.id
    origin = origin_action_of(agreement)   # None where this institution is not in the group
    return render_template("agreements/detail.html", agreement=agreement, today=today_in_poland(), own=own,
                           my_party=agreement.party_of(institution.id), origin=origin, confirm_form=ConfirmForm(),
                           field_labels=AGREEMENT_FIELD_LABELS,
                           history=readable_history(agreement, AGREEMENT_FORMATTERS) if own else [])


@bp.route("/<uuid:agreement_id>/confirm", methods=["POST"])
@require_writer
def confirm(agreement_id):
    """A party confirms the agreement from its own workspace (who and when are kept)."""
    agreement = access_agreement(agreement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.do_confirm_agreement(agreement, current_institution().id, current_user)
            db.session.commit()
            flash(_("You have confirmed the agreement „%(title)s”.", title=agreement.title), "success")
        except ValidationFailed as failure:
            db.session.rollback()
            flash(failure.errors["confirm"][0], "error")
    return redirect(url_for(".detail", agreement_id=agreement.id))


@bp.route("/<uuid:agreement_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(agreement_id):
    agreement = access_own_agreement(agreement_id)
    form = _form(agreement)
    return _save(form, agreement) or _form_page(form, agreement)


@bp.route("/<uuid:agreement_id>/delete", methods=["GET", "POST"])
@require_writer
def delete(agreement_id):
    agreement = access_own_agreement(agreement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = agreement.title
        services.do_delete_agreement(agreement)
        db.session.commit()
        flash(_("The agreement „%(title)s” has been deleted.", title=title), "success")
        return redirect(url_for(".index"))
    return render_template("agreements/delete.html", agreement=agreement, form=form)
