"""The access trail has no gaps: every page, fragment, export or file of an institution that
shows a person's PESEL or surname leaves a new entry in the trail.

Every GET route of the URL map is asked, as the institution's admin, with real objects behind it
(tests/route_world.py); every participant has a PESEL, and an import's error report prints one.
A response (HTML, CSV, XLSX, PDF) that contains one of them without a new trail entry fails.
"""
import io
from datetime import date

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.privacy.erasure import file_text

from .route_world import build_world, urls_of
from .test_isolation import TENANT_A


def seeded_people(app, tenant: int) -> list[str]:
    """Give every participant a PESEL and an import an error report naming one; returns the traces."""
    traces = []
    with app.app_context(), tenant_scope(tenant):
        people = db.session.execute(select(Participant).order_by(Participant.id)).scalars().all()
        for serial, person in enumerate(people, start=300):
            person.pesel = make_pesel(date(1981, 6, 3), person.sex is Sex.FEMALE, serial)
            traces += [person.pesel, person.last_name]
        batch = db.session.execute(select(ImportBatch)).scalars().first()
        batch.status = ImportStatus.NEEDS_DECISION
        batch.total_rows, batch.valid_rows = 2, 1
        batch.errors = [{"row": 2, "column": "PESEL", "value": people[0].pesel, "message": "PESEL już jest"}]
        db.session.commit()
    return traces


def readable(response) -> str:
    data = response.get_data()
    if data[:4] == b"%PDF":
        try:
            return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except PyPdfError:   # the factories' stand-in files are not whole PDFs
            pass
    return file_text(data)


def test_every_response_showing_a_person_is_in_the_trail(app, client, auth, pg_database):
    world = build_world(app)
    traces = seeded_people(app, world.tenant_id)
    engine = create_engine(pg_database["admin"])

    def trail_size() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM access_records WHERE tenant_id = :t"),
                                {"t": world.tenant_id}).scalar_one()

    auth.login_as(TENANT_A, "admin")
    gaps, shown, extra = [], 0, []
    try:
        for rule, url in urls_of(app, world, "tenant"):
            if "GET" not in rule.methods:
                continue
            before = trail_size()
            response = client.get(url)
            content = readable(response)
            found = [trace for trace in traces if trace in content]
            if not found and trail_size() > before:
                extra.append(rule.endpoint)
            if found:
                shown += 1
                if trail_size() == before:
                    gaps.append(f"{rule.endpoint} {url} ({response.status_code}) shows {found[0]}")
    finally:
        engine.dispose()
    assert shown >= 10, "the crawl reached the pages that show people"
    assert gaps == [], "responses showing a person without a trail entry:\n" + "\n".join(gaps)
    # Counting people is not showing them: the projects' pages with their indicators add nothing.
    assert not {"tenant_projects.index", "tenant_projects.detail", "tenant_projects.export"} & set(extra)
