"""The region's services catalogue: publishing, browsing and searching, who sees what (ORM and
row-level security), and the HSDS export."""
import json
import re

import jsonschema
import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.institutions.services import do_create_institution
from regionet.platform.regions.services import do_create_region
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.service_catalogue.models import Service, ServiceType

from .helpers import visible_text
from .hsds_schema import SERVICES_PAGE
from .test_isolation import _institution_id

MOPS, PUP, OWES = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce"


def _form(**overrides):
    data = {"name": "Świetlica integracyjna „Razem”", "service_type": "kis",
            "description": "Warsztaty umiejętności społecznych i doradztwo zawodowe dla osób bezrobotnych.",
            "status": "active", "eligibility_description": "Osoby długotrwale bezrobotne korzystające z pomocy społecznej.",
            "minimum_age": "18", "maximum_age": "64", "required_documents": "kontrakt socjalny\ndowód osobisty",
            "application_process": "Skierowanie z OPS.", "area_codes": ["2610"],
            "location_name": "Klub Integracji Społecznej", "address": "ul. Sportowa 1, 26-110 Skarżysko-Kamienna",
            "schedule": "pon.–pt. 8:00–15:00", "contact_name": "Dział Aktywizacji", "phone": "+48 41 252 00 00",
            "email": "kis@example.pl", "capacity": "20", "waiting_days": "14", "accepts_referrals": "y",
            "referral_basis": "statute", "legal_reference": "art. 12 ustawy o zatrudnieniu socjalnym",
            "data_set": ["name", "pesel", "contact", "eligibility"], "accept_within_days": "5",
            "assured_date": "2026-12-01", "published": "y"}
    data.update(overrides)
    return data


def _create(client, auth, slug=MOPS, **overrides) -> str:
    auth.login_as(slug, "staff")
    response = client.post(f"/i/{slug}/services/new", data=_form(**overrides))
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:2000]
    auth.logout()
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_published_service_is_seen_by_the_region_and_changed_only_by_its_owner(app, client, auth):
    service_id = _create(client, auth)
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        saved = db.session.execute(select(Service)).scalar_one()
        assert saved.area_codes == ["2610"] and saved.data_set == ["name", "pesel", "contact", "eligibility"]
        assert saved.region_code == "26" and saved.accept_within_days == 5
    auth.login_as(PUP, "staff")
    page = visible_text(client.get(f"/i/{PUP}/services/").get_data(as_text=True))
    assert "Świetlica integracyjna „Razem”" in page and "MOPS Skarżysko-Kamienna" in page
    detail = visible_text(client.get(f"/i/{PUP}/services/{service_id}").get_data(as_text=True))
    assert "art. 12 ustawy o zatrudnieniu socjalnym" in detail and "PESEL" in detail
    assert "Edytuj" not in detail
    # Another institution may read it, never change it: the owner's pages answer 404.
    assert client.get(f"/i/{PUP}/services/{service_id}/edit").status_code == 404
    assert client.post(f"/i/{PUP}/services/{service_id}/edit", data=_form(name="Przejęta")).status_code == 404
    assert "Świetlica" not in client.get(f"/i/{PUP}/services/mine").get_data(as_text=True)


def test_an_unpublished_service_is_seen_by_its_owner_only(app, client, auth):
    service_id = _create(client, auth, published="")
    auth.login_as(PUP, "staff")
    assert client.get(f"/i/{PUP}/services/{service_id}").status_code == 404
    assert "Świetlica" not in client.get(f"/i/{PUP}/services/").get_data(as_text=True)
    auth.logout()
    auth.login_as(MOPS, "staff")
    assert client.get(f"/i/{MOPS}/services/{service_id}").status_code == 200
    assert "Świetlica" in client.get(f"/i/{MOPS}/services/mine").get_data(as_text=True)


