"""The second factor: the sign-in step, enrolment (forced at sign-in or chosen on the account
page), recovery codes and turning it off."""
import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from .events import EventKind, record_event
from .forms import CodeForm
from .lockout import claim
from .models import User
from .second_factor import (
    do_begin_enrolment,
    do_confirm_enrolment,
    do_remove_second_factor,
    do_renew_recovery_codes,
    do_verify,
    is_enrolled,
    provisioning_uri,
    qr_code_svg,
    recovery_codes_left,
    requirement_reason,
    second_factor_of,
)
from .signin import Attempt, failed
from .views import complete_sign_in, counts_against_address, refusal_message

bp = Blueprint("second_factor", __name__, template_folder="templates")
PENDING = "pending_sign_in"
PENDING_SECONDS = 300


def start_pending(user: User, *, remember: bool, next_url: str | None) -> None:
    """The password was right; the sign-in waits for the second factor (for five minutes)."""
    session[PENDING] = {"user": user.id, "remember": bool(remember), "next": next_url or "", "at": int(time.time())}


def _pending() -> tuple[User, dict] | None:
    data = session.get(PENDING)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, data["user"])
    return (user, data) if user is not None and user.is_active else None


def _expired():
    session.pop(PENDING, None)
    flash(_("The sign-in took too long. Sign in again."), "info")
    return redirect(url_for("accounts.login"))


def _limited(view):
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
                         deduct_when=counts_against_address)(view)


@bp.route("/login/second-factor", methods=["GET", "POST"])
@_limited
def verify():
    pending = _pending()
    if pending is None:
        return _expired()
    user, data = pending
    if not is_enrolled(user):
        return redirect(url_for(".setup_at_sign_in"))
    form, error, status = CodeForm(), None, 200
    if form.validate_on_submit():
        row, verdict = claim(user.email)
        if verdict.wait_seconds:
            db.session.commit()
            error, status = refusal_message(Attempt(wait_seconds=verdict.wait_seconds, locked=verdict.locked)), 429
        else:
            used = do_verify(user, form.code.data)
            if used is not None:
                if used == "recovery":
                    record_event(EventKind.RECOVERY_CODE_USED, user_id=user.id, actor_id=user.id)
                session.pop(PENDING, None)
                response = complete_sign_in(user, remember=data["remember"], second_factor=True,
                                            next_url=data["next"])
                if used == "recovery":  # after the sign-in, which starts a fresh Flask session
                    flash(_("You signed in with a recovery code. Codes left: %(n)s.",
                            n=recovery_codes_left(user)), "warning")
                return response
            attempt = failed(user.email, row)
            error = refusal_message(attempt) if attempt.wait_seconds else _("The code is not correct.")
            status = 429 if attempt.wait_seconds else 401
        form.code.data = ""
    return render_template("accounts/second_factor_verify.html", form=form, error=error), status


@bp.route("/login/second-factor/setup", methods=["GET", "POST"])
@_limited
def setup_at_sign_in():
    """Accounts that must use a second factor and have none set it up before they get in."""
    pending = _pending()
    if pending is None:
        return _expired()
    user, data = pending
    if is_enrolled(user):
        return redirect(url_for(".verify"))
    factor = do_begin_enrolment(user)
    db.session.commit()
    form, status = CodeForm(), 200
    if form.validate_on_submit():
        row, verdict = claim(user.email)
        codes = None if verdict.wait_seconds else do_confirm_enrolment(user, form.code.data)
        if codes is not None:
            record_event(EventKind.SECOND_FACTOR_ENABLED, user_id=user.id, actor_id=user.id)
            session.pop(PENDING, None)
            complete_sign_in(user, remember=data["remember"], second_factor=True, next_url=data["next"])
            return render_template("accounts/recovery_codes.html", codes=codes, continue_url=url_for("accounts.index"))
        if verdict.wait_seconds:
            db.session.commit()
            form.code.errors = [refusal_message(Attempt(wait_seconds=verdict.wait_seconds, locked=verdict.locked))]
            status = 429
        else:
            attempt = failed(user.email, row)
            form.code.errors = [refusal_message(attempt) if attempt.wait_seconds
                                else _("The code is not correct. Check the time on your phone and try again.")]
            status = 429 if attempt.wait_seconds else 422
        form.code.data = ""
    return _setup_page(user, factor, form, requirement_reason(user), status, at_sign_in=True)


def _setup_page(user, factor, form, reason, status, at_sign_in):
    uri = provisioning_uri(factor, user)
    return render_template("accounts/second_factor_setup.html", form=form, reason=reason, secret=factor.secret,
                           qr_svg=qr_code_svg(uri), at_sign_in=at_sign_in), status


@bp.route("/account/second-factor/setup", methods=["GET", "POST"])
@login_required
def setup():
    if is_enrolled(current_user):
        return redirect(url_for("account.index"))
    factor = do_begin_enrolment(current_user)
    db.session.commit()
    form, status = CodeForm(), 200
    if form.validate_on_submit():
        codes = do_confirm_enrolment(current_user, form.code.data)
        if codes is not None:
            record_event(EventKind.SECOND_FACTOR_ENABLED, user_id=current_user.id, actor_id=current_user.id)
            current_user.current_session.second_factor = True
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes,
                                   continue_url=url_for("account.index"))
        form.code.errors = [_("The code is not correct. Check the time on your phone and try again.")]
        form.code.data, status = "", 422
    return _setup_page(current_user, factor, form, requirement_reason(current_user), status, at_sign_in=False)


def _confirmed_by_code(form) -> bool:
    """Changing the second factor asks for a current code (or a recovery code) first."""
    if not form.validate_on_submit():
        return False
    if do_verify(current_user, form.code.data) is None:
        db.session.rollback()
        flash(_("The code is not correct."), "error")
        return False
    return True


@bp.route("/account/second-factor/recovery-codes", methods=["POST"])
@login_required
def renew_recovery_codes():
    form = CodeForm()
    if not is_enrolled(current_user) or not _confirmed_by_code(form):
        return redirect(url_for("account.index"))
    codes = do_renew_recovery_codes(current_user)
    record_event(EventKind.RECOVERY_CODES_RENEWED, user_id=current_user.id, actor_id=current_user.id)
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes, continue_url=url_for("account.index"))


@bp.route("/account/second-factor/remove", methods=["POST"])
@login_required
def remove():
    if requirement_reason(current_user) is not None:
        abort(403)
    form = CodeForm()
    if second_factor_of(current_user) is None or not _confirmed_by_code(form):
        return redirect(url_for("account.index"))
    do_remove_second_factor(current_user)
    record_event(EventKind.SECOND_FACTOR_DISABLED, user_id=current_user.id, actor_id=current_user.id)
    db.session.commit()
    flash(_("The second factor is turned off."), "success")
    return redirect(url_for("account.index"))
