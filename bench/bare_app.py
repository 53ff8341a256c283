"""The baseline of the page benchmarks: a bare Flask page rendering a 50-row table with Jinja.

`gunicorn bench.bare_app:app` serves it with the same server settings as the platform.
"""
from flask import Flask, render_template_string

app = Flask(__name__)

ROWS = [{"name": f"Osoba {i}", "pesel": f"{80010100000 + i}", "commune": "Skarżysko-Kamienna",
         "status": "bezrobotna"} for i in range(50)]

PAGE = """<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Lista</title></head><body>
<main><h1>Uczestnicy</h1><table><thead><tr><th>Imię i nazwisko</th><th>PESEL</th><th>Gmina</th><th>Status</th></tr></thead>
<tbody>{% for r in rows %}<tr><td>{{ r.name }}</td><td>{{ r.pesel }}</td><td>{{ r.commune }}</td><td>{{ r.status }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""


@app.route("/")
def page():
    return render_template_string(PAGE, rows=ROWS)