@pytest.fixture
def other_region_service(app, pg_database):
    with app.app_context():
        do_create_region("12")
        institution, _ = do_create_institution(region_code="12", name="Powiatowy Urząd Pracy w Krakowie",
                                               short_name="PUP Kraków Test", kind="pup", teryt_code="1261011")
        db.session.commit()
        institution_id = institution.id
        with tenant_scope(institution_id):
            service = Service(name="Staż w Krakowie", description="Staże.", service_type=ServiceType.INTERNSHIP,
                              region_code="12", published=True, data_set=["name"], area_codes=[])
            db.session.add(service)
            db.session.commit()
            service_id = service.id
    yield service_id
    admin = create_engine(pg_database["admin"])
    with admin.begin() as conn:  # the change history is append-only for the runtime role
        for table in ("change_records", "catalogue_services"):
            conn.execute(text(f"DELETE FROM {table} WHERE tenant_id = :t"), {"t": institution_id})
        conn.execute(text("DELETE FROM institutions WHERE id = :t"), {"t": institution_id})
    admin.dispose()


def test_another_regions_published_service_is_not_found(app, client, auth, other_region_service):
    auth.login_as(PUP, "staff")
    assert client.get(f"/i/{PUP}/services/{other_region_service}").status_code == 404
    assert "Staż w Krakowie" not in client.get(f"/i/{PUP}/services/").get_data(as_text=True)
    assert "Staż w Krakowie" not in client.get(f"/i/{PUP}/services/hsds.json").get_data(as_text=True)


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(app, client, auth):
    auth.login_as(MOPS, "staff")
    response = client.post(f"/i/{MOPS}/services/new", data=_form(
        name="", minimum_age="40", maximum_age="30", legal_reference="", area_codes=["1261011"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in (("name", "Podaj nazwę usługi"), ("maximum_age", "Wiek maksymalny"),
                           ("legal_reference", "ustawę i artykuł")):
        found = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
        assert found and message in visible_text(found.group(1)), field
    assert "Warsztaty umiejętności społecznych" in html  # what was typed stays
    response = client.post(f"/i/{MOPS}/services/new", data=_form(area_codes=["1261011"]))
    assert response.status_code == 422 and "powiaty lub gminy swojego regionu" in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        assert db.session.execute(select(Service)).first() is None


def test_search_and_filters(app, client, auth):
    _create(client, auth)
    _create(client, auth, slug=PUP, name="Staż u pracodawcy", service_type="internship", area_codes=[],
            description="Staż do 6 miesięcy.", referral_basis="consent", legal_reference="", accepts_referrals="")
    _create(client, auth, slug=OWES, name="Doradztwo dla spółdzielni socjalnych", service_type="social_enterprise_advice",
            area_codes=["2661011"], description="Doradztwo.")
    auth.login_as(MOPS, "staff")

    def found(**args):
        html = client.get(f"/i/{MOPS}/services/", query_string=args).get_data(as_text=True)
        return {name for name in ("Świetlica", "Staż u pracodawcy", "Doradztwo dla spółdzielni") if name in html}

    assert found() == {"Świetlica", "Staż u pracodawcy", "Doradztwo dla spółdzielni"}
    assert found(q="swietlica") == {"Świetlica"}          # without diacritics
    assert found(q="SPÓŁDZIELNI") == {"Doradztwo dla spółdzielni"}
    assert found(type="internship") == {"Staż u pracodawcy"}
    assert found(kind="owes") == {"Doradztwo dla spółdzielni"}
    assert found(accepts="yes") == {"Świetlica", "Doradztwo dla spółdzielni"}
    # A commune of the Skarżysko county: the county's service and the region-wide one reach it.
    assert found(area="2610011") == {"Świetlica", "Staż u pracodawcy"}
    assert found(area="2661011") == {"Staż u pracodawcy", "Doradztwo dla spółdzielni"}


def test_hsds_export_validates_against_the_hsds_schema(app, client, auth):
    service_id = _create(client, auth)
    auth.login_as(PUP, "staff")
    response = client.get(f"/i/{PUP}/services/hsds.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    page = json.loads(response.get_data(as_text=True))
    jsonschema.validate(page, SERVICES_PAGE, format_checker=jsonschema.FormatChecker())
    (service,) = page["contents"]
    assert service["id"] == service_id and service["status"] == "active"
    assert service["organization"]["name"] == "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej"
    assert [d["document"] for d in service["required_documents"]] == ["kontrakt socjalny", "dowód osobisty"]
    assert service["service_areas"][0]["extent"] == "2610"
    address = service["service_at_locations"][0]["location"]["addresses"][0]
    assert address["postal_code"] == "26-110" and address["country"] == "PL"
    assert service["regionet"]["legal_reference"] == "art. 12 ustawy o zatrudnieniu socjalnym"
    # a broken export fails the schema: the test is not vacuous
    service["status"] = "open"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(page, SERVICES_PAGE)


def test_row_level_security_of_published_services(app, client, auth, pg_database):
    published = _create(client, auth)
    hidden = _create(client, auth, published="", name="Nieopublikowana")
    mops, pup = _institution_id(app, MOPS), _institution_id(app, PUP)
    engine = create_engine(pg_database["app"])
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(pup)})
            seen = set(conn.execute(text("SELECT CAST(id AS text) FROM catalogue_services")).scalars())
            assert seen == {published}
            changed = conn.execute(text("UPDATE catalogue_services SET name = 'x' WHERE id = :i"), {"i": published})
            assert changed.rowcount == 0
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(mops)})
            assert len(conn.execute(text("SELECT id FROM catalogue_services")).all()) == 2
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("UPDATE catalogue_services SET region_code = '12' WHERE id = :i"), {"i": hidden})
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM catalogue_services")).scalar_one() == 0
    finally:
        engine.dispose()


