"""Partner organisations: outside organisations and institutions of the platform, the list,
the detail page with agreements and projects, deletion rules, history and exports."""
import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.institutions.services import do_create_institution
from regionet.platform.regions.services import do_create_region
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import ChangeAction, ChangeRecord
from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
from regionet.tenants.projects.models import Project

from .factories import FACTORIES
from .helpers import visible_text
from .partner_records import BASE, add_agreement, add_partner, count, load, tenant_of

VALID_NIP = "6571234562"


@pytest.fixture
def tenant(app):
    return tenant_of(app)


@pytest.fixture
def signed_in(auth):
    auth.login_as("mops-skarzysko-kamienna", "staff")


def _external(**overrides):
    data = {"name": "Stowarzyszenie „Razem dla Regionu”", "kind": "ngo", "nip": "657-123-45-62",
            "address": "ul. Sienkiewicza 12, 26-110 Skarżysko-Kamienna", "contact_person": "Jan Kowalski",
            "email": "biuro@razem.example.pl", "phone": "+48 41 252 00 00", "notes": "Prowadzi świetlicę."}
    data.update(overrides)
    return data


def _error_next_to(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    assert found, f"no error shown next to {field}"
    return visible_text(found.group(1)).strip()


def _id_from(response) -> str:
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


# --- outside organisations ------------------------------------------------------------------------

def test_an_outside_organisation_is_saved_with_its_nip_compacted(app, client, signed_in, tenant):
    response = client.post(f"{BASE}/partners/new", data=_external())
    assert response.status_code == 302
    partner = load(app, tenant, PartnerOrganisation, _id_from(response))
    assert (partner.name, partner.kind, partner.nip) == ("Stowarzyszenie „Razem dla Regionu”", PartnerKind.NGO, VALID_NIP)
    page = visible_text(client.get(f"{BASE}/partners/{partner.id}").get_data(as_text=True))
    assert "Organizacja pozarządowa" in page and "Jan Kowalski" in page and "ul. Sienkiewicza 12" in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"nip": "657-123-45-63"}, "nip", "Ten numer NIP jest niepoprawny: sprawdź dziesięć cyfr."),
    ({"nip": "12345"}, "nip", "Ten numer NIP jest niepoprawny"),
    ({"name": "  "}, "name", "Podaj nazwę organizacji."),
    ({"email": "biuro@"}, "email", "Podaj poprawny adres e-mail"),
    ({"phone": "zadzwoń"}, "phone", "Podaj numer telefonu cyframi"),
    ({"kind": "platform_institution"}, "kind", "Nieprawidłowy wybór"),  # not offered for an outside organisation
])
def test_bad_input_is_refused_next_to_the_field_and_what_was_typed_stays(app, client, signed_in, tenant,
                                                                        overrides, field, message):
    response = client.post(f"{BASE}/partners/new", data=_external(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_next_to(html, field)
    assert 'value="Jan Kowalski"' in html and "Prowadzi świetlicę.</textarea>" in html
    if field != "nip":
        assert 'value="657-123-45-62"' in html
    assert count(app, tenant, PartnerOrganisation) == 0


def test_the_same_nip_cannot_be_registered_twice(app, client, signed_in, tenant):
    add_partner(app, tenant, "Fundacja Pierwsza", nip=VALID_NIP)
    response = client.post(f"{BASE}/partners/new", data=_external())
    assert response.status_code == 422
    assert "Partner z tym numerem NIP jest już zarejestrowany: Fundacja Pierwsza." in \
        _error_next_to(response.get_data(as_text=True), "nip")
    assert count(app, tenant, PartnerOrganisation) == 1


# --- institutions of the platform ---------------------------------------------------------------

@pytest.fixture
def other_region_institution(app):
    with app.app_context():
        do_create_region("12")
        institution, _ = do_create_institution(region_code="12", name="Miejski Ośrodek Pomocy Społecznej w Krakowie",
                                               short_name="MOPS Kraków Test", kind="ops", teryt_code="1261011")
        db.session.commit()
        institution_id = institution.id
    yield institution_id
    with app.app_context():
        db.session.delete(db.session.get(Institution, institution_id))
        db.session.commit()


@pytest.fixture
def inactive_neighbour(app):
    with app.app_context():
        neighbour = db.session.execute(select(Institution).where(Institution.slug == "gops-blizyn")).scalar_one()
        neighbour.is_active = False
        db.session.commit()
        neighbour_id = neighbour.id
    yield neighbour_id
    with app.app_context():
        db.session.get(Institution, neighbour_id).is_active = True
        db.session.commit()


def test_an_institution_of_the_platform_is_chosen_from_the_active_ones_of_the_region(
        app, client, signed_in, tenant, other_region_institution, inactive_neighbour):
    form = client.get(f"{BASE}/partners/new/institution").get_data(as_text=True)
    offered = re.findall(r'<option value="(\d+)"', form)
    pup = tenant_of(app, "pup-skarzysko-kamienna")
    assert str(pup) in offered
    assert str(tenant) not in offered and str(inactive_neighbour) not in offered
    assert str(other_region_institution) not in offered

    for refused in (other_region_institution, inactive_neighbour, tenant):
        response = client.post(f"{BASE}/partners/new/institution", data={"institution_id": refused})
        assert response.status_code == 422
        assert "Wybierz aktywną instytucję z Twojego regionu." in _error_next_to(
            response.get_data(as_text=True), "institution_id")

    created = client.post(f"{BASE}/partners/new/institution",
                          data={"institution_id": pup, "contact_person": "Ewa Nowak", "name": "Zmyślona nazwa"})
    assert created.status_code == 302
    partner = load(app, tenant, PartnerOrganisation, _id_from(created))
    with app.app_context():
        platform_name = db.session.get(Institution, pup).name
    assert (partner.name, partner.kind, partner.institution_id) == (
        platform_name, PartnerKind.PLATFORM_INSTITUTION, pup)
    page = visible_text(client.get(f"{BASE}/partners/{partner.id}").get_data(as_text=True))
    assert "Instytucja na platformie · Powiatowy urząd pracy (PUP)" in page

    again = client.post(f"{BASE}/partners/new/institution", data={"institution_id": pup})
    assert "Ta instytucja jest już Twoim partnerem" in _error_next_to(again.get_data(as_text=True), "institution_id")
    assert count(app, tenant, PartnerOrganisation) == 1


def test_a_partner_whose_institution_left_the_platform_can_still_be_edited(app, client, signed_in, tenant,
                                                                          inactive_neighbour):
    partner = add_partner(app, tenant, "Gminny Ośrodek Pomocy Społecznej w Bliżynie",
                          PartnerKind.PLATFORM_INSTITUTION, institution_id=inactive_neighbour)
    page = visible_text(client.get(f"{BASE}/partners/{partner}").get_data(as_text=True))
    assert "(już nieaktywna)" in page
    response = client.post(f"{BASE}/partners/{partner}/edit",
                           data={"institution_id": inactive_neighbour, "phone": "41 254 10 10"})
    assert response.status_code == 302
    assert load(app, tenant, PartnerOrganisation, partner).phone == "41 254 10 10"


# --- the list -------------------------------------------------------------------------------------

@pytest.fixture
def partners(app, tenant):
    ids = {
        "pup": add_partner(app, tenant, "Powiatowy Urząd Pracy", PartnerKind.PUBLIC_INSTITUTION, nip="5260250995"),
        "ngo": add_partner(app, tenant, "Fundacja Aktywni", PartnerKind.NGO, contact_person="Ewa Wiśniewska"),
        "firm": add_partner(app, tenant, "Zakład Usług Komunalnych sp. z o.o.", PartnerKind.EMPLOYER,
                            email="kadry@zuk.example.pl"),
        "coop": add_partner(app, tenant, "Spółdzielnia Socjalna Mozaika", PartnerKind.SOCIAL_ECONOMY_ENTITY,
                            address="ul. Kościuszki 5, Suchedniów"),
    }
    add_agreement(app, tenant, "Porozumienie 1", [ids["pup"], ids["ngo"]], date(2024, 1, 1))
    add_agreement(app, tenant, "Porozumienie 2", [ids["pup"]], date(2024, 1, 1))
    return ids


def _names(client, query: str) -> list[str]:
    html = client.get(f"{BASE}/partners/?{query}").get_data(as_text=True)
    return re.findall(r'<a href="/i/[^"]+/partners/[0-9a-f-]{36}">([^<]+)</a>', html)


def test_the_list_searches_filters_and_sorts(client, signed_in, partners):
    assert _names(client, "q=fundacja") == ["Fundacja Aktywni"]
    assert _names(client, "q=526-025-09-95") == ["Powiatowy Urząd Pracy"]
    assert _names(client, "q=wiśniewska") == ["Fundacja Aktywni"]
    assert _names(client, "q=kadry@zuk") == ["Zakład Usług Komunalnych sp. z o.o."]
    assert _names(client, "q=suchedniów") == ["Spółdzielnia Socjalna Mozaika"]
    assert _names(client, "kind=employer") == ["Zakład Usług Komunalnych sp. z o.o."]
    assert _names(client, "kind=employer&q=fundacja") == []
    assert _names(client, "sort=name&dir=asc")[0] == "Fundacja Aktywni"
    by_agreements = _names(client, "sort=agreements&dir=desc")
    assert by_agreements[:2] == ["Powiatowy Urząd Pracy", "Fundacja Aktywni"]


def test_the_list_paginates(app, client, signed_in, tenant):
    for n in range(30):
        add_partner(app, tenant, f"Organizacja {n:02d}")
    assert len(_names(client, "per_page=25")) == 25
    assert _names(client, "page=2") == [f"Organizacja {n}" for n in range(25, 30)]
    assert len(_names(client, "per_page=50")) == 30


# --- detail, deletion, history ------------------------------------------------------------------

def _project_with_partner(app, tenant, partner_id):
    with app.app_context(), tenant_scope(tenant):
        project = FACTORIES[Project](tenant)
        project.partners = [db.session.get(PartnerOrganisation, (tenant, partner_id))]
        db.session.add(project)
        db.session.commit()
        return project.title


def test_the_detail_page_lists_agreements_and_projects(app, client, signed_in, tenant, partners):
    title = _project_with_partner(app, tenant, partners["ngo"])
    page = visible_text(client.get(f"{BASE}/partners/{partners['ngo']}").get_data(as_text=True))
    assert "Porozumienie 1" in page and "Porozumienie 2" not in page
    assert title in page


def test_a_partner_of_an_agreement_or_a_project_cannot_be_deleted(app, client, signed_in, tenant, partners):
    refusal = client.post(f"{BASE}/partners/{partners['pup']}/delete", follow_redirects=True)
    text = visible_text(refusal.get_data(as_text=True))
    assert "Nie można usunąć tego partnera, ponieważ jest stroną 2 porozumień. Najpierw usuń go z nich." in text
    _project_with_partner(app, tenant, partners["coop"])
    refusal = client.post(f"{BASE}/partners/{partners['coop']}/delete", follow_redirects=True)
    assert "ponieważ jest partnerem w 1 projekcie" in visible_text(refusal.get_data(as_text=True))
    confirm = visible_text(client.get(f"{BASE}/partners/{partners['ngo']}/delete").get_data(as_text=True))
    assert "Nie można usunąć partnera, dopóki jest stroną porozumienia" in confirm
    assert count(app, tenant, PartnerOrganisation) == 4


def test_an_unused_partner_is_deleted_and_its_history_stays(app, client, signed_in, tenant, partners):
    assert client.post(f"{BASE}/partners/{partners['firm']}/delete").status_code == 302
    assert load(app, tenant, PartnerOrganisation, partners["firm"]) is None
    with app.app_context(), tenant_scope(tenant):
        actions = db.session.execute(select(ChangeRecord.action).where(
            ChangeRecord.entity_id == partners["firm"])).scalars().all()
    assert sorted(actions) == sorted([ChangeAction.CREATE, ChangeAction.DELETE])


def test_editing_records_a_readable_history(app, client, signed_in, tenant):
    created = client.post(f"{BASE}/partners/new", data=_external(contact_person=""))
    partner_id = _id_from(created)
    edited = client.post(f"{BASE}/partners/{partner_id}/edit", data=_external(kind="employer",
                                                                              contact_person="Anna Zielińska"))
    assert edited.status_code == 302
    page = visible_text(client.get(f"{BASE}/partners/{partner_id}").get_data(as_text=True))
    history = page.split("Historia zmian", 1)[1]
    assert "Rodzaj: Organizacja pozarządowa → Pracodawca" in history
    assert "Osoba do kontaktu: — → Anna Zielińska" in history
    assert "Katarzyna Zając" in history  # who changed it


def test_a_read_only_member_sees_the_list_but_cannot_change_it(app, client, auth, partners):
    auth.login_as("mops-skarzysko-kamienna", "readonly")
    page = client.get(f"{BASE}/partners/").get_data(as_text=True)
    assert "Fundacja Aktywni" in page and "/partners/new" not in page
    assert client.get(f"{BASE}/partners/new").status_code == 403
    assert client.post(f"{BASE}/partners/{partners['firm']}/delete").status_code == 403


def test_the_section_is_in_the_institution_menu(client, signed_in):
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert re.search(r'<a href="/i/mops-skarzysko-kamienna/partners/"\s*>Partnerzy i porozumienia</a>', html)


# --- exports --------------------------------------------------------------------------------------

def test_exports_follow_the_filters_and_neutralise_formulas(app, client, signed_in, tenant):
    add_partner(app, tenant, '=HYPERLINK("http://zlo.example","Kliknij")', PartnerKind.OTHER,
                contact_person="@SUM(A1:A9)", notes="-2+3")
    add_partner(app, tenant, "Fundacja Zwyczajna", PartnerKind.NGO)
    response = client.get(f"{BASE}/partners/export?format=csv&kind=other")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="partnerzy-mops-skarzysko-kamienna-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Nazwa", "Rodzaj"]
    assert len(rows) == 2  # the filter applies to the export
    assert rows[1][0] == '\'=HYPERLINK("http://zlo.example","Kliknij")'
    assert rows[1][5] == "'@SUM(A1:A9)" and rows[1][9] == "'-2+3"

    workbook = load_workbook(io.BytesIO(client.get(f"{BASE}/partners/export?format=xlsx").data))
    sheet = workbook.active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value}
    dangerous = cells['\'=HYPERLINK("http://zlo.example","Kliknij")']
    assert dangerous.data_type == "s"
    assert "Fundacja Zwyczajna" in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_the_agreement_export_lists_parties_and_status(app, client, signed_in, tenant, partners):
    response = client.get(f"{BASE}/agreements/export?format=xlsx&q=Porozumienie+1")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert sheet.max_row == 2
    assert row["Strony"] == "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej; Fundacja Aktywni; Powiatowy Urząd Pracy"
    assert row["Status"] == "Obowiązuje" and row["Obowiązuje od"].date() == date(2024, 1, 1)
