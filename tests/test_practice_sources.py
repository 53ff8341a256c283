"""A good practice cites the working group, meetings and agreements it came from (issue 16, point 5):
chosen from those the institution can see, shown to the coordinator, printed in the practice's chapter
of the regional PDF (built by the real job, read back), kept per version."""
import io
import re
import uuid
from datetime import date

import pdfplumber
from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.practices.models import Practice, PracticeSource, PracticeVersion
from regionet.tenants.practices.services import do_start_new_version
from regionet.tenants.practices.sources import citable_for_tenant

from .partner_records import add_agreement, add_partner
from .practices_support import (
    clean_region_tables,  # noqa: F401  (an autouse fixture)
    institution_id,
)
from .test_groups import MOPS, OWES, PUP, _meeting, shared_group  # noqa: F401  (a fixture)
from .test_practices_workflow import REGION, form_data, page_text
from .test_regional_report_pdf import build_report, normalise

TITLE = "Wspólny punkt informacji MOPS–PUP"


def _keys(app, slug) -> dict:
    with app.app_context(), tenant_scope(institution_id(app, slug)):
        return {c.title: c.key for c in citable_for_tenant()}


def _owes_group(client, auth) -> str:
    auth.login_as(OWES, "staff")
    response = client.post(f"/i/{OWES}/groups/new", data={"name": "Zespół OWES tylko dla siebie", "kind": "working",
                                                          "purpose": "Sprawy wewnętrzne.", "link_note": ""})
    assert response.status_code == 302
    auth.logout()
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_practice_cites_its_group_meeting_and_agreement_through_review_and_the_regional_pdf(
        app, client, auth, shared_group):  # noqa: F811  (the fixture)
    auth.login_as(MOPS, "staff")
    _meeting(client, MOPS, shared_group, title="Katalog usług PUP", day="2026-05-16")
    auth.logout()
    pup = institution_id(app, PUP)
    add_agreement(app, pup, "Porozumienie o współpracy MOPS–PUP", [add_partner(app, pup, "MOPS Skarżysko")],
                  date(2026, 6, 1), number="1/2026")
    owes_group = _owes_group(client, auth)

    keys = _keys(app, PUP)
    chosen = [keys["Grupa Robocza MOPS–CIS"], keys["Katalog usług PUP"], keys["Porozumienie o współpracy MOPS–PUP (1/2026)"]]
    assert "Zespół OWES tylko dla siebie" not in keys   # another institution's group is not offered

    auth.login_as(PUP, "staff")
    form = page_text(client.get(f"/i/{PUP}/practices/new"))
    assert "Grupa robocza: Grupa Robocza MOPS–CIS" in form
    assert "Spotkanie: Katalog usług PUP — Grupa Robocza MOPS–CIS, 16.05.2026" in form
    assert "Zespół OWES" not in form
    # a group the institution cannot see is refused next to the field; nothing is stored
    refused = client.post(f"/i/{PUP}/practices/new", data=form_data(
        title=TITLE, sources=[chosen[0], f"group:{institution_id(app, OWES)}:{owes_group}"]))
    assert refused.status_code == 422
    assert "Wybierz grupy robocze, spotkania i porozumienia z listy." in page_text(refused)
    with app.app_context(), tenant_scope(pup):
        assert db.session.execute(select(func.count()).select_from(Practice)).scalar_one() == 0
    created = client.post(f"/i/{PUP}/practices/new", data=form_data(title=TITLE, sources=chosen, action="submit"))
    assert created.status_code == 302, page_text(created)[:1500]
    detail = page_text(client.get(created.location))
    assert "Skąd się wzięła praktyka" in detail and "Porozumienie: Porozumienie o współpracy MOPS–PUP (1/2026)" in detail
    auth.logout()

    # the coordinator's review page shows them; approving publishes the version
    auth.login_coordinator()
    queue = client.get(f"{REGION}/").get_data(as_text=True)
    review_url = re.search(rf'href="({REGION}/submissions/[0-9a-f-]+)">{TITLE}<', queue).group(1)
    review = page_text(client.get(review_url))
    assert "Skąd się wzięła praktyka" in review
    for line in ("Grupa robocza: Grupa Robocza MOPS–CIS", "Spotkanie: Katalog usług PUP — Grupa Robocza MOPS–CIS, "
                 "16.05.2026", "Porozumienie: Porozumienie o współpracy MOPS–PUP (1/2026) — MOPS Skarżysko, "
                 "01.06.2026"):
        assert line in review
    assert client.post(review_url, data={"decision": "approve", "comment": ""}).status_code == 302
    auth.logout()

    # the regional PDF prints them in the practice's chapter (between its title and the next chapter)
    _id, pdf, *_rest = build_report(app)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = normalise(" ".join(page.extract_text() or "" for page in document.pages))
    chapter = text[text.index(f"{TITLE} Powiatowy Urząd Pracy"):]
    chapter = chapter[:chapter.index("Indeks instytucji")]
    assert "Skąd się wzięła praktyka" in chapter
    for line in ("Grupa robocza: Grupa Robocza MOPS–CIS",
                 "Spotkanie: Katalog usług PUP — Grupa Robocza MOPS–CIS, 16.05.2026",
                 "Porozumienie: Porozumienie o współpracy MOPS–PUP (1/2026) — MOPS Skarżysko, 01.06.2026"):
        assert line in chapter, chapter[:2000]


