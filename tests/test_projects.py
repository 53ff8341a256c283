"""Projects: create and edit with Polish amounts, the budget rules, partners, targets, the list and its export."""
import csv
import io
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
from regionet.tenants.projects.models import Project

from .helpers import visible_text
from .test_isolation import TENANT_A, TENANT_B, _institution_id

BASE = f"/i/{TENANT_A}/projects"

GOOD = {
    "title": "Nowe Szanse w MOPS", "code": "POKL.07.01.01-26-001/08", "funding_source": "pokl-7.1.1",
    "start_date": "2008-01-01", "end_date": "2013-12-31", "budget_total": "904 150,00",
    "eu_cofinancing": "876 150,00", "own_contribution": "28 000,00", "description": "Projekt systemowy",
    "target_participants_total": "200", "target_employment_rate": "25,5",
}


def _projects(app, slug=TENANT_A):
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        return db.session.execute(select(Project).order_by(Project.code)).scalars().all()


def _count(app, slug=TENANT_A):
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        return db.session.execute(select(func.count()).select_from(Project)).scalar_one()


def _partner(app, name, slug=TENANT_A):
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        partner = PartnerOrganisation(name=name, kind=PartnerKind.PUBLIC_INSTITUTION)
        db.session.add(partner)
        db.session.commit()
        return str(partner.id)


def test_create_project_with_polish_amounts_shows_derived_shares_partners_and_targets(app, client, auth):
    pup = _partner(app, "Powiatowy Urząd Pracy w Skarżysku-Kamiennej")
    auth.login_as(TENANT_A)
    response = client.post(f"{BASE}/new", data={**GOOD, "partners": [pup]})
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:2000]
    [project] = _projects(app)
    assert (project.budget_total, project.eu_cofinancing, project.own_contribution) == (
        Decimal("904150.00"), Decimal("876150.00"), Decimal("28000.00"))
    assert {t.indicator: t.target_value for t in project.targets} == {
        "participants_total": Decimal(200), "employment_rate": Decimal("25.5")}
    page = visible_text(client.get(response.location).get_data(as_text=True))
    assert "904 150,00 zł" in page.replace("\xa0", " ")
    assert "96,90%" in page and "3,10%" in page
    assert "Powiatowy Urząd Pracy w Skarżysku-Kamiennej" in page
    assert "PO KL 7.1.1" in page
    assert "Utworzono" in page  # the change history names the creation


