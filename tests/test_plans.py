"""Individual plans: started from the person's card, steps and reviews, amendments of a signed plan,
the printable PDF read back, the end with its result as an outcome the indicators count."""
import io
import re
from datetime import date, timedelta

import pdfplumber
from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.plans.models import IndividualPlan, PlanAmendment, PlanResult, PlanReview
from regionet.tenants.plans.pdf import build_plan_pdf
from regionet.tenants.plans.queries import reviews_due_for_tenant
from regionet.tenants.support.models import Enrolment, Instrument, Outcome, OutcomeKind, SupportEpisode

from .documents import pdf_bytes
from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .test_pdf_markup import assert_literal, markup, opened_files  # noqa: F401  (fixtures)
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"
GOALS = "Podjęcie zatrudnienia.\nUkończenie kursu kucharza."


def _person(app, enrolled=True):
    """Anna, enrolled from 01.07.2013 in a project running until the end of next year."""
    tenant = _institution_id(app, TENANT_A)
    today = today_in_poland()
    with app.app_context():
        kis = project(start=date(2013, 6, 1), end=date(today.year + 1, 12, 31))
        anna = participant("Anna", "Wiśniewska", date(1975, 3, 2), Sex.FEMALE, 11)
        project_id, anna_id = add(tenant, kis, anna)
        enrolment_id = None
        if enrolled:
            with tenant_scope(tenant):
                enrolment = Enrolment(project_id=project_id, participant_id=anna_id, entry_date=date(2013, 7, 1),
                                      status_at_entry=anna.labour_status)
                db.session.add(enrolment)
                db.session.commit()
                enrolment_id = str(enrolment.id)
    return tenant, str(anna_id), enrolment_id


def _start(client, anna_id, enrolment_id, **fields):
    data = {"kind": "social_contract", "number": "KS/12/2013", "enrolment_id": enrolment_id or "",
            "start_date": "2013-07-15", "planned_end_date": "2013-12-31", "first_review_on": "2013-09-15",
            "case_worker_id": "", "other_parties": "Powiatowy Urząd Pracy w Skarżysku-Kamiennej", "goals": GOALS,
            "institution_obligations": "Opłacenie kursu kucharza; pomoc w szukaniu pracy.",
            "participant_obligations": "Udział w kursie; zgłaszanie się do PUP co miesiąc.", **fields}
    return client.post(f"{TENANT_URL}/participants/{anna_id}/plans/new", data=data)