def test_citations_are_kept_per_version(app, client, auth, shared_group):  # noqa: F811  (the fixture)
    auth.login_as(MOPS, "staff")
    _meeting(client, MOPS, shared_group, title="Katalog usług PUP", day="2026-05-16")
    auth.logout()
    keys = _keys(app, PUP)
    auth.login_as(PUP, "staff")
    created = client.post(f"/i/{PUP}/practices/new", data=form_data(
        title=TITLE, sources=[keys["Grupa Robocza MOPS–CIS"], keys["Katalog usług PUP"]], action="submit"))
    assert created.status_code == 302
    practice_id = uuid.UUID(created.location.rstrip("/").rsplit("/", 1)[-1])
    auth.logout()
    auth.login_coordinator()
    queue = client.get(f"{REGION}/").get_data(as_text=True)
    review_url = re.search(rf'href="({REGION}/submissions/[0-9a-f-]+)">{TITLE}<', queue).group(1)
    assert client.post(review_url, data={"decision": "approve", "comment": ""}).status_code == 302
    auth.logout()

    pup = institution_id(app, PUP)
    with app.app_context(), tenant_scope(pup):
        practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
        draft = do_start_new_version(practice)
        assert [s.title for s in draft.sources] == ["Grupa Robocza MOPS–CIS", "Katalog usług PUP"]
        db.session.commit()
    # the institution leaves the group: the draft keeps what it cites, and may drop it
    auth.login_as(PUP, "admin")
    assert client.post(f"/i/{PUP}/groups/{shared_group}/leave").status_code == 302
    edit = client.get(f"/i/{PUP}/practices/{practice_id}/edit")
    assert "Grupa robocza: Grupa Robocza MOPS–CIS" in page_text(edit)
    saved = client.post(f"/i/{PUP}/practices/{practice_id}/edit", data=form_data(
        title=TITLE, sources=[keys["Katalog usług PUP"]]))
    assert saved.status_code == 302, page_text(saved)[:1500]
    with app.app_context(), tenant_scope(pup):
        cited = dict(db.session.execute(
            select(PracticeVersion.number, func.count(PracticeSource.id))
            .join(PracticeSource, (PracticeSource.tenant_id == PracticeVersion.tenant_id)
                  & (PracticeSource.version_id == PracticeVersion.id))
            .where(PracticeVersion.practice_id == practice_id).group_by(PracticeVersion.number)).all())
    assert cited == {1: 2, 2: 1}   # the published version is as approved; the draft changed