def test_budget_that_does_not_add_up_is_refused_next_to_the_field_and_nothing_is_stored(app, client, auth):
    auth.login_as(TENANT_A)
    response = client.post(f"{BASE}/new", data={**GOOD, "own_contribution": "27 000,00"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html).replace("\xa0", " ")
    assert "Dofinansowanie UE i wkład własny dają razem 903 150,00 zł, a nie wartość projektu 904 150,00 zł." in text
    assert 'id="own_contribution-error"' in html
    assert 'value="27 000,00"' in html and 'value="Nowe Szanse w MOPS"' in html  # what the user typed is kept
    assert _count(app) == 0


def test_non_eu_source_with_eu_cofinancing_is_refused(app, client, auth):
    auth.login_as(TENANT_A)
    response = client.post(f"{BASE}/new", data={**GOOD, "funding_source": "fp", "code": "FP-1"})
    text = visible_text(response.get_data(as_text=True))
    assert "Fundusz Pracy nie jest programem UE: dofinansowanie UE musi wynosić 0." in text
    assert _count(app) == 0
    ok = client.post(f"{BASE}/new", data={**GOOD, "funding_source": "fp", "code": "FP-1", "eu_cofinancing": "",
                                           "own_contribution": "904 150,00"})
    assert ok.status_code == 302
    assert _count(app) == 1


def test_bad_amounts_dates_and_duplicate_code_are_explained_in_polish(app, client, auth):
    auth.login_as(TENANT_A)
    response = client.post(f"{BASE}/new", data={**GOOD, "budget_total": "dziewięćset", "end_date": "2007-12-31"})
    text = visible_text(response.get_data(as_text=True))
    assert "Wpisz liczbę, np. 904 150,00" in text
    assert "Projekt nie może się kończyć przed rozpoczęciem." in text
    assert 'value="dziewięćset"' in response.get_data(as_text=True)
    assert client.post(f"{BASE}/new", data=GOOD).status_code == 302
    again = client.post(f"{BASE}/new", data={**GOOD, "title": "Inny"})
    assert "Inny projekt ma już kod POKL.07.01.01-26-001/08" in visible_text(again.get_data(as_text=True))
    assert _count(app) == 1


def test_partners_of_another_institution_cannot_be_chosen(app, client, auth):
    foreign = _partner(app, "Obca Fundacja", slug=TENANT_B)
    auth.login_as(TENANT_A)
    response = client.post(f"{BASE}/new", data={**GOOD, "partners": [foreign]})
    assert response.status_code == 200
    assert _count(app) == 0


def test_edit_keeps_history_and_targets_can_be_removed(app, client, auth):
    auth.login_as(TENANT_A)
    created = client.post(f"{BASE}/new", data=GOOD)
    project_url = created.location
    form = client.get(project_url + "/edit").get_data(as_text=True)
    assert 'value="904 150,00"' in form and 'value="200,00"' in form
    response = client.post(project_url + "/edit", data={**GOOD, "title": "Nowe Szanse w MOPS – edycja 2",
                                                         "target_participants_total": ""})
    assert response.status_code == 302
    [project] = _projects(app)
    assert project.title == "Nowe Szanse w MOPS – edycja 2"
    assert [t.indicator for t in project.targets] == ["employment_rate"]
    page = visible_text(client.get(project_url).get_data(as_text=True))
    assert "Zmieniono" in page and "Nowe Szanse w MOPS – edycja 2" in page


def _make_projects(app):
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        specs = [("Aktywni 50+", "FP-2024-1", "fp", date(2024, 1, 1), date(2024, 12, 31), "0"),
                 ("Nowe Szanse w MOPS", "POKL-711", "pokl-7.1.1", date(2008, 1, 1), date(2013, 12, 31), "876150"),
                 ("Razem w Skarżysku", "FES-2025", "fes-2021-2027", date(2025, 1, 1), date(2027, 6, 30), "90000"),
                 ('=HYPERLINK("http://zlo.example")', "X-1", "own", date(2020, 1, 1), date(2020, 6, 30), "0")]
        for title, code, source, start, end, eu in specs:
            eu = Decimal(eu)
            db.session.add(Project(title=title, code=code, funding_source=source, start_date=start, end_date=end,
                                   budget_total=eu + 1000, eu_cofinancing=eu, own_contribution=Decimal(1000)))
        db.session.commit()


def test_list_searches_filters_sorts_and_paginates(app, client, auth):
    _make_projects(app)
    auth.login_as(TENANT_A)

    def titles(query):
        html = client.get(f"{BASE}/?{query}").get_data(as_text=True)
        return [t for t in ("Aktywni 50+", "Nowe Szanse w MOPS", "Razem w Skarżysku", "HYPERLINK") if t in html]

    assert titles("q=szanse") == ["Nowe Szanse w MOPS"]
    assert titles("q=FES-2025") == ["Razem w Skarżysku"]
    assert titles("source=fp") == ["Aktywni 50+"]
    assert titles("year=2010") == ["Nowe Szanse w MOPS"]
    assert titles("state=active") == ["Razem w Skarżysku"]  # today is within 2025–2027
    assert titles("state=finished") == ["Aktywni 50+", "Nowe Szanse w MOPS", "HYPERLINK"]
    html = client.get(f"{BASE}/?sort=budget&dir=desc").get_data(as_text=True)
    assert html.index("Nowe Szanse w MOPS") < html.index("Razem w Skarżysku") < html.index("Aktywni 50+")
    assert 'aria-sort="descending"' in html
    paged = client.get(f"{BASE}/?sort=title&dir=asc&per_page=25&page=9").get_data(as_text=True)
    assert "1–4 z 4" in visible_text(paged)


def test_export_neutralises_formulas_and_has_the_list_columns(app, client, auth):
    _make_projects(app)
    auth.login_as(TENANT_A)
    response = client.get(f"{BASE}/export?fmt=csv&sort=title&dir=asc")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Kod", "Tytuł", "Źródło finansowania"]
    assert rows[1][1] == "'=HYPERLINK(\"http://zlo.example\")"
    assert any(r[1] == "Nowe Szanse w MOPS" and r[5] == "877150,00" and r[7] == "99,89" for r in rows)
    xlsx = client.get(f"{BASE}/export?fmt=xlsx&q=HYPERLINK")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["B2"].value == "'=HYPERLINK(\"http://zlo.example\")" and sheet["B2"].data_type == "s"
    assert sheet.max_row == 2


def test_read_only_member_sees_projects_but_cannot_create(app, client, auth):
    _make_projects(app)
    auth.login_as(TENANT_A, "readonly")
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"{BASE}/new").status_code == 403
    assert client.post(f"{BASE}/new", data=GOOD).status_code == 403


def test_a_project_can_be_deleted_only_while_nobody_is_enrolled(app, client, auth):
    from regionet.tenants.support.models import Enrolment

    from .workspace_data import add, participant

    auth.login_as(TENANT_A)
    project_url = client.post(f"{BASE}/new", data=GOOD).location
    second_url = client.post(f"{BASE}/new", data={**GOOD, "code": "DRUGI-1"}).location
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        [person_id] = add(tenant, participant())
        project_id = project_url.rsplit("/", 1)[1]
        add(tenant, Enrolment(project_id=project_id, participant_id=person_id, entry_date=date(2009, 1, 5),
                              status_at_entry="long_term_unemployed"))
    refused = client.post(project_url + "/delete", follow_redirects=True)
    assert "Do tego projektu zapisane są osoby, więc nie można go usunąć." in visible_text(refused.get_data(as_text=True))
    assert client.post(second_url + "/delete").status_code == 302
    assert [p.code for p in _projects(app)] == ["POKL.07.01.01-26-001/08"]
