"""Links for table rows: the URL of one endpoint built once per request, then filled per row.

`url_for` resolves the rule and the URL defaults (the tenant slug) every time; a list of 50
rows with a link each spent more time there than in its database queries. Only ids (UUIDs)
vary between rows, so the URL is built once with placeholder ids and the ids are put in.
"""
import uuid

from flask import g, url_for

# Never real ids: the platform's ids are time-ordered UUIDs (version 7).
_PLACEHOLDERS = [uuid.UUID(int=n) for n in range(1, 5)]


def row_url(endpoint: str, **ids: uuid.UUID) -> str:
    names = tuple(sorted(ids))
    cache = g.setdefault("_row_url_templates", {})
    template = cache.get((endpoint, names))
    if template is None:
        template = cache[(endpoint, names)] = url_for(
            endpoint, **{name: _PLACEHOLDERS[i] for i, name in enumerate(names)})
    for i, name in enumerate(names):
        template = template.replace(str(_PLACEHOLDERS[i]), str(ids[name]))
    return template
