"""Liveness and readiness."""
from regionet.platform.app import create_app


def test_healthz_answers_when_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_database_and_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_names_what_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "REDIS_URL": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "unreachable", "redis": "unreachable"}
    assert app.test_client().get("/healthz").status_code == 200


def test_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
