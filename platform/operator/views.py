"""The platform operator's console: regions, institutions, accounts."""
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..accounts.models import Membership, MembershipRole, RegionCoordinator, User
from ..accounts.services import do_create_user, do_grant_membership, do_make_coordinator, get_user_by_email
from ..extensions import db
from ..forms import select_choices
from ..institutions.models import Institution
from ..institutions.services import do_create_institution
from ..regions.models import Region
from ..regions.services import do_create_region
from ..ui.polish import polish_order
from ..validation import ValidationFailed, apply_to_form
from .forms import InstitutionForm, RegionForm, UserForm

bp = Blueprint("operator", __name__, url_prefix="/operator", template_folder="templates")


def operator_only(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_operator:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def _forms(region_form=None, institution_form=None, user_form=None):
    regions = list(db.session.execute(select(Region).order_by(polish_order(Region.name))).scalars())
    institutions = list(db.session.execute(select(Institution).order_by(polish_order(Institution.name))).scalars())
    institution_form = institution_form or InstitutionForm()
    institution_form.region_code.choices = select_choices((r.teryt_code, r.name) for r in regions)
    user_form = user_form or UserForm()
    user_form.place.choices = select_choices(
        [(f"i:{i.id}", i.name) for i in institutions]
        + [(f"r:{r.teryt_code}", _("Coordinator of region %(name)s", name=r.name)) for r in regions])
    return regions, institutions, region_form or RegionForm(), institution_form, user_form


@bp.route("/")
@operator_only
def home(region_form=None, institution_form=None, user_form=None, status=200):
    regions, institutions, region_form, institution_form, user_form = _forms(region_form, institution_form, user_form)
    members = dict(db.session.execute(
        select(Membership.institution_id, func.count()).group_by(Membership.institution_id)).all())
    coordinators = dict(db.session.execute(
        select(RegionCoordinator.region_code, func.count()).group_by(RegionCoordinator.region_code)).all())
    per_region = dict(db.session.execute(
        select(Institution.region_code, func.count()).group_by(Institution.region_code)).all())
    users = db.session.execute(select(func.count()).select_from(User)).scalar_one()
    from ..mail.models import MailStatus, OutgoingMail

    mail_counts = dict(db.session.execute(select(OutgoingMail.status, func.count()).where(
        OutgoingMail.status.in_([MailStatus.FAILED, MailStatus.RETRYING, MailStatus.QUEUED]))
        .group_by(OutgoingMail.status)).all())
    return render_template("operator/home.html", regions=regions, institutions=institutions, members=members,
                           coordinators=coordinators, per_region=per_region, users=users, mail_counts=mail_counts,
                           region_form=region_form, institution_form=institution_form,
                           user_form=user_form), status


@bp.route("/regions", methods=["POST"])
@operator_only
def create_region():
    form = RegionForm()
    if form.validate_on_submit():
        try:
            region, created = do_create_region(form.teryt_code.data)
            db.session.commit()
            flash(_("Region %(name)s created.", name=region.name) if created
                  else _("Region %(name)s already exists.", name=region.name), "success")
            return redirect(url_for(".home"))
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
    return home(region_form=form, status=422)


@bp.route("/institutions", methods=["POST"])
@operator_only
def create_institution():
    _regions, _institutions, _region_form, form, _user_form = _forms()
    if form.validate_on_submit():
        try:
            institution, created = do_create_institution(
                region_code=form.region_code.data, name=form.name.data, short_name=form.short_name.data,
                kind=form.kind.data, teryt_code=form.teryt_code.data, nip=form.nip.data, regon=form.regon.data)
            db.session.commit()
            flash(_("Institution %(name)s created.", name=institution.name) if created
                  else _("An institution with this address already exists: %(name)s.", name=institution.name),
                  "success" if created else "warning")
            return redirect(url_for(".home"))
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
    return home(institution_form=form, status=422)


@bp.route("/users", methods=["POST"])
@operator_only
def create_user():
    _regions, _institutions, _region_form, _institution_form, form = _forms()
    if form.validate_on_submit():
        if get_user_by_email(form.email.data) is not None:
            form.email.errors = [_("An account with this e-mail address already exists.")]
        else:
            user = do_create_user(form.email.data, form.full_name.data, form.password.data)
            kind, _sep, key = form.place.data.partition(":")
            if kind == "i":
                do_grant_membership(user, int(key), MembershipRole(form.role.data))
            else:
                do_make_coordinator(user, key)
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for(".home"))
    return home(user_form=form, status=422)


