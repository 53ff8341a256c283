"""Pages of partner organisations. Thin: reads from queries, writes through services."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form

from . import services
from .exports import partners_spreadsheet
from .forms import ConfirmForm, ExternalPartnerForm, PlatformPartnerForm
from .history import PARTNER_FORMATTERS, readable_history
from .labels import AGREEMENT_KIND_LABELS, AGREEMENT_STATUS_LABELS, PARTNER_FIELD_LABELS, PARTNER_KIND_LABELS
from .models import PartnerKind
from .queries import (
    PARTNER_FILTERS,
    PARTNER_SORTABLE,
    access_partner,
    agreements_linking_partner,
    agreements_of_partner,
    partners_for_tenant,
    platform_institutions_to_choose,
    projects_of_partner,
)
from .validity import days_left, status_on

bp = TenantBlueprint("tenant_partners", __name__, url_prefix="/partners", template_folder="templates")


@bp.app_context_processor
def partner_labels():
    # App-wide: the home page's expiring-agreements panel uses them too.
    return {"partner_kind_labels": PARTNER_KIND_LABELS, "agreement_kind_labels": AGREEMENT_KIND_LABELS,
            "agreement_status_labels": AGREEMENT_STATUS_LABELS, "agreement_status": status_on,
            "agreement_days_left": days_left}


def _listing() -> ListQuery:
    return ListQuery.from_request(PARTNER_SORTABLE, "name", filters=PARTNER_FILTERS)


@bp.route("/")
def index():
    listing = _listing()
    return render_template("partners/index.html", page=partners_for_tenant(listing), listing=listing)


@bp.route("/export")
def export():
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    stem = f"partnerzy-{current_institution().slug}-{today_in_poland().isoformat()}"
    return partners_spreadsheet(_listing(), fmt, stem)


def _contact(form) -> services.ContactDetails:
    return services.ContactDetails(contact_person=form.contact_person.data, email=form.email.data,
                                   phone=form.phone.data, notes=form.notes.data)


def _platform_form(partner=None) -> PlatformPartnerForm:
    form = PlatformPartnerForm(obj=partner)
    keep = partner.institution_id if partner is not None else None
    form.institution_id.choices = [(0, _("— choose an institution —"))] + [
        (i.id, f"{i.name} ({i.teryt_unit.name})")
        for i in platform_institutions_to_choose(current_institution(), keep=keep)]
    return form


def _save(form, partner):
    """Validate and save `form`; a redirect on success, otherwise None (errors are on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        if isinstance(form, PlatformPartnerForm):
            saved = services.do_save_platform_partner(partner, own_institution=current_institution(),
                                                      institution_id=form.institution_id.data, contact=_contact(form))
        else:
            saved = services.do_save_external_partner(
                partner, name=form.name.data, kind=form.kind.data, nip=form.nip.data, address=form.address.data,
                contact=_contact(form))
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return None
    flash(_("The partner %(name)s has been saved.", name=saved.display_name), "success")
    return redirect(url_for(".detail", partner_id=saved.id))


def _form_page(form, partner=None):
    status = 422 if request.method == "POST" else 200
    return render_template("partners/form.html", form=form, partner=partner,
                           platform=isinstance(form, PlatformPartnerForm)), status


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = ExternalPartnerForm()
    return _save(form, None) or _form_page(form)


@bp.route("/new/institution", methods=["GET", "POST"])
@require_writer
def create_platform():
    form = _platform_form()
    return _save(form, None) or _form_page(form)


@bp.route("/<uuid:partner_id>")
def detail(partner_id):
    partner = access_partner(partner_id)
    projects = [(project, _project_url(project)) for project in projects_of_partner(partner)]
    return render_template("partners/detail.html", partner=partner, agreements=agreements_of_partner(partner),
                           projects=projects, today=today_in_poland(), field_labels=PARTNER_FIELD_LABELS,
                           history=readable_history(partner, PARTNER_FORMATTERS, hidden=("institution_id",)))


def _project_url(project) -> str | None:
    # The projects module may not be installed in every build; a project without a page is shown as text.
    try:
        return url_for("tenant_projects.detail", project_id=project.id)
    except BuildError:
        return None


@bp.route("/<uuid:partner_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(partner_id):
    partner = access_partner(partner_id)
    form = _platform_form(partner) if partner.kind is PartnerKind.PLATFORM_INSTITUTION \
        else ExternalPartnerForm(obj=partner)
    return _save(form, partner) or _form_page(form, partner)


@bp.route("/<uuid:partner_id>/delete", methods=["GET", "POST"])
@require_writer
def delete(partner_id):
    partner = access_partner(partner_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.do_delete_partner(partner)
            name = partner.display_name
            db.session.commit()
            flash(_("The partner %(name)s has been deleted.", name=name), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as failure:
            db.session.rollback()
            flash(failure.errors["partner"][0], "error")
            return redirect(url_for(".detail", partner_id=partner.id))
    return render_template("partners/delete.html", partner=partner, form=form,
                           agreements=agreements_linking_partner(partner), projects=projects_of_partner(partner))
