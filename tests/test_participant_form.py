"""Registering, editing and deleting participants through the form, on PostgreSQL."""
import re
from datetime import date, timedelta

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import AccessAction, AccessRecord
from regionet.tenants.participants.models import LabourStatus, SensitiveAnswer, Sex
from regionet.tenants.participants.pesel import make_pesel

from .factories import make
from .helpers import visible_text
from .participant_helpers import ANNA_PESEL, BASE, add_participant, form_data, participant_count, pseudonym, stored
from .test_isolation import TENANT_A, TENANT_B, _institution_id


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field__error" id="{field}-error">(.*?)</p>', html, re.S)
    return visible_text(match.group(1)).strip() if match else ""


def test_a_participant_is_registered_with_birth_date_and_sex_taken_from_the_pesel(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    # the typed date of birth and sex contradict the PESEL: the PESEL decides
    response = client.post(f"{BASE}/new", data=form_data(birth_date="1999-12-31", sex="male"))
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:2000]
    [anna] = stored(app, pesel=ANNA_PESEL)
    assert anna.birth_date == date(1985, 3, 14) and anna.sex is Sex.FEMALE
    assert anna.pseudonym == pseudonym(app, ANNA_PESEL) and len(anna.pseudonym) == 64
    assert anna.disability is SensitiveAnswer.REFUSED  # refusing to answer is a valid record
    assert anna.consent_date == date(2024, 3, 1) and anna.email == "anna.kowalska@example.pl"
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Anna Kowalska" in page and "14.03.1985" in page and "Kobieta" in page
    assert "Odmowa podania informacji" in page and "Skarżysko-Kamienna (2610011)" in page
    assert anna.pseudonym not in page


