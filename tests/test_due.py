"""The home page's lists of what is due: each item appears exactly when its work is missing."""
from datetime import date, timedelta

from sqlalchemy import select

from regionet.platform.accounts.models import User
from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import format_day, today_in_poland
from regionet.tenants.home.due import _month_end, due_work
from regionet.tenants.participants.models import LabourStatus, Sex
from regionet.tenants.plans.models import IndividualPlan, PlanKind, PlanReview
from regionet.tenants.support.models import Enrolment, Outcome, OutcomeKind, _add_months

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"


def _world(app):
    tenant = _institution_id(app, TENANT_A)
    today = today_in_poland()
    left_recently = today - timedelta(days=10)
    six_months_ago = _add_months(today - timedelta(days=5), -6)
    names = ["Ending", "Fourweeks", "Fourweeksdone", "Sixmonths", "Sixmonthsdone", "Running"]
    with app.app_context():
        closing = project(code="KONIEC/1", start=date(today.year - 2, 1, 1), end=_month_end(today))
        later = project(code="DALEJ/1", start=date(today.year - 2, 1, 1), end=date(today.year + 2, 12, 31))
        people = [participant("Anna", name, date(1980, 1, 1 + i), Sex.FEMALE, 300 + i) for i, name in enumerate(names)]
        closing_id, later_id, *ids = add(tenant, closing, later, *people)
        staff_id = db.session.execute(select(User.id).where(
            User.email == institution_login(TENANT_A, "staff", 1))).scalar_one()
        with tenant_scope(tenant):
            def enrol(i, project_id, exit_date=None):
                enrolment = Enrolment(project_id=project_id, participant_id=ids[i], entry_date=date(today.year - 1, 1, 5),
                                      exit_date=exit_date, status_at_entry=LabourStatus.LONG_TERM_UNEMPLOYED)
                db.session.add(enrolment)
                return enrolment
            enrol(0, closing_id)
            enrol(1, later_id, left_recently)
            enrol(2, later_id, left_recently).outcomes.append(
                Outcome(kind=OutcomeKind.EMPLOYMENT_CONTRACT, achieved_on=left_recently + timedelta(days=3)))
            enrol(3, later_id, six_months_ago)
            enrol(4, later_id, six_months_ago).outcomes.append(
                Outcome(kind=OutcomeKind.EMPLOYMENT_CONTRACT, achieved_on=six_months_ago + timedelta(days=60)))
            enrol(5, later_id)
            plan = IndividualPlan(participant_id=ids[5], kind=PlanKind.SOCIAL_CONTRACT, start_date=today - timedelta(days=90),
                                  planned_end_date=today - timedelta(days=1), goals="Praca.", version=1,
                                  institution_obligations="Kurs.", participant_obligations="Udział.",
                                  case_worker_id=staff_id)
            plan.reviews.append(PlanReview(due_on=today + timedelta(days=3)))
            plan.reviews.append(PlanReview(due_on=today + timedelta(days=30)))
            db.session.add(plan)
            db.session.commit()
    return tenant, staff_id, left_recently, six_months_ago


def test_each_list_holds_exactly_the_missing_work(app):
    tenant, staff_id, left_recently, six_months_ago = _world(app)
    today = today_in_poland()
    with app.app_context(), tenant_scope(tenant):
        due = due_work(today)
        assert [e.name for e in due.ending.items] == ["Ending Anna"]
        assert [(e.name, e.start, e.end) for e in due.four_weeks.items] == [
            ("Fourweeks Anna", left_recently, left_recently + timedelta(days=28))]
        assert [(e.name, e.end) for e in due.six_months.items] == [("Sixmonths Anna", _add_months(six_months_ago, 6))]
        assert [r.due_on for r in due.reviews.items] == [today + timedelta(days=3)]
        assert [p.participant.last_name for p in due.plans_overdue.items] == ["Running"]
        assert due.total == 5
        # another member's own view has no plans of theirs
        mine = due_work(today, staff_id + 100_000)
        assert mine.reviews.total == 0 and mine.plans_overdue.total == 0 and mine.ending.total == 1