def _plan(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        plan = db.session.execute(select(IndividualPlan)).scalar_one()
        db.session.expunge_all()
        return plan


def _count(app, tenant, model):
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_social_contract_started_from_the_card_is_the_persons_support_in_the_project(app, client, auth):
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    card = client.get(f"{TENANT_URL}/participants/{anna_id}").get_data(as_text=True)
    assert f"/participants/{anna_id}/plans/new" in card
    response = _start(client, anna_id, enrolment_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = _plan(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        episode = db.session.execute(select(SupportEpisode)).scalar_one()
        assert (str(episode.enrolment_id), episode.instrument, episode.start_date, episode.end_date) == (
            enrolment_id, Instrument.SOCIAL_CONTRACT, date(2013, 7, 15), None)
        assert episode.notes == "Kontrakt socjalny nr KS/12/2013"
        assert [r.due_on for r in db.session.execute(select(PlanReview)).scalars()] == [date(2013, 9, 15)]
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Kontrakt socjalny nr KS/12/2013" in page and "Ukończenie kursu kucharza." in page
    assert "15.09.2013 (zaległy)" in page
    assert plan.version == 1
    card = visible_text(client.get(f"{TENANT_URL}/participants/{anna_id}").get_data(as_text=True))
    assert "Kontrakt socjalny KS/12/2013 15.07.2013 31.12.2013 trwa" in card


def test_bad_input_is_explained_next_to_each_field_and_nothing_is_stored(app, client, auth):
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    tomorrow = today_in_poland() + timedelta(days=1)
    response = _start(client, anna_id, enrolment_id, goals="  ", kind="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="kind-error">Wybierz rodzaj planu\.', html)
    assert re.search(r'id="goals-error">Zapisz cele planu\.', html)
    assert 'value="KS/12/2013"' in html and "Opłacenie kursu kucharza" in html
    html = _start(client, anna_id, enrolment_id, start_date=tomorrow.isoformat()).get_data(as_text=True)
    assert re.search(r'id="start_date-error">Data rozpoczęcia nie może być z przyszłości', html)
    # before the person entered the project: the support rule speaks
    html = _start(client, anna_id, enrolment_id, start_date="2013-06-20").get_data(as_text=True)
    assert re.search(r'id="start_date-error">Wsparcie musi mieścić się w okresie udziału w projekcie', html)
    html = _start(client, anna_id, enrolment_id, planned_end_date="2013-07-01").get_data(as_text=True)
    assert re.search(r'id="planned_end_date-error">Planowane zakończenie nie może być wcześniejsze', html)
    assert _count(app, tenant, IndividualPlan) == 0 and _count(app, tenant, SupportEpisode) == 0


def test_steps_reviews_and_the_review_list_of_what_is_due(app, client, auth):
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    plan_url = _start(client, anna_id, enrolment_id).location
    plan_id = plan_url.rstrip("/").rsplit("/", 1)[1]
    html = client.post(f"{TENANT_URL}/plans/{plan_id}/steps", data={
        "description": "Zapis na kurs", "owner": "", "due_on": "2013-07-01"}).get_data(as_text=True)
    assert re.search(r'id="owner-error">Wskaż, kto wykonuje ten krok', html)
    assert re.search(r'id="due_on-error">Krok nie może mieć terminu przed rozpoczęciem planu \(15\.07\.2013\)\.', html)
    assert 'value="Zapis na kurs"' in html
    client.post(f"{TENANT_URL}/plans/{plan_id}/steps", data={
        "description": "Zapis na kurs", "owner": "Uczestniczka", "due_on": "2013-08-01"})
    with app.app_context(), tenant_scope(tenant):
        plan = db.session.get(IndividualPlan, (tenant, plan_id))
        step_id, review_id = plan.steps[0].id, plan.reviews[0].id
        due = reviews_due_for_tenant(date(2013, 9, 30))
        assert [r.id for r in due] == [review_id]
    client.post(f"{TENANT_URL}/plan-steps/{step_id}/done")
    page = visible_text(client.get(plan_url).get_data(as_text=True))
    assert f"Zapis na kurs Uczestniczka 01.08.2013 {today_in_poland():%d.%m.%Y}" in page
    response = client.post(f"{TENANT_URL}/plan-reviews/{review_id}", data={"held_on": "2013-09-16",
                                                                           "notes": "Kurs rozpoczęty."})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert reviews_due_for_tenant(date(2013, 9, 30)) == []


def test_a_signed_plan_is_amended_with_a_reason_and_keeps_the_version_before(app, client, auth):
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    plan_id = _start(client, anna_id, enrolment_id).location.rstrip("/").rsplit("/", 1)[1]
    fields = {"number": "KS/12/2013", "planned_end_date": "2014-03-31", "case_worker_id": "", "other_parties": "",
              "goals": "Podjęcie zatrudnienia.", "institution_obligations": "Pomoc w szukaniu pracy.",
              "participant_obligations": "Udział w kursie."}
    # unsigned: a change is a correction, no amendment
    assert client.post(f"{TENANT_URL}/plans/{plan_id}/edit", data=fields).status_code == 302
    assert _plan(app, tenant).version == 1
    response = client.post(f"{TENANT_URL}/plans/{plan_id}/scan", data={
        "scan": (io.BytesIO(pdf_bytes("Kontrakt socjalny podpisany")), "kontrakt.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    html = client.post(f"{TENANT_URL}/plans/{plan_id}/edit", data={**fields, "goals": "Zatrudnienie."}).get_data(
        as_text=True)
    assert re.search(r'id="reason-error">Plan jest podpisany: podaj powód aneksu\.', html)
    assert client.post(f"{TENANT_URL}/plans/{plan_id}/edit", data={
        **fields, "goals": "Zatrudnienie w gastronomii.", "reason": "Kurs przesunięty na styczeń."}).status_code == 302
    plan = _plan(app, tenant)
    assert plan.version == 2 and plan.goals == "Zatrudnienie w gastronomii."
    with app.app_context(), tenant_scope(tenant):
        amendment = db.session.execute(select(PlanAmendment)).scalar_one()
        assert (amendment.version, amendment.reason, amendment.previous["goals"]) == (
            2, "Kurs przesunięty na styczeń.", "Podjęcie zatrudnienia.")
    page = visible_text(client.get(f"{TENANT_URL}/plans/{plan_id}").get_data(as_text=True))
    assert "kontrakt.pdf" in page and "Wersja 2 z" in page and "Kurs przesunięty na styczeń." in page


def test_ending_the_plan_ends_its_support_and_records_the_outcome(app, client, auth):
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    plan_id = _start(client, anna_id, enrolment_id).location.rstrip("/").rsplit("/", 1)[1]
    html = client.post(f"{TENANT_URL}/plans/{plan_id}/end", data={
        "ended_on": "2013-07-01", "result": "", "outcome_kind": "employment_contract"}).get_data(as_text=True)
    assert re.search(r'id="result-error">Wybierz wynik planu\.', html)
    assert re.search(r'id="ended_on-error">Plan nie może się zakończyć przed rozpoczęciem \(15\.07\.2013\)\.', html)
    response = client.post(f"{TENANT_URL}/plans/{plan_id}/end", data={
        "ended_on": "2013-12-20", "result": "achieved", "outcome_kind": "employment_contract",
        "result_note": "Umowa o pracę w restauracji."})
    assert response.status_code == 302
    plan = _plan(app, tenant)
    assert (plan.ended_on, plan.result) == (date(2013, 12, 20), PlanResult.ACHIEVED)
    with app.app_context(), tenant_scope(tenant):
        episode = db.session.execute(select(SupportEpisode)).scalar_one()
        outcome = db.session.execute(select(Outcome)).scalar_one()
    assert episode.end_date == date(2013, 12, 20)
    assert (outcome.kind, outcome.achieved_on, str(outcome.enrolment_id)) == (
        OutcomeKind.EMPLOYMENT_CONTRACT, date(2013, 12, 20), enrolment_id)
    # an ended plan is no longer changed
    assert "Plan się zakończył" in client.post(f"{TENANT_URL}/plans/{plan_id}/steps", data={
        "description": "Kolejny krok", "owner": "Uczestniczka", "due_on": "2013-12-30"}).get_data(as_text=True)


def test_a_plan_without_a_project_records_no_support(app, client, auth):
    tenant, anna_id, _enrolment = _person(app, enrolled=False)
    auth.login_as(TENANT_A, "staff")
    assert _start(client, anna_id, None, kind="ipd", number="").status_code == 302
    assert _count(app, tenant, IndividualPlan) == 1 and _count(app, tenant, SupportEpisode) == 0


def test_the_printed_plan_reads_back_with_the_persons_data_and_prints_markup_literally(
        app, client, auth, request):
    payloads, opened = request.getfixturevalue("markup"), request.getfixturevalue("opened_files")
    tenant, anna_id, enrolment_id = _person(app)
    auth.login_as(TENANT_A, "staff")
    plan_id = _start(client, anna_id, enrolment_id, goals=payloads("goals", 2000),
                     other_parties=payloads("other_parties", 2000)).location.rstrip("/").rsplit("/", 1)[1]
    client.post(f"{TENANT_URL}/plans/{plan_id}/steps", data={
        "description": payloads("step", 500), "owner": "Uczestniczka", "due_on": "2013-08-01"})
    response = client.get(f"{TENANT_URL}/plans/{plan_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_literal(response.data, payloads.given, opened, payloads.image)
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
    for expected in ("Kontrakt socjalny nr KS/12/2013", "Anna Wiśniewska", "Opłacenie kursu kucharza",
                     "Udział w kursie", "15.09.2013", "Podpis osoby"):
        assert expected in text, expected
    with app.app_context(), tenant_scope(tenant):
        participant_row = db.session.get(Participant, (tenant, anna_id))
        assert participant_row.pesel in text
    assert build_plan_pdf  # the page uses the one builder


def test_erasing_the_person_takes_their_plans_and_signed_scans(app, client, auth):
    from regionet.tenants.attachments.models import Attachment
    from regionet.tenants.privacy.erasure import ErasureOutcome

    from .test_privacy_erasure import erase

    tenant, anna_id, _enrolment = _person(app, enrolled=False)
    auth.login_as(TENANT_A, "staff")
    plan_id = _start(client, anna_id, None).location.rstrip("/").rsplit("/", 1)[1]
    client.post(f"{TENANT_URL}/plans/{plan_id}/scan", data={"scan": (io.BytesIO(pdf_bytes()), "kontrakt.pdf")},
                content_type="multipart/form-data")
    assert _count(app, tenant, Attachment) == 1
    assert erase(app, anna_id) is ErasureOutcome.DELETED
    assert _count(app, tenant, IndividualPlan) == 0 and _count(app, tenant, PlanReview) == 0
    assert _count(app, tenant, Attachment) == 0