def test_an_invalid_pesel_is_refused_next_to_the_field_keeping_what_was_typed(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    wrong = ANNA_PESEL[:-1] + str((int(ANNA_PESEL[-1]) + 1) % 10)
    response = client.post(f"{BASE}/new", data=form_data(pesel=wrong, street="ul. Długa 7"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "cyfra kontrolna" in field_error(html, "pesel")
    assert f'value="{wrong}"' in html and 'value="ul. Długa 7"' in html
    assert 'aria-invalid="true"' in html
    assert participant_count(app) == 0


def test_dates_in_the_future_and_missing_consent_date_are_refused(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    tomorrow = (today_in_poland() + timedelta(days=2)).isoformat()
    html = client.post(f"{BASE}/new", data=form_data(legal_basis_date=tomorrow, consent_date="")).get_data(as_text=True)
    assert "nie może być z przyszłości" in field_error(html, "legal_basis_date")
    assert "Podaj datę udzielenia zgody" in field_error(html, "consent_date")
    future_born = make_pesel(today_in_poland() + timedelta(days=400), Sex.MALE, 7)
    html = client.post(f"{BASE}/new", data=form_data(pesel=future_born)).get_data(as_text=True)
    assert "z przyszłości" in field_error(html, "pesel")
    html = client.post(f"{BASE}/new", data=form_data(consent_given=None)).get_data(as_text=True)
    assert "podstawą prawną jest zgoda" in field_error(html, "consent_given").lower()
    html = client.post(f"{BASE}/new", data=form_data(consent_date="31.02.2024")).get_data(as_text=True)
    assert "dd.mm.rrrr" in field_error(html, "consent_date")
    assert participant_count(app) == 0


def test_without_pesel_the_birth_date_and_sex_are_required_and_kept(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    html = client.post(f"{BASE}/new", data=form_data(pesel="", no_pesel="y")).get_data(as_text=True)
    assert "datę urodzenia" in field_error(html, "birth_date")
    assert "płeć" in field_error(html, "sex").lower()
    html = client.post(f"{BASE}/new", data=form_data(no_pesel="y")).get_data(as_text=True)
    assert "brak numeru PESEL" in field_error(html, "pesel")
    assert participant_count(app) == 0
    response = client.post(f"{BASE}/new", data=form_data(pesel="", no_pesel="y", birth_date="02.07.1961", sex="male",
                                                          first_name="Zbigniew", last_name="Wójcik"))
    assert response.status_code == 302
    [person] = stored(app, last_name="Wójcik")
    assert person.pesel is None and person.pseudonym is None
    assert person.birth_date == date(1961, 7, 2) and person.sex is Sex.MALE


def test_a_pesel_already_registered_is_refused_with_a_link_to_the_record(app, client, auth):
    existing = add_participant(app, first_name="Anna", last_name="Zielińska", pesel=ANNA_PESEL,
                               birth_date=date(1985, 3, 14), sex=Sex.FEMALE)
    auth.login_as(TENANT_A, "staff")
    response = client.post(f"{BASE}/new", data=form_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "jest już zarejestrowana" in field_error(html, "pesel") and "Anna Zielińska" in field_error(html, "pesel")
    assert f'href="{BASE}/{existing.id}"' in html
    assert participant_count(app) == 1
    # The same person may be registered by another institution: that is the normal case (MOPS and PUP).
    auth.logout()
    auth.login_as(TENANT_B, "staff")
    other = client.post(f"/i/{TENANT_B}/participants/new", data=form_data(commune_code="2661011"))
    assert other.status_code == 302
    assert participant_count(app, TENANT_B) == 1


def test_a_commune_outside_the_region_and_a_bad_postal_code_are_refused(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    html = client.post(f"{BASE}/new", data=form_data(commune_code="1465011", postal_code="26110x",
                                                      first_name="Anna1")).get_data(as_text=True)
    assert "1465011" in field_error(html, "commune_code") and "Świętokrzyskie" in field_error(html, "commune_code")
    assert "00-000" in field_error(html, "postal_code")
    assert "litery" in field_error(html, "first_name")
    assert participant_count(app) == 0


def test_read_only_members_read_but_do_not_write(app, client, auth):
    person = add_participant(app)
    auth.login_as(TENANT_A, "readonly")
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"{BASE}/{person.id}").status_code == 200
    assert client.get(f"{BASE}/new").status_code == 403
    assert client.post(f"{BASE}/new", data=form_data()).status_code == 403
    assert client.post(f"{BASE}/{person.id}/edit", data=form_data()).status_code == 403
    assert client.post(f"{BASE}/{person.id}/delete").status_code == 403
    assert participant_count(app) == 1


def test_editing_recomputes_the_pseudonym_and_the_history_shows_polish_labels(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"{BASE}/new", data=form_data()).location
    form = client.get(detail + "/edit").get_data(as_text=True)
    assert f'value="{ANNA_PESEL}"' in form and 'value="2610011" selected' in form
    new_pesel = make_pesel(date(1990, 8, 1), Sex.FEMALE, 42)
    response = client.post(detail + "/edit", data=form_data(pesel=new_pesel, last_name="Kowalska-Nowak",
                                                             labour_status="employed"))
    assert response.status_code == 302
    [anna] = stored(app, last_name="Kowalska-Nowak")
    assert anna.pesel == new_pesel and anna.birth_date == date(1990, 8, 1)
    assert anna.labour_status is LabourStatus.EMPLOYED
    assert anna.pseudonym == pseudonym(app, new_pesel)
    page = visible_text(client.get(detail).get_data(as_text=True))
    assert "Historia zmian" in page
    assert "Nazwisko: Kowalska → Kowalska-Nowak" in page
    assert "Status na rynku pracy w chwili przystąpienia: Osoba długotrwale bezrobotna → Osoba pracująca" in page
    assert "Data urodzenia: 14.03.1985 → 01.08.1990" in page
    assert "pseudonym" not in page


def test_a_person_with_enrolments_cannot_be_deleted_others_can(app, client, auth):
    from regionet.tenants.support.models import Enrolment

    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        enrolment_id = make(Enrolment, tenant)
        with tenant_scope(tenant):
            enrolled_id = db.session.get(Enrolment, (tenant, enrolment_id)).participant_id
    free = add_participant(app, last_name="Wolna")
    auth.login_as(TENANT_A, "staff")
    page = visible_text(client.get(f"{BASE}/{enrolled_id}/delete").get_data(as_text=True))
    assert "nie można usunąć" in page.lower()
    assert client.post(f"{BASE}/{enrolled_id}/delete").status_code == 302
    assert len(stored(app, id=enrolled_id)) == 1
    detail = visible_text(client.get(f"{BASE}/{enrolled_id}").get_data(as_text=True))
    assert "Nowe Szanse" in detail and "01.03.2012" in detail and "30.09.2012" in detail
    assert client.post(f"{BASE}/{free.id}/delete").status_code == 302
    assert stored(app, id=free.id) == []


def test_viewing_a_record_is_written_to_the_access_trail(app, client, auth):
    person = add_participant(app, first_name="Ewa", last_name="Mazur")
    auth.login_as(TENANT_A, "staff")
    client.get(f"{BASE}/{person.id}")
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        [record] = db.session.execute(select(AccessRecord)).scalars().all()
        assert record.action is AccessAction.VIEW and record.subject_id == person.id
        assert record.subject_type == "participant" and record.detail == "Ewa Mazur"
        assert record.user.full_name == "Katarzyna Zając" and record.ip_address == "127.0.0.1"
    auth.logout()
    auth.login_as(TENANT_A, "admin")
    home = client.get(f"/i/{TENANT_A}/").get_data(as_text=True)
    assert f'href="/i/{TENANT_A}/audit/access"' in home
    trail = visible_text(client.get(f"/i/{TENANT_A}/audit/access").get_data(as_text=True))
    assert "Ewa Mazur" in trail and "Uczestnik" in trail
    auth.logout()
    auth.login_as(TENANT_A, "staff")
    assert f'href="/i/{TENANT_A}/audit/access"' not in client.get(f"/i/{TENANT_A}/").get_data(as_text=True)
