"""The application factory."""
import os
from pathlib import Path

from flask import Flask

from .config import load_config
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_instance_path() -> str:
    if os.environ.get("INSTANCE_PATH"):
        return os.environ["INSTANCE_PATH"]
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return str(PROJECT_ROOT / "instance")
    return str(Path.cwd() / "instance")


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or default_instance_path()
    app = Flask(
        __name__,
        root_path=str(Path(__file__).parent),
        instance_path=instance_path,
        template_folder=str(Path(__file__).parent / "ui" / "templates"),
        static_folder=str(Path(__file__).parent / "ui" / "static"),
    )
    app.config.update(load_config(instance_path))
    app.config["MIGRATIONS_DIR"] = os.environ.get("MIGRATIONS_DIR", str(PROJECT_ROOT / "migrations"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    if test_config:
        app.config.update(test_config)
    _configure_database_sessions(app)
    _trust_proxies(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _configure_database_sessions(app: Flask) -> None:
    """Connections carry the statement timeout from the start (no extra round trip), and JIT
    compilation off unless DB_JIT is set: the pages run many short queries, whose plans under
    the row-level policies can cost enough to cross jit_above_cost; PostgreSQL then spends longer
    compiling than the query runs (seen at over a second per query). Off is usual for OLTP."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    settings = f"-c statement_timeout={int(app.config['DB_STATEMENT_TIMEOUT_MS'])}"
    if not app.config.get("DB_JIT"):
        settings += " -c jit=off"
    connect_args.setdefault("options", settings)
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, the client's address and scheme come from the
    headers those proxies set (the last N entries only: a client cannot forge its way past them)."""
    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _init_extensions(app: Flask) -> None:
    from . import tenancy  # noqa: F401  (session hooks)
    from .accounts.session import init_login
    from .ui.setup import init_ui

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"], compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    init_login(app, login_manager)
    init_ui(app, babel)
    _import_models()


def _import_models() -> None:
    """Every model module, so that metadata (migrations, tests) sees every table."""
    from regionet.tenants import models as _tenant_models  # noqa: F401

    from .accounts import events as _account_events  # noqa: F401
    from .accounts import lockout as _lockout  # noqa: F401
    from .accounts import models as _accounts  # noqa: F401
    from .accounts import password_reset as _password_reset  # noqa: F401
    from .accounts import second_factor as _second_factor  # noqa: F401
    from .calendar import models as _calendar  # noqa: F401
    from .institutions import models as _institutions  # noqa: F401
    from .mail import models as _mail  # noqa: F401
    from .practices import models as _practices  # noqa: F401
    from .regional_reports import models as _regional_reports  # noqa: F401
    from .regions import models as _regions  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from regionet.tenants import blueprints as tenant_blueprints
    from regionet.tenants.staff.accept_views import bp as invitations_bp

    from .accounts.account_views import bp as account_bp
    from .accounts.second_factor_views import bp as second_factor_bp
    from .accounts.views import bp as accounts_bp
    from .calendar.region_views import bp as region_calendar_bp
    from .calendar.views import bp as deadlines_bp
    from .coordinator.views import bp as coordinator_bp
    from .health.views import bp as health_bp
    from .operator.views import bp as operator_bp
    from .practices.views import bp as practices_bp
    from .regional_groups.views import bp as regional_groups_bp
    from .regional_reports.views import bp as regional_reports_bp

    for blueprint in (accounts_bp, account_bp, second_factor_bp, invitations_bp, health_bp, coordinator_bp, practices_bp, regional_reports_bp, operator_bp,
                      deadlines_bp, regional_groups_bp, region_calendar_bp,
                      *tenant_blueprints()):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
