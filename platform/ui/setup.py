"""The web shell: language, formats, template context, error pages; the request guard and the
security headers (request_guard.py, headers.py)."""
from flask import g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..run_status import failure_advice
from .formatting import register_filters, translations
from .headers import init_security_headers
from .request_guard import init_request_guard


def select_locale() -> str:
    supported = ("pl", "en")
    if not has_request_context():
        return "pl"  # CLI commands, jobs: Polish, the language of the documents
    wanted = request.args.get("lang")
    if wanted in supported:
        return wanted
    if current_user and current_user.is_authenticated and current_user.preferred_locale in supported:
        return current_user.preferred_locale
    if session.get("language") in supported:
        return session["language"]
    return "pl"  # Polish first, whatever the browser says


def init_ui(app, babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's callables find the catalogue anew for every `_()` of a template (a list page
    # has a hundred); these look it up once per language.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    register_filters(app)
    app.jinja_env.globals["failure_advice"] = failure_advice
    init_request_guard(app)

    @app.context_processor
    def shell_context():
        from ..accounts.workspaces import ROLE_LABELS, workspaces_for
        from ..institutions.labels import institution_kind_label

        places = workspaces_for(current_user) if current_user.is_authenticated else []
        return {
            "html_lang": str(get_locale() or "pl"),
            "workspaces": places,
            "institution": g.get("institution"),
            "membership": g.get("membership"),
            "region": g.get("region"),
            "role_labels": ROLE_LABELS,
            "kind_label": institution_kind_label,
        }

    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, _error_page(code))
    app.register_error_handler(CSRFError, lambda e: (render_template("errors/error.html", code=400,
                                                                     csrf=True), 400))
    init_security_headers(app)


def _error_page(code: int):
    def handler(error):
        from ..extensions import db

        if code == 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code), code

    return handler
