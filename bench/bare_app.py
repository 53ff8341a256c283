"""The baselines of the page benchmarks: a bare Flask page rendering a 50-row table with Jinja,
and two "floor" pages that add only the database work a participant list cannot do without.

`gunicorn bench.bare_app:app` serves them with the same server settings as the platform.

- `/`: the bare page. Its 50 rows live in memory; no database.
- `/floor/trail`: the bare page plus the access-trail entry every view of personal data must
  commit (issue 3, point 12): one INSERT into `access_records` and its COMMIT.
- `/floor/list`: what the list page does in the database at the least, as plain psycopg calls on
  one kept connection: check the signed-in user's token, set the tenant scope, read the page's
  50 rows, append the trail entry, commit. No ORM, no login manager, no layout.

The floors show how much of the bare page's rate any page meeting the trail requirement can
reach on this machine. The template goes through `render_template`, compiled once and cached
like any template file (`render_template_string` compiles on every request, which made the
baseline about three times slower than a minimal Flask application's page).
"""
import os
import uuid

from flask import Flask, render_template
from jinja2 import DictLoader

app = Flask(__name__)

ROWS = [{"name": f"Osoba {i}", "pesel": f"{80010100000 + i}", "commune": "Skarżysko-Kamienna",
         "status": "bezrobotna"} for i in range(50)]

PAGE = """<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Lista</title></head><body>
<main><h1>Uczestnicy</h1><table><thead><tr><th>Imię i nazwisko</th><th>PESEL</th><th>Gmina</th><th>Status</th></tr></thead>
<tbody>{% for r in rows %}<tr><td>{{ r.name }}</td><td>{{ r.pesel }}</td><td>{{ r.commune }}</td><td>{{ r.status }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""
app.jinja_loader = DictLoader({"page.html": PAGE})

_INSERT_TRAIL = ("INSERT INTO access_records (tenant_id, id, user_id, action, subject_type, detail)"
                 " VALUES (%s, %s, %s, 'view', 'bench_floor', 'Strona 1')")
_connection = None


def _database():
    """One connection per server process, as the platform's pool keeps one per worker."""
    global _connection
    if _connection is None or _connection.closed:
        import psycopg
        from psycopg.rows import dict_row

        _connection = psycopg.connect(os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://"),
                                      row_factory=dict_row)
    return _connection


def _bench_ids() -> tuple[int, int, str]:
    return int(os.environ["BENCH_TENANT_ID"]), int(os.environ["BENCH_USER_ID"]), os.environ["BENCH_USER_TOKEN"]


@app.route("/")
def page():
    return render_template("page.html", rows=ROWS)


@app.route("/floor/trail")
def floor_trail():
    tenant_id, user_id, _token = _bench_ids()
    connection = _database()
    with connection.transaction():
        connection.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))
        connection.execute(_INSERT_TRAIL, (tenant_id, uuid.uuid4(), user_id))
    return render_template("page.html", rows=ROWS)


@app.route("/floor/list")
def floor_list():
    tenant_id, user_id, token = _bench_ids()
    connection = _database()
    with connection.transaction():
        # The signed-in user's server-side session, as the platform checks it (user_sessions.py).
        session_id, _sep, secret = token.partition(":")
        user = connection.execute(
            "SELECT s.secret_hash = encode(sha256(convert_to(%s, 'UTF8')), 'hex') AND s.ended_at IS NULL"
            " AND s.expires_at > now() AND u.is_enabled AS signed_in"
            " FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = %s AND u.id = %s",
            (secret, int(session_id), user_id)).fetchone()
        if not user or not user["signed_in"]:
            return "", 403
        connection.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))
        rows = connection.execute(
            "SELECT last_name || ' ' || first_name AS name, pesel, commune_code AS commune,"
            " labour_status AS status FROM participants WHERE tenant_id = %s"
            " ORDER BY last_name, first_name, id LIMIT 50", (tenant_id,)).fetchall()
        connection.execute(_INSERT_TRAIL, (tenant_id, uuid.uuid4(), user_id))
    return render_template("page.html", rows=rows)
