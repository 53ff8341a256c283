"""Liveness and readiness for orchestrators, and the accessibility statement."""
from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text

from ..extensions import db, limiter

bp = Blueprint("health", __name__, template_folder="templates")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """The process is up and serving."""
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """The database and Redis are both reachable; 503 names what is not."""
    from regionet.workers.queues import redis_connection

    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        current_app.logger.warning("readiness: database: %s", error)
        checks["database"] = "unreachable"
    finally:
        db.session.rollback()
    try:
        redis_connection().ping()
        checks["redis"] = "ok"
    except Exception as error:  # noqa: BLE001
        current_app.logger.warning("readiness: redis: %s", error)
        checks["redis"] = "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), (200 if ready else 503)


@bp.route("/accessibility")
def accessibility():
    return render_template("health/accessibility.html")
