"""Sign-in, sign-out, password reset, choosing where to work, and the language switch."""
import logging
import math
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..extensions import db, limiter
from .forms import ForgotPasswordForm, LanguageForm, LoginForm, ResetPasswordForm
from .models import SessionEnd
from .password_reset import do_reset_password, find_reset
from .passwords import hash_password, needs_rehash
from .services import do_record_login
from .session import sign_in
from .signin import Attempt, check_password, succeeded
from .user_sessions import do_end_session

bp = Blueprint("accounts", __name__, template_folder="templates")
log = logging.getLogger(__name__)


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after sign-in or a language change."""
    if not target:
        return None
    if any(ord(char) < 32 or char in "\\\x7f" for char in target):
        return None   # a line break would split the Location header; a backslash reads as "/" in browsers
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def counts_against_address(response) -> bool:
    """Per-address limits count refused attempts only, never a successful sign-in."""
    return response.status_code in (401, 429)


def refusal_message(attempt: Attempt) -> str:
    if attempt.locked:
        return _("Too many failed sign-in attempts: signing in with this address is locked for %(minutes)s min. "
                 "You can set a new password with the link below.",
                 minutes=max(1, math.ceil(attempt.wait_seconds / 60)))
    if attempt.wait_seconds:
        return _("Too many failed sign-in attempts. Wait %(seconds)s s and try again.", seconds=attempt.wait_seconds)
    # One message for an unknown login, a wrong password and a disabled account.
    return _("Incorrect e-mail address or password.")


@bp.route("/")
def index():
    from .workspaces import workspaces_for

    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    places = workspaces_for(current_user)
    if len(places) == 1:
        return redirect(places[0].url)
    return render_template("accounts/choose.html", places=places)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
               deduct_when=counts_against_address)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    error, status = None, 200
    if form.validate_on_submit():
        attempt = check_password(form.email.data, form.password.data)
        if attempt.user is not None:
            return _after_password(attempt.user, form)
        error, status = refusal_message(attempt), (429 if attempt.wait_seconds else 401)
        form.password.data = ""
    return render_template("accounts/login.html", form=form, error=error), status


def _after_password(user, form):
    """The password was right: sign in, or first ask for the second factor (or its setup)."""
    from .second_factor import is_enrolled, is_required
    from .second_factor_views import start_pending

    enrolled = is_enrolled(user)
    if not enrolled and not is_required(user):
        return complete_sign_in(user, remember=form.remember.data, second_factor=False, next_url=form.next.data,
                                password=form.password.data)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(form.password.data)
    db.session.commit()  # the address's failure count stays until the second factor is given
    start_pending(user, remember=form.remember.data, next_url=safe_next(form.next.data))
    return redirect(url_for("second_factor.verify" if enrolled else "second_factor.setup_at_sign_in"))


def complete_sign_in(user, *, remember: bool, second_factor: bool, next_url: str | None, password: str | None = None):
    sign_in(user, remember=remember, second_factor=second_factor)
    succeeded(user.email)
    do_record_login(user, password)
    return redirect(safe_next(next_url) or url_for("accounts.index"))


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server (every copy of its cookies stops working) and in the browser."""
    if current_user.is_authenticated and current_user.current_session is not None:
        do_end_session(current_user.current_session, SessionEnd.SIGNED_OUT)
        db.session.commit()
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # after clear(): Flask-Login deletes the remember cookie on this mark
    flash(_("You have been signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """The same answer, as fast, whether the address has an account or not: a worker decides."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        from regionet.workers.queues import MAIL, get_queue

        try:
            get_queue(MAIL).enqueue("regionet.workers.jobs.accounts.request_password_reset",
                                    form.email.data, request.remote_addr, retry=None)
        except Exception:  # noqa: BLE001
            log.exception("could not queue a password reset")
            flash(_("The message cannot be sent right now. Try again in a few minutes."), "error")
            return render_template("accounts/forgot.html", form=form), 503
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form), (422 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    if find_reset(token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if do_reset_password(token, form.new_password.data) is None:
            return render_template("accounts/reset_invalid.html"), 404
        flash(_("Your new password is set. Sign in with it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, token=token), (422 if form.errors else 200)


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.preferred_locale = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("accounts.index"))
