"""A person's rights through the pages: consents by purpose, requests with their deadlines, the
subject-access file (JSON and a PDF read back), who saw the person, erasure, retention of a project
and the records of processing."""
import csv
import io
import json
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import AccessAction, AccessRecord, ChangeAction, ChangeRecord
from regionet.tenants.privacy.models import Consent, RequestStatus, SubjectRequest
from regionet.tenants.privacy.requests import add_months
from regionet.tenants.support.models import Enrolment

from .documents import pdf_bytes
from .helpers import visible_text
from .participant_helpers import add_participant
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, project

URL = f"/i/{TENANT_A}"
PESEL = "81060306088"


def person(app, **fields):
    values = dict(first_name="Genowefa", last_name="Pigwa", pesel=PESEL, phone="602 111 222",
                  email="g.pigwa@example.pl")
    values.update(fields)
    return add_participant(app, **values)


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def test_consents_by_purpose_are_recorded_withdrawn_and_stop_contact(app, client, auth):
    genowefa, other = person(app), person(app, first_name="Jan", last_name="Kontaktowy", pesel=None,
                                          phone="603 000 000", email="jan@example.pl")
    auth.login_as(TENANT_A, "staff")
    page = f"{URL}/privacy/people/{genowefa.id}"
    given = client.post(f"{page}/consents", data={
        "purpose": "follow_up", "basis": "consent", "given_on": "02.03.2025",
        "evidence": (io.BytesIO(pdf_bytes("Zgoda na kontakt")), "zgoda.pdf")}, content_type="multipart/form-data")
    assert given.status_code == 302
    text = visible_text(client.get(page).get_data(as_text=True))
    assert "Kontakt w sprawie rezultatów po zakończeniu udziału" in text and "02.03.2025" in text
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        consent = db.session.execute(select(Consent)).scalar_one()
        assert consent.evidence_id is not None
    assert client.get(f"{URL}/attachments/{consent.evidence_id}").status_code == 200
    with app.app_context(), tenant_scope(tenant):   # the signed form's download is in the person's trail
        assert db.session.execute(select(AccessRecord).where(
            AccessRecord.action == AccessAction.DOWNLOAD, AccessRecord.subject_id == genowefa.id)).scalar_one()
    # a date in the future is refused next to the field, the typed note kept
    refused = client.post(f"{URL}/privacy/consents/{consent.id}/withdraw", data={
        "withdrawn_on": day(today_in_poland() + timedelta(days=3)), "note": "telefonicznie"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Data nie może być z przyszłości." in visible_text(body) and "telefonicznie" in body
    withdrawn = client.post(f"{URL}/privacy/consents/{consent.id}/withdraw", data={
        "withdrawn_on": day(today_in_poland()), "note": "telefonicznie"})
    assert withdrawn.status_code == 302
    detail = client.get(f"{URL}/participants/{genowefa.id}").get_data(as_text=True)
    assert 'id="no-contact"' in detail and "Nie kontaktuj się" in visible_text(detail)
    assert 'id="no-contact"' not in client.get(f"{URL}/participants/{other.id}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(f"{URL}/participants/export.csv").get_data(as_text=True)
                                       .lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    by_name = {row[header.index("Nazwisko")]: row for row in rows[1:]}
    phone, email = header.index("Telefon"), header.index("E-mail")
    assert by_name["Pigwa"][phone] == "" and by_name["Pigwa"][email] == ""
    assert by_name["Kontaktowy"][phone] == "603 000 000"
    with app.app_context(), tenant_scope(tenant):   # the withdrawal is in the history, with who
        entries = db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_type == "Consent")
                                     .order_by(ChangeRecord.at)).scalars().all()
        assert [e.action for e in entries] == [ChangeAction.CREATE, ChangeAction.UPDATE]
        assert entries[1].changes["withdrawn_on"][1] == today_in_poland().isoformat()
        assert entries[1].user.full_name == "Katarzyna Zając"


def test_a_request_is_due_in_a_month_extended_with_a_reason_and_closed(app, client, auth):
    genowefa = person(app)
    auth.login_as(TENANT_A, "admin")
    received = today_in_poland() - timedelta(days=3)
    created = client.post(f"{URL}/privacy/requests/new", data={
        "requester": "Genowefa Pigwa", "participant_id": str(genowefa.id), "kind": "access",
        "received_on": day(received), "assigned_to_id": "", "details": "kopia danych"})
    assert created.status_code == 302
    request_url = created.location
    listing = visible_text(client.get(f"{URL}/privacy/requests/").get_data(as_text=True))
    assert "Genowefa Pigwa" in listing and day(add_months(received, 1)) in listing
    too_late = client.post(f"{request_url}/extend", data={"due_on": day(add_months(received, 4)), "reason": "dużo"})
    assert too_late.status_code == 422 and day(add_months(received, 3)) in visible_text(
        too_late.get_data(as_text=True))
    no_reason = client.post(f"{request_url}/extend", data={"due_on": day(add_months(received, 2)), "reason": ""})
    assert no_reason.status_code == 422 and "Podaj powód" in visible_text(no_reason.get_data(as_text=True))
    assert client.post(f"{request_url}/extend", data={"due_on": day(add_months(received, 2)),
                                                      "reason": "liczne dokumenty"}).status_code == 302
    assert client.post(f"{request_url}/close", data={"answer": ""}).status_code == 422
    assert client.post(f"{request_url}/close", data={"answer": "Przekazano plik PDF"}).status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        stored = db.session.execute(select(SubjectRequest)).scalar_one()
        assert stored.status is RequestStatus.CLOSED and stored.due_on == add_months(received, 2)
        assert stored.extension_reason == "liczne dokumenty" and stored.closed_on == today_in_poland()
    assert "Genowefa Pigwa" not in visible_text(client.get(f"{URL}/privacy/requests/").get_data(as_text=True))
    assert "Genowefa Pigwa" in visible_text(client.get(f"{URL}/privacy/requests/?state=all").get_data(as_text=True))


def test_the_access_file_holds_everything_and_its_download_is_in_the_trail(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    genowefa = person(app)
    with app.app_context():
        [project_id] = add(tenant, project(code="KIS-2024"))
        add(tenant, Enrolment(project_id=project_id, participant_id=genowefa.id, entry_date=date(2013, 7, 1),
                              status_at_entry=genowefa.labour_status))
    auth.login_as(TENANT_A, "staff")
    assert client.get(f"{URL}/participants/{genowefa.id}").status_code == 200   # staff saw the record
    client.get("/logout")
    auth.login_as(TENANT_A, "admin")
    data = json.loads(client.get(f"{URL}/privacy/people/{genowefa.id}/access.json").get_data())
    assert data["person"]["pesel"] == PESEL and data["person"]["last_name"] == "Pigwa"
    assert data["enrolments"][0]["project_code"] == "KIS-2024"
    assert "koordynator" in data["disclosures"][0]["recipient"].lower()
    assert any(entry["who"] == "Katarzyna Zając" and entry["action"] == "view" for entry in data["trail"])
    pdf = client.get(f"{URL}/privacy/people/{genowefa.id}/access.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Genowefa Pigwa" in text and PESEL in text and "KIS-2024" in text and "Katarzyna Zając" in text
    with app.app_context(), tenant_scope(tenant):
        exports = db.session.execute(select(AccessRecord).where(AccessRecord.action == AccessAction.EXPORT,
                                                                AccessRecord.subject_id == genowefa.id)).scalars().all()
        assert len(exports) == 2
    trail = visible_text(client.get(f"{URL}/privacy/people/{genowefa.id}/trail").get_data(as_text=True))
    assert "Katarzyna Zając" in trail and "Bożena Wiśniewska" in trail
    only_exports = visible_text(client.get(f"{URL}/privacy/people/{genowefa.id}/trail?action=export")
                                .get_data(as_text=True))
    assert "Bożena Wiśniewska" in only_exports and "Katarzyna Zając" not in only_exports
    exported = client.get(f"{URL}/privacy/people/{genowefa.id}/trail?fmt=csv").get_data(as_text=True)
    assert "Katarzyna Zając" in exported


def test_only_admins_see_the_trail_requests_and_the_register(app, client, auth):
    genowefa = person(app)
    auth.login_as(TENANT_A, "staff")
    for url in (f"/privacy/people/{genowefa.id}/trail", f"/privacy/people/{genowefa.id}/access.json",
                "/privacy/requests/", "/privacy/register"):
        assert client.get(URL + url).status_code == 403, url


def test_erasure_from_the_page_and_a_projects_retention(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    genowefa = person(app)
    with app.app_context():
        [project_id] = add(tenant, project(code="RET-2015"))
    auth.login_as(TENANT_A, "admin")
    no_reason = client.post(f"{URL}/privacy/projects/{project_id}/retention", data={"retention_until": "31.12.2030",
                                                                                   "reason": ""})
    assert no_reason.status_code == 422 and "31.12.2020" in visible_text(no_reason.get_data(as_text=True))
    saved = client.post(f"{URL}/privacy/projects/{project_id}/retention", data={
        "retention_until": "31.12.2030", "reason": "umowa o dofinansowanie § 12"})
    assert saved.status_code == 302
    page = visible_text(client.get(f"{URL}/projects/{project_id}").get_data(as_text=True))
    assert "31.12.2030" in page and "umowa o dofinansowanie § 12" in page
    register = visible_text(client.get(f"{URL}/privacy/register").get_data(as_text=True))
    assert "RET-2015: 31.12.2030" in register
    missing = client.post(f"{URL}/privacy/people/{genowefa.id}/erase", data={"reason": ""})
    assert missing.status_code == 422
    erased = client.post(f"{URL}/privacy/people/{genowefa.id}/erase", data={"reason": "wniosek z 1.12.2026"})
    assert erased.status_code == 302
    assert client.get(f"{URL}/participants/{genowefa.id}").status_code == 404


def test_the_access_file_names_the_institutions_the_person_was_referred_to(app, client, auth):
    from .referral_support import MOPS, PUP, anna, seed_catalogue, send, service_id

    seed_catalogue(app)
    person = anna(app)
    auth.login_as(MOPS, "staff")
    assert send(client, person.id, service_id(app, PUP, "Staż u pracodawcy")).status_code == 302
    client.get("/logout")
    auth.login_as(MOPS, "admin")
    data = json.loads(client.get(f"/i/{MOPS}/privacy/people/{person.id}/access.json").get_data())
    [referral] = [d for d in data["disclosures"] if "Staż u pracodawcy" in d["recipient"]]
    assert "Powiatowy Urząd Pracy" in referral["recipient"] or "PUP" in referral["recipient"]
    assert "PESEL" in referral["what"] and "Telefon" in referral["what"]