def test_the_home_page_shows_the_counts_and_links_to_where_the_work_is_done(app, client, auth):
    _tenant, _staff, left_recently, _six = _world(app)
    auth.login_as(TENANT_A, "staff")
    html = client.get(f"{TENANT_URL}/?who=me").get_data(as_text=True)
    text = visible_text(html)
    assert "Uczestnictwa kończące się w tym miesiącu : 1" in text
    assert "Fourweeks Anna" in text and f"{format_day(left_recently)} – {format_day(left_recently + timedelta(days=28))}" in text
    assert "/plan-reviews/" in html and "/plans/" in html and "/enrolments/" in html
    assert "Running Anna: Kontrakt socjalny" in text


def test_a_referral_received_is_on_the_receivers_list_of_what_is_due(app, client, auth):
    from .referral_support import MOPS, PUP, anna, seed_catalogue, send, service_id

    seed_catalogue(app)
    person = anna(app)
    auth.login_as(MOPS, "staff")
    assert send(client, person.id, service_id(app, PUP, "Staż u pracodawcy")).status_code == 302
    auth.logout()
    auth.login_as(PUP, "staff")
    html = client.get(f"/i/{PUP}/").get_data(as_text=True)
    assert 'id="due-referrals-waiting">1<' in html and f"/i/{PUP}/referrals/" in html


def test_consents_ending_within_a_month_are_due_until_renewed(app, client, auth):
    from regionet.tenants.privacy.consents import allowed
    from regionet.tenants.privacy.models import Consent, ConsentBasis, ConsentPurpose

    tenant = _institution_id(app, TENANT_A)
    today = today_in_poland()
    names = ["Konczaca", "Wygasla", "Odnowiona", "Bezterminowa", "Daleka", "Wycofana"]
    with app.app_context():
        ids = add(tenant, *[participant("Anna", name, date(1980, 2, 1 + i), Sex.FEMALE, 350 + i)
                            for i, name in enumerate(names)])
        given = today - timedelta(days=300)

        def consent(i, valid_until, **more):
            return Consent(participant_id=ids[i], purpose=ConsentPurpose.FOLLOW_UP, basis=ConsentBasis.CONSENT,
                           given_on=more.pop("given_on", given), valid_until=valid_until, **more)
        add(tenant, consent(0, today + timedelta(days=10)), consent(1, today - timedelta(days=3)),
            consent(2, today + timedelta(days=5)), consent(2, today + timedelta(days=400), given_on=today),
            consent(3, None), consent(4, today + timedelta(days=90)),
            consent(5, today + timedelta(days=7), withdrawn_on=today - timedelta(days=1)))
        with tenant_scope(tenant):
            due = due_work(today)
            assert [c.name for c in due.consents.items] == ["Wygasla Anna", "Konczaca Anna"]
            assert due.consents.total == 2
            # an expired consent no longer allows what it covered
            assert not allowed(ids[1], ConsentPurpose.FOLLOW_UP) and allowed(ids[0], ConsentPurpose.FOLLOW_UP)
    auth.login_as(TENANT_A, "staff")
    home = client.get(f"{TENANT_URL}/").get_data(as_text=True)
    listed = home[home.index('id="due-consents-list"'):]
    listed = listed[:listed.index("</ul>")]
    assert f"/privacy/people/{ids[0]}#consents-heading" in listed and f"/privacy/people/{ids[1]}" in listed
    text = visible_text(listed)
    assert f"Konczaca Anna: Kontakt w sprawie rezultatów po zakończeniu udziału · ważna do {format_day(today + timedelta(days=10))}" in text
    assert "(wygasła)" in text and "Odnowiona" not in text and "Wycofana" not in text
    # renewing it on the person's page (a new consent) takes it off the list
    renewed = client.post(f"{TENANT_URL}/privacy/people/{ids[0]}/consents", data={
        "purpose": "follow_up", "basis": "consent", "given_on": format_day(today),
        "valid_until": format_day(today + timedelta(days=365))})
    assert renewed.status_code == 302
    # a validity ending before the consent was given is refused next to the field
    wrong = client.post(f"{TENANT_URL}/privacy/people/{ids[4]}/consents", data={
        "purpose": "follow_up", "basis": "consent", "given_on": format_day(today),
        "valid_until": format_day(today - timedelta(days=1))})
    assert wrong.status_code == 422 and "valid_until-error" in wrong.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert [c.name for c in due_work(today).consents.items] == ["Wygasla Anna"]
