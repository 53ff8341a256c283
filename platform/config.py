"""Configuration from the environment, with an embedded default for one machine.

Every setting can be given as an environment variable of the same name. Without
DATABASE_URL the platform connects to the private PostgreSQL that `make run` starts on a
socket under instance/postgres (`local_postgres.py`), with the production roles: the
runtime role, the owner for migrations and the coordinator role. Without REDIS_URL it
expects the private Redis that `make run` starts on a socket under instance/.
"""
import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def _secret(instance_path: Path, name: str) -> str:
    """A secret from the environment, else one generated once and kept in instance/."""
    if os.environ.get(name):
        return os.environ[name]
    key_file = instance_path / name.lower()
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    if os.environ.get("DATABASE_URL"):
        database_url = normalise_database_url(os.environ["DATABASE_URL"])
        migration_url = coordinator_url = database_url
    else:
        from .local_postgres import role_urls

        local = role_urls(instance)
        database_url, migration_url, coordinator_url = local["app"], local["owner"], local["coordinator"]
    return {
        "SECRET_KEY": _secret(instance, "SECRET_KEY"),
        # Master key of the participants' pseudonyms (per-region keys are derived from it).
        # Never rotate it casually: the same person must keep the same pseudonym.
        "PSEUDONYM_SECRET": _secret(instance, "PSEUDONYM_SECRET"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Migrations run as the role that owns the tables; the app runs as a role that does not.
        "MIGRATION_DATABASE_URL": normalise_database_url(
            os.environ.get("MIGRATION_DATABASE_URL") or migration_url),
        # The regional coordinator's pages read through their own, narrower role.
        "COORDINATOR_DATABASE_URL": normalise_database_url(
            os.environ.get("COORDINATOR_DATABASE_URL") or coordinator_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DB_STATEMENT_TIMEOUT_MS": _int("DB_STATEMENT_TIMEOUT_MS", 30_000),
        # PostgreSQL's JIT for the application's connections (off: see app._configure_database_sessions).
        "DB_JIT": _flag("DB_JIT", False),
        "REDIS_URL": os.environ.get("REDIS_URL") or f"unix://{instance / 'redis.sock'}",
        "RQ_QUEUE_PREFIX": os.environ.get("RQ_QUEUE_PREFIX", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_LIFETIME_SECONDS", 8 * 3600),
        # Server-side sessions (platform/accounts/user_sessions.py): absolute lifetime from sign-in
        # and idle timeout, for an ordinary sign-in and for "keep me signed in".
        "SESSION_LIFETIME_SECONDS": _int("SESSION_LIFETIME_SECONDS", 8 * 3600),
        "SESSION_IDLE_TIMEOUT_SECONDS": _int("SESSION_IDLE_TIMEOUT_SECONDS", 3600),
        "REMEMBER_LIFETIME_SECONDS": _int("REMEMBER_LIFETIME_SECONDS", 30 * 24 * 3600),
        "REMEMBER_IDLE_TIMEOUT_SECONDS": _int("REMEMBER_IDLE_TIMEOUT_SECONDS", 7 * 24 * 3600),
        # "Last seen" is written at most this often per session.
        "SESSION_TOUCH_INTERVAL_SECONDS": _int("SESSION_TOUCH_INTERVAL_SECONDS", 60),
        # Strict-Transport-Security is sent when SESSION_COOKIE_SECURE is on (behind HTTPS).
        "HSTS_MAX_AGE": _int("HSTS_MAX_AGE", 365 * 24 * 3600),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Warsaw"),
        "LANGUAGES": ("pl", "en"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis away: count in this process's memory meanwhile (Flask-Limiter logs "falling back to
        # in-memory storage", then "storage recovered"), never refuse a page over it.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": os.environ.get("RQ_QUEUE_PREFIX", ""),   # deployments sharing a Redis
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        # Refused sign-in attempts per client address (successes are not counted).
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per 15 minutes"),
        # Per account (platform/accounts/lockout.py): free failures, then a growing delay, then a
        # lockout that doubles each time; all forgotten after a quiet day.
        "LOGIN_FREE_FAILURES": _int("LOGIN_FREE_FAILURES", 3),
        "LOGIN_LOCKOUT_FAILURES": _int("LOGIN_LOCKOUT_FAILURES", 10),
        "LOGIN_LOCKOUT_SECONDS": _int("LOGIN_LOCKOUT_SECONDS", 900),
        "LOGIN_FAILURE_MEMORY_SECONDS": _int("LOGIN_FAILURE_MEMORY_SECONDS", 86400),
        # Reverse proxies in front of the web processes whose X-Forwarded-For/-Proto are trusted
        # (werkzeug's ProxyFix); 0 = clients connect directly.
        "TRUSTED_PROXY_COUNT": _int("TRUSTED_PROXY_COUNT", 0),
        "PASSWORD_RESET_LINK_SECONDS": _int("PASSWORD_RESET_LINK_SECONDS", 3600),
        "INVITATION_LINK_SECONDS": _int("INVITATION_LINK_SECONDS", 7 * 24 * 3600),
        # Links in e-mails point here, never at the Host header of the request that sent them.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Outgoing mail (Flask-Mailman's SMTP client; platform/mail). `make run` points these at
        # its local mail catcher.
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 30),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Regionet <no-reply@regionet.localhost>"),
        # Seconds between delivery attempts after a temporary SMTP failure (then: failed).
        "MAIL_RETRY_INTERVALS": [int(v) for v in os.environ.get(
            "MAIL_RETRY_INTERVALS", "30,120,600,1800,3600").split(",") if v.strip()],
        "REPORT_JOB_TIMEOUT": _int("REPORT_JOB_TIMEOUT", 600),
        "IMPORT_JOB_TIMEOUT": _int("IMPORT_JOB_TIMEOUT", 600),
        # Seconds the import worker may spend reading one spreadsheet before refusing it.
        "IMPORT_READ_SECONDS": _int("IMPORT_READ_SECONDS", 120),
        # Seconds over which changes are gathered before the coordinator's figures are recounted.
        "FIGURES_REFRESH_DELAY": _int("FIGURES_REFRESH_DELAY", 5),
        # Recounting is batch work: one period of a whole region is a statement of tens of seconds.
        "FIGURES_STATEMENT_TIMEOUT_MS": _int("FIGURES_STATEMENT_TIMEOUT_MS", 900_000),
        # Days a person whose every retention ended stays listed before the daily run anonymises them.
        "RETENTION_NOTICE_DAYS": _int("RETENTION_NOTICE_DAYS", 30),
    }


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
