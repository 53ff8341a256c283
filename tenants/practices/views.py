"""The institution's good practices: write, preview, submit, follow the review. Thin views."""
import uuid
from decimal import Decimal

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from regionet.platform.coordinator.disclosure import RegionRules
from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_admin, require_writer
from regionet.platform.ui.formatting import format_money
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import ChangeRecord
from regionet.tenants.partners.models import PartnerKind

from . import services
from .forms import PhotoForm, PracticeForm
from .models import PracticeVersion, VersionState
from .photos import check_photo
from .presentation import source_text, template_helpers
from .queries import (
    access_photo,
    access_practice,
    access_version,
    other_institutions_of_region,
    partners_for_tenant,
    practices_for_tenant,
    projects_for_tenant,
)
from .snapshot import version_content, version_figures
from .sources import citable_for_tenant

HISTORY_LABELS = {"state": _l("State"), "submitted_at": _l("Sent"), "decided_at": _l("Decision"),
                  "decided_by_name": _l("Decided by"), "review_comment": _l("Coordinator's comment"),
                  "submission_id": _l("Submission"), "submitted_by_id": _l("Sent by"), "number": _l("Version")}

bp = TenantBlueprint("tenant_practices", __name__, url_prefix="/practices", template_folder="templates")


@bp.app_context_processor
def practice_helpers():
    return template_helpers()


@bp.app_template_filter("amount")
def amount_filter(value):
    """A stored amount ("904150.00") in Polish money format."""
    return format_money(Decimal(value)) if value not in (None, "") else "—"


def _rule() -> RegionRules:
    return RegionRules.for_region(current_institution().region)


