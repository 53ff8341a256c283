"""The signed-in person's own account: password, sessions, second factor, recent events."""
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from ..extensions import db
from .forms import ChangePasswordForm, CodeForm
from .models import SessionEnd
from .passwords import verify_password
from .services import do_set_password
from .user_sessions import do_end_session, do_end_sessions, open_sessions, session_of

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")


def _page(password_form=None, status=200):
    from .events import AccountEvent
    from .second_factor import is_enrolled, recovery_codes_left, requirement_reason

    enrolled = is_enrolled(current_user)
    events = db.session.execute(select(AccountEvent).where(AccountEvent.user_id == current_user.id)
                                .order_by(AccountEvent.at.desc(), AccountEvent.id.desc()).limit(20)).scalars().all()
    return render_template("accounts/account.html", sessions=open_sessions(current_user),
                           password_form=password_form or ChangePasswordForm(), code_form=CodeForm(),
                           second_factor_on=enrolled, requirement=requirement_reason(current_user),
                           recovery_left=recovery_codes_left(current_user) if enrolled else 0, events=events), status


def _signed_out_here(message: str):
    logout_user()
    session.clear()
    session["_remember"] = "clear"
    flash(message, "info")
    return redirect(url_for("accounts.login"))


@bp.route("/")
@login_required
def index():
    return _page()


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("The current password is not correct.")]
        else:
            from .events import EventKind, record_event

            do_set_password(current_user, form.new_password.data)
            record_event(EventKind.PASSWORD_CHANGED, user_id=current_user.id, actor_id=current_user.id)
            db.session.commit()
            flash(_("Your password has been changed. Your other sessions have ended."), "success")
            return redirect(url_for(".index"))
    return _page(password_form=form, status=422)


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    row = session_of(current_user, session_id)
    if row is None:
        abort(404)
    is_this_one = row.id == current_user.current_session.id
    do_end_session(row, SessionEnd.SIGNED_OUT if is_this_one else SessionEnd.ENDED_BY_USER)
    db.session.commit()
    if is_this_one:
        return _signed_out_here(_("You have been signed out."))
    flash(_("The session has been ended."), "success")
    return redirect(url_for(".index"))


@bp.route("/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    from .events import EventKind, record_event

    do_end_sessions(current_user, SessionEnd.EVERYWHERE)
    record_event(EventKind.SIGNED_OUT_EVERYWHERE, user_id=current_user.id, actor_id=current_user.id)
    db.session.commit()
    return _signed_out_here(_("You have been signed out everywhere."))
