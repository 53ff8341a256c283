"""The baseline of the page benchmarks: a bare Flask page rendering a 50-row table with Jinja.

`gunicorn bench.bare_app:app` serves it with the same server settings as the platform. The
template goes through `render_template`, compiled once and cached like any template file
(`render_template_string` compiles on every request, which made the baseline about three times
slower than a minimal Flask application's page).
"""
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


@app.route("/")
def page():
    return render_template("page.html", rows=ROWS)