def _photo_max_bytes() -> int:
    return current_app.config.get("PRACTICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


@bp.route("/")
def index():
    return render_template("practices/index.html", practices=practices_for_tenant())


# --- the form ------------------------------------------------------------------------------

def _form(version: PracticeVersion | None = None, from_request: bool | None = None) -> PracticeForm:
    """The form filled from the request (a POST), else from `version` (or defaults for a new practice)."""
    partners = partners_for_tenant()
    if from_request if from_request is not None else request.method == "POST":
        form = PracticeForm()
    else:
        chosen = {link.partner_id: link.role for link in (version.partners if version else [])}
        data = {name: getattr(version, name) for name in services.CONTENT_FIELDS} if version else {}
        if version is not None:
            data["project_id"] = str(version.project_id) if version.project_id else ""
            data["funding_source"] = version.funding_source or ""
        else:
            data["contact_name"] = current_user.full_name
            data["contact_email"] = current_user.email
        data["partners"] = [{"partner_id": str(p.id), "selected": p.id in chosen, "role": chosen.get(p.id)}
                            for p in partners]
        data["sources"] = [source.key for source in version.sources] if version is not None else []
        form = PracticeForm(formdata=None, data=data)
    form.set_choices(projects_for_tenant(), other_institutions_of_region(current_institution()),
                     _source_choices(version))
    form.partner_names = {str(p.id): p for p in partners}
    return form


def _source_choices(version: PracticeVersion | None) -> list[tuple[str, str]]:
    """What can be cited now, plus what this version already cites (even if no longer visible)."""
    choices = {c.key: source_text({"kind": c.kind.value, "title": c.title, "context": c.context,
                                   "day": c.day.isoformat() if c.day else None}) for c in citable_for_tenant()}
    for source in (version.sources if version is not None else []):
        choices.setdefault(source.key, source_text({"kind": source.kind.value, "title": source.title,
                                                    "context": source.context,
                                                    "day": source.day.isoformat() if source.day else None}))
    return list(choices.items())


def _input(form: PracticeForm) -> services.PracticeInput:
    values = {name: getattr(form, name).data for name in services.CONTENT_FIELDS}
    try:
        values["project_id"] = uuid.UUID(form.project_id.data) if form.project_id.data else None
        partners = [(uuid.UUID(sub.partner_id.data), sub.role.data) for sub in form.partners if sub.selected.data]
    except ValueError:
        raise ValidationFailed.single("partners", _("Choose partners from your institution's list.")) from None
    values["funding_source"] = form.funding_source.data or None
    new_partner = None
    if form.new_partner_institution.data or (form.new_partner_name.data or "").strip():
        new_partner = services.NewPartner(
            name=(form.new_partner_name.data or "").strip(), kind=PartnerKind(form.new_partner_kind.data),
            institution_id=int(form.new_partner_institution.data) if form.new_partner_institution.data else None,
            role=form.new_partner_role.data)
    return services.PracticeInput(values=values, partners=partners, new_partner=new_partner,
                                  sources=list(form.sources.data or []))


def _render_form(form, practice=None, version=None, status=200):
    return render_template("practices/form.html", form=form, practice=practice, version=version,
                           photo_form=PhotoForm(), action_form=FlaskForm(),
                           max_photo_mb=_photo_max_bytes() // (1024 * 1024)), status


def _save(form, practice=None):
    """Save (and maybe submit) in one transaction; on any error nothing is stored."""
    submitting = request.form.get("action") == "submit"
    try:
        data = _input(form)
        if practice is None:
            practice = services.do_create_practice(data, current_user.id)
        else:
            services.do_save_draft(practice, data, current_user.id)
        if submitting:
            services.do_submit(practice, current_institution(), current_user)
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return None, submitting
    db.session.commit()
    return practice, submitting


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = _form()
    if form.validate_on_submit():
        practice, submitted = _save(form)
        if practice is not None:
            flash(_("The practice has been sent to the regional coordinator.") if submitted
                  else _("The draft has been saved."), "success")
            return redirect(url_for(".detail", practice_id=practice.id))
    return _render_form(form, status=422 if request.method == "POST" else 200)


@bp.route("/<uuid:practice_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(practice_id):
    practice = access_practice(practice_id)
    version = practice.draft
    if version is None:
        flash(_("Only a draft can be changed. Start a new version to change this practice."), "warning")
        return redirect(url_for(".detail", practice_id=practice.id))
    form = _form(version)
    if form.validate_on_submit():
        saved, submitted = _save(form, practice)
        if saved is not None:
            flash(_("The practice has been sent to the regional coordinator.") if submitted
                  else _("The draft has been saved."), "success")
            return redirect(url_for(".detail", practice_id=practice.id))
        practice = access_practice(practice_id)
        version = practice.draft
    return _render_form(form, practice, version, status=422 if request.method == "POST" else 200)


# --- one practice -------------------------------------------------------------------------

def _preview(version: PracticeVersion, live_figures: bool = True) -> dict:
    institution = current_institution()
    content = version_content(version, institution, _rule())
    figures = version_figures(version, _rule()) if live_figures else None
    photos = [{"url": url_for(".photo", photo_id=p.id), "caption": p.caption, "width": p.width,
               "height": p.height} for p in version.photos]
    return {"content": content, "figures": figures, "photos": photos}


def _history_labels() -> dict:
    form = PracticeForm(formdata=None)
    return {**{name: field.label.text for name, field in form._fields.items()}, **HISTORY_LABELS}


@bp.route("/<uuid:practice_id>")
def detail(practice_id):
    practice = access_practice(practice_id)
    current = practice.draft or practice.submitted or practice.latest
    if practice.published is not None:
        services.do_refresh_published_figures(practice, current_institution())
        db.session.commit()
    history = list(db.session.execute(
        select(ChangeRecord).where(ChangeRecord.entity_type == "PracticeVersion",
                                   ChangeRecord.entity_id == current.id).order_by(ChangeRecord.at)).scalars())
    return render_template("practices/detail.html", practice=practice, current=current,
                           preview=_preview(current), form=FlaskForm(), history=history,
                           history_labels=_history_labels())


@bp.route("/versions/<uuid:version_id>")
def version(version_id):
    version = access_version(version_id)
    return render_template("practices/version.html", version=version, practice=version.practice,
                           preview=_preview(version, live_figures=version.state is VersionState.PUBLISHED))


def _action(practice_id, action, done_message):
    practice = access_practice(practice_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".detail", practice_id=practice.id))
    try:
        result = action(practice)
    except ValidationFailed as failure:
        db.session.rollback()
        for messages in failure.errors.values():
            for message in messages:
                flash(message, "error")
        return redirect(url_for(".detail", practice_id=practice.id))
    db.session.commit()
    flash(done_message, "success")
    if result is True:   # the practice itself is gone
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", practice_id=practice.id))


@bp.route("/<uuid:practice_id>/submit", methods=["POST"])
@require_writer
def submit(practice_id):
    practice = access_practice(practice_id)
    if practice.draft is not None and FlaskForm().validate_on_submit():
        try:
            services.validate_for_submission(practice.draft)
        except ValidationFailed as failure:
            form = _form(practice.draft, from_request=False)
            apply_to_form(form, failure)
            flash(_("Complete the marked sections before sending the practice for review."), "error")
            return _render_form(form, practice, practice.draft, status=422)
    return _action(practice_id, lambda p: services.do_submit(p, current_institution(), current_user),
                   _("The practice has been sent to the regional coordinator."))


@bp.route("/<uuid:practice_id>/withdraw", methods=["POST"])
@require_writer
def withdraw(practice_id):
    return _action(practice_id, services.do_withdraw_submission,
                   _("The submission has been withdrawn; the version is a draft again."))


@bp.route("/<uuid:practice_id>/new-version", methods=["POST"])
@require_writer
def new_version(practice_id):
    practice = access_practice(practice_id)
    response = _action(practice_id, services.do_start_new_version,
                       _("A new version has been started. The published version stays in the catalogue until the "
                         "coordinator approves this one."))
    if practice.draft is not None:
        return redirect(url_for(".edit", practice_id=practice.id))
    return response


@bp.route("/<uuid:practice_id>/discard", methods=["POST"])
@require_writer
def discard(practice_id):
    return _action(practice_id, services.do_discard_draft, _("The draft has been deleted."))


@bp.route("/<uuid:practice_id>/unpublish", methods=["POST"])
@require_admin
def unpublish(practice_id):
    return _action(practice_id, services.do_withdraw_from_catalogue,
                   _("The practice has been withdrawn from the regional catalogue."))


# --- photos -----------------------------------------------------------------------------

@bp.route("/versions/<uuid:version_id>/photos", methods=["POST"])
@require_writer
def add_photo(version_id):
    version = access_version(version_id)
    form = PhotoForm()
    if form.validate_on_submit():
        upload = request.files.get("photo")
        try:
            checked = check_photo(upload.read() if upload else b"", _photo_max_bytes())
            services.do_add_photo(version, checked, form.caption.data, current_user.id)
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
        else:
            db.session.commit()
            flash(_("The photo has been added."), "success")
            return redirect(url_for(".edit", practice_id=version.practice_id) + "#photos")
    practice = version.practice
    main = _form(practice.draft, from_request=False) if practice.draft is not None else None
    if main is None:
        return redirect(url_for(".detail", practice_id=practice.id))
    return render_template("practices/form.html", form=main, practice=practice, version=practice.draft,
                           photo_form=form, action_form=FlaskForm(),
                           max_photo_mb=_photo_max_bytes() // (1024 * 1024)), 422


@bp.route("/photos/<uuid:photo_id>")
def photo(photo_id):
    linked = access_photo(photo_id)
    return Response(linked.attachment.data, mimetype=linked.attachment.content_type,
                    headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})


@bp.route("/photos/<uuid:photo_id>/delete", methods=["POST"])
@require_writer
def delete_photo(photo_id):
    linked = access_photo(photo_id)
    practice_id = linked.version.practice_id
    if FlaskForm().validate_on_submit():
        try:
            services.do_remove_photo(linked)
        except ValidationFailed as failure:
            db.session.rollback()
            flash(" ".join(m for ms in failure.errors.values() for m in ms), "error")
        else:
            db.session.commit()
            flash(_("The photo has been removed."), "success")
    return redirect(url_for(".edit", practice_id=practice_id) + "#photos")
