"""Sign-in, sign-out, choosing where to work, and the language switch."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from .forms import LanguageForm, LoginForm
from .passwords import verify_password
from .services import do_record_login, get_user_by_email
from .workspaces import workspaces_for

bp = Blueprint("accounts", __name__, template_folder="templates")


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


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    places = workspaces_for(current_user)
    if len(places) == 1:
        return redirect(places[0].url)
    return render_template("accounts/choose.html", places=places)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = get_user_by_email(form.email.data)
        password_ok = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and password_ok and user.is_active:
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user, remember=form.remember.data)
            do_record_login(user, form.password.data)
            return redirect(safe_next(form.next.data) or url_for("accounts.index"))
        # One message for an unknown login, a wrong password and a disabled account.
        error = _("Incorrect e-mail address or password.")
        form.password.data = ""
    return render_template("accounts/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have been signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.preferred_locale = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("accounts.index"))
