"""Pages of the region's services catalogue: browse and search the published services of the
region, manage the institution's own, and the HSDS export. Thin: reads in queries.py, writes in
services.py."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.institutions.labels import KIND_LABELS
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form

from . import hsds
from .forms import ServiceForm
from .labels import BASIS_LABELS, DATA_ITEM_LABELS, SERVICE_TYPE_LABELS, STATUS_LABELS
from .queries import (
    CATALOGUE_FILTERS,
    CATALOGUE_SORTABLE,
    access_own_service,
    access_service,
    area_choices,
    area_names,
    catalogue_for_tenant,
    institutions_of_catalogue,
    own_services_for_tenant,
    published_services_of_region,
)
from .services import ServiceFields, do_save_service

bp = TenantBlueprint("tenant_services", __name__, url_prefix="/services", template_folder="templates")


@bp.app_context_processor
def service_labels():
    return {"service_type_labels": SERVICE_TYPE_LABELS, "service_status_labels": STATUS_LABELS,
            "referral_basis_labels": BASIS_LABELS, "data_item_labels": DATA_ITEM_LABELS}


@bp.route("/")
def index():
    region_code = current_institution().region_code
    listing = ListQuery.from_request(CATALOGUE_SORTABLE, "name", filters=CATALOGUE_FILTERS)
    return render_template("service_catalogue/index.html", page=catalogue_for_tenant(listing), listing=listing,
                           areas=area_choices(region_code), kinds=list(KIND_LABELS.items()),
                           institutions=institutions_of_catalogue(), today=today_in_poland())


@bp.route("/mine")
def mine():
    return render_template("service_catalogue/mine.html", services=own_services_for_tenant())


@bp.route("/hsds.json")
def export_hsds():
    names = area_names(current_institution().region_code)
    response = jsonify(hsds.services_page(published_services_of_region(), names))
    stem = f"katalog-uslug-{current_institution().region.slug}-{today_in_poland().isoformat()}"
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    return response


@bp.route("/<uuid:service_id>")
def detail(service_id):
    service = access_service(service_id)
    names = area_names(current_institution().region_code)
    return render_template("service_catalogue/detail.html", service=service, areas=[
        names.get(code, code) for code in service.area_codes],
        own=service.tenant_id == current_institution().id, today=today_in_poland())


def _form(service=None) -> ServiceForm:
    form = ServiceForm(obj=service)
    form.area_codes.choices = area_choices(current_institution().region_code)
    if service is None and request.method == "GET":
        form.data_set.data = ["name", "contact"]
        form.accepts_referrals.data = True
        form.assured_date.data = today_in_poland()
    elif service is not None and request.method == "GET":
        form.service_type.data = service.service_type.value
        form.status.data = service.status.value
        form.referral_basis.data = service.referral_basis.value
    return form


def _save(form, service):
    if not form.validate_on_submit():
        return None
    try:
        saved = do_save_service(service, ServiceFields.from_form(form), current_institution())
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return None
    flash(_("The service %(name)s has been saved.", name=saved.name), "success")
    return redirect(url_for(".detail", service_id=saved.id))


def _form_page(form, service=None):
    status = 422 if request.method == "POST" else 200
    return render_template("service_catalogue/form.html", form=form, service=service), status


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = _form()
    return _save(form, None) or _form_page(form)


@bp.route("/<uuid:service_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(service_id):
    service = access_own_service(service_id)
    form = _form(service)
    return _save(form, service) or _form_page(form, service)