@bp.route("/regions/<code>/second-factor", methods=["POST"])
@operator_only
def region_second_factor(code):
    """Require (or stop requiring) a second factor of every member of the region's institutions."""
    from ..accounts.security_admin import do_require_for_region

    region = db.session.get(Region, code)
    if region is None:
        abort(404)
    do_require_for_region(region, not region.require_second_factor, current_user)
    db.session.commit()
    flash(_("Region %(name)s: every member of its institutions must now use a second factor.", name=region.name)
          if region.require_second_factor else
          _("Region %(name)s: the second factor is optional again for staff members.", name=region.name), "success")
    return redirect(url_for(".home"))


@bp.route("/institutions/<int:institution_id>/second-factor", methods=["POST"])
@operator_only
def institution_second_factor(institution_id):
    from ..accounts.security_admin import do_require_for_institution

    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    do_require_for_institution(institution, not institution.require_second_factor, current_user)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".home"))


@bp.route("/users/second-factor-reset", methods=["POST"])
@operator_only
def reset_second_factor():
    """Any account's second factor (an administrator, a coordinator, an operator who lost their phone)."""
    from ..accounts.security_admin import do_reset_second_factor
    from .forms import AccountLookupForm

    form = AccountLookupForm()
    user = get_user_by_email(form.email.data or "") if form.validate_on_submit() else None
    if user is None:
        flash(_("No account has this e-mail address."), "error")
    elif do_reset_second_factor(user, current_user):
        db.session.commit()
        flash(_("The second factor of %(email)s has been reset; they set it up again at the next sign-in.",
                email=user.email), "success")
    else:
        flash(_("%(email)s has no second factor.", email=user.email), "info")
    return redirect(url_for(".home"))


@bp.route("/mail/send-failed", methods=["POST"])
@operator_only
def send_failed_mail():
    """Queue again the messages that failed (after the mail settings were fixed)."""
    from ..mail.models import MailStatus
    from ..mail.services import do_requeue_mail

    queued = do_requeue_mail((MailStatus.FAILED,))
    flash(_("Messages queued again: %(n)s.", n=queued), "success")
    return redirect(url_for(".home"))


@bp.route("/regions/<code>/thresholds", methods=["GET", "POST"])
@operator_only
def region_thresholds(code):
    """The region's disclosure thresholds: changed with a reason, recorded, then the figures recounted."""
    from ..accounts.events import AccountEvent, EventKind
    from ..regions.thresholds import do_set_thresholds
    from .forms import ThresholdsForm

    region = db.session.get(Region, code)
    if region is None:
        abort(404)
    form = ThresholdsForm(obj=region)
    status = 200
    if form.validate_on_submit():
        try:
            changed = do_set_thresholds(region, form.suppression_threshold.data, form.sensitive_threshold.data,
                                        form.reason.data, current_user)
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
            status = 400
        else:
            flash(_("Thresholds of region %(name)s changed; its figures are being recounted.", name=region.name)
                  if changed else _("The thresholds are unchanged."), "success" if changed else "info")
            return redirect(url_for(".region_thresholds", code=code))
    elif form.is_submitted():
        status = 400
    changes = db.session.execute(select(AccountEvent).where(
        AccountEvent.kind == EventKind.THRESHOLDS_CHANGED.value, AccountEvent.region_code == code)
        .order_by(AccountEvent.at.desc()).limit(50)).scalars().all()
    return render_template("operator/thresholds.html", region=region, form=form, changes=changes), status