def test_the_demo_catalogue_covers_every_institution_and_seeds_once(app, client, auth):
    from regionet.platform.demo.seed import DEMO_INSTITUTIONS
    from regionet.platform.demo.services import do_seed_demo_services
    from regionet.platform.ui.formatting import today_in_poland

    with app.app_context():
        assert len(do_seed_demo_services(today_in_poland())) == len(DEMO_INSTITUTIONS)
        assert do_seed_demo_services(today_in_poland()) == []
    auth.login_as(MOPS, "staff")
    page = json.loads(client.get(f"/i/{MOPS}/services/hsds.json").get_data(as_text=True))
    jsonschema.validate(page, SERVICES_PAGE)
    owners = {service["organization"]["alternate_name"] for service in page["contents"]}
    assert owners == {spec.short_name for spec in DEMO_INSTITUTIONS}
    types = {service["regionet"]["service_type"] for service in page["contents"]}
    assert {"internship", "training_voucher", "social_work", "activation_programme", "social_enterprise_advice",
            "social_enterprise_grant", "kis"} <= types
    html = client.get(f"/i/{MOPS}/services/", query_string={"kind": "pup"}).get_data(as_text=True)
    assert "Staż u pracodawcy" in html and "Warsztaty Klubu" not in html


def test_an_entry_not_checked_for_a_year_is_flagged(app, client, auth):
    from datetime import timedelta

    from regionet.platform.ui.formatting import today_in_poland

    fresh = _create(client, auth, assured_date=today_in_poland().isoformat())
    old = _create(client, auth, name="Stara świetlica", assured_date=(today_in_poland() - timedelta(days=400)).isoformat())
    auth.login_as(PUP, "staff")
    assert "nie była sprawdzana od ponad roku" in client.get(f"/i/{PUP}/services/{old}").get_data(as_text=True)
    assert "nie była sprawdzana od ponad roku" not in client.get(f"/i/{PUP}/services/{fresh}").get_data(as_text=True)
    listed = visible_text(client.get(f"/i/{PUP}/services/").get_data(as_text=True))
    assert listed.count("niesprawdzana od ponad roku") == 1
