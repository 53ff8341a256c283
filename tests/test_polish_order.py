"""Polish text on every list, on a server without ICU (the embedded one has none):
search ignores case and diacritics for every Polish letter, and names and titles follow
the Polish alphabet, letter by letter (a ą b c ć d e ę … l ł … n ń o ó … s ś … z ź ż).
"""
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui import polish
from regionet.tenants.partners.models import Agreement, AgreementKind, AgreementParty, PartnerKind, PartnerOrganisation
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment

from .test_isolation import TENANT_A, _institution_id
from .workspace_data import add, participant

BASE = f"/i/{TENANT_A}"
# Every Polish letter, in the positions where the order is decided: "Bąk" after "Bazylak" (ą
# follows every a) and before "Brzezińska"; every S-word before every Ś-word; ź before ż.
IN_POLISH_ORDER = ["Bazylak", "Bąk", "Brzezińska", "Cegła", "Czajka", "Ćwik", "Dąbrowska", "Dziedzic", "Hanke",
                   "Hańczak", "Lis", "Łęcka", "Łukasik", "Mazur", "Olszewska", "Ołdak", "Sokolik", "Sokół", "Sowa",
                   "Szymańska", "Śliwa", "Wesołowska", "Węgrzyn", "Zając", "Zawada", "Źdźbło", "Żak"]
SHUFFLED = IN_POLISH_ORDER[1::2] + IN_POLISH_ORDER[::2]
# What a user types -> the names it finds.
SEARCHES = {
    "lecka": {"Łęcka"}, "ŁĘCKA": {"Łęcka"}, "łĘcKa": {"Łęcka"}, "Dabrowska": {"Dąbrowska"},
    "DĄBROWSKA": {"Dąbrowska"}, "zajac": {"Zając"}, "ZAJĄC": {"Zając"}, "zdzblo": {"Źdźbło"},
    "ŹDŹBŁO": {"Źdźbło"}, "ŻAK": {"Żak", "Hańczak"}, "sokol": {"Sokolik", "Sokół"}, "SOKÓŁ": {"Sokolik", "Sokół"},
    "sliwa": {"Śliwa"}, "ŚLIWA": {"Śliwa"}, "szymanska": {"Szymańska"}, "hańcz": {"Hańczak"},
    "wegrzyn": {"Węgrzyn"}, "cwik": {"Ćwik"}, "ĆWIK": {"Ćwik"}, "brzezinska": {"Brzezińska"},
    "cegla": {"Cegła"}, "OLDAK": {"Ołdak"},
}


def _rows(html: str) -> str:
    """The list's table body (the top bar shows the signed-in user's name, which may be one of ours)."""
    start = html.find("<tbody")
    return html[start:html.find("</tbody>", start)] if start != -1 else ""


def _order_on(html: str, names: list[str]) -> list[str]:
    """`names` in the order the list shows them (each must be in it)."""
    html = _rows(html)
    missing = [name for name in names if f">{name}" not in html and f"{name}<" not in html]
    assert not missing, missing
    return sorted(names, key=lambda name: html.index(name))


def _shown(html: str) -> set[str]:
    rows = _rows(html)
    return {name for name in IN_POLISH_ORDER if name in rows}


def test_the_database_and_python_keys_follow_the_polish_alphabet(app):
    with app.app_context():
        in_sql = [row[0] for row in db.session.execute(text(
            "SELECT name FROM unnest(CAST(:names AS text[])) AS name ORDER BY polish_sort_key(name)"),
            {"names": SHUFFLED})]
        folded = db.session.execute(text("SELECT search_fold(:t)"), {"t": "ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż Éé"}).scalar_one()
    assert in_sql == IN_POLISH_ORDER
    assert sorted(SHUFFLED, key=polish.sort_key) == IN_POLISH_ORDER
    assert sorted([n.upper() for n in SHUFFLED], key=polish.sort_key) == [n.upper() for n in IN_POLISH_ORDER]
    assert folded == polish.fold("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż Éé") == "acelnoszz acelnoszz ee"


@pytest.fixture
def people(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        add(tenant, *[participant(first="Jan", last=name, serial=n) for n, name in enumerate(SHUFFLED)])
    return tenant


def test_participants_are_searched_and_sorted_in_polish(app, client, auth, people):
    auth.login_as(TENANT_A, "readonly")
    page = client.get(f"{BASE}/participants/?sort=name&per_page=50").get_data(as_text=True)
    assert _order_on(page, IN_POLISH_ORDER) == IN_POLISH_ORDER
    page = client.get(f"{BASE}/participants/?sort=name&dir=desc&per_page=50").get_data(as_text=True)
    assert _order_on(page, IN_POLISH_ORDER) == IN_POLISH_ORDER[::-1]
    for typed, found in SEARCHES.items():
        page = client.get(f"{BASE}/participants/?q={quote(typed)}").get_data(as_text=True)
        assert _shown(page) == found, typed
    # Two words: each must match (first name and last name, any case, no diacritics).
    assert _shown(client.get(f"{BASE}/participants/?q=JAN+lecka").get_data(as_text=True)) == {"Łęcka"}


def test_a_projects_participants_and_the_enrol_search_in_polish(app, client, auth, people):
    with app.app_context(), tenant_scope(people):
        kis = Project(title="Klub Integracji Społecznej", code="POKL.07.02.01-26-777/13", funding_source="pokl-7.2.1",
                      start_date=date(2013, 6, 1), end_date=date(2015, 6, 30), budget_total=Decimal("500000.00"),
                      eu_cofinancing=Decimal("425000.00"), own_contribution=Decimal("75000.00"))
        from regionet.tenants.participants.models import Participant

        for person in db.session.execute(select(Participant)).scalars():
            db.session.add(Enrolment(project=kis, participant=person, entry_date=date(2013, 7, 1),
                                     status_at_entry=person.labour_status))
        db.session.commit()
        project_id = kis.id
    auth.login_as(TENANT_A, "staff")
    page = client.get(f"{BASE}/projects/{project_id}/enrolments?sort=name&per_page=100").get_data(as_text=True)
    assert _order_on(page, IN_POLISH_ORDER) == IN_POLISH_ORDER
    assert _shown(client.get(f"{BASE}/projects/{project_id}/enrolments?q=ZAJAC").get_data(as_text=True)) == {"Zając"}
    for typed, found in (("lecka", ["Łęcka"]), ("SOKOL", ["Sokolik", "Sokół"]), ("ŻA", ["Czajka", "Hańczak", "Zając",
                                                                                  "Zawada", "Żak"])):
        page = client.get(f"{BASE}/projects/{project_id}/enrol?q={quote(typed)}").get_data(as_text=True)
        choices = page[page.index("<fieldset"):page.index("</fieldset>")]
        assert sorted((n for n in IN_POLISH_ORDER if n in choices), key=choices.index) == found, typed


def _party(partner) -> list[AgreementParty]:
    return [AgreementParty(partner_id=partner.id, name=partner.name, position=1)]


def test_projects_partners_and_agreements_are_searched_and_sorted_in_polish(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        add(tenant, *[Project(title=f"Projekt {name}", code=f"POKL.07.01.01-26-{n:03d}/08",
                              funding_source="pokl-7.1.1", start_date=date(2008, 1, 1), end_date=date(2013, 12, 31),
                              budget_total=Decimal("1000.00"), eu_cofinancing=Decimal("850.00"),
                              own_contribution=Decimal("150.00"))
                      for n, name in enumerate(SHUFFLED)])
        partners = [PartnerOrganisation(name=f"Fundacja {name}", kind=PartnerKind.NGO) for name in SHUFFLED]
        add(tenant, *partners)
        with tenant_scope(tenant):
            db.session.add_all([Agreement(title=f"Porozumienie {name}", kind=AgreementKind.COOPERATION, scope="Współpraca",
                                          valid_from=date(2024, 1, 1), parties=_party(db.session.merge(partner)))
                                for name, partner in zip(SHUFFLED, partners, strict=True)])
            db.session.commit()
    auth.login_as(TENANT_A, "staff")
    for path, prefix, sort in (("projects/", "Projekt ", "title"), ("partners/", "Fundacja ", "name"),
                               ("agreements/", "Porozumienie ", "title")):
        expected = [prefix + name for name in IN_POLISH_ORDER]
        page = client.get(f"{BASE}/{path}?sort={sort}&dir=asc&per_page=50").get_data(as_text=True)
        assert _order_on(page, expected) == expected, path
        for typed, found in SEARCHES.items():
            page = client.get(f"{BASE}/{path}?q={quote(typed)}&per_page=50").get_data(as_text=True)
            assert _shown(page) == found, (path, typed)
    # An agreement is found by its parties' names too.
    page = client.get(f"{BASE}/agreements/?q=fundacja+SLIWA").get_data(as_text=True)
    assert _shown(page) == {"Śliwa"}


def test_search_and_name_order_use_their_indexes(app, pg_database, people):
    """The trigram index serves search, the name key index the list's order (forced: few rows here)."""
    engine = create_engine(pg_database["admin"])
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))  # as for a first page of many rows
        conn.execute(text("SET LOCAL enable_sort = off"))
        order = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM participants WHERE tenant_id = :t ORDER BY name_key LIMIT 25"),
            {"t": people}).scalars())
        conn.execute(text("SET LOCAL enable_bitmapscan = on"))  # a GIN index is read by bitmap scans
        # What the list sends: the word folded by the database first, then a constant pattern.
        word = conn.execute(text("SELECT lower(unaccent(:w))"), {"w": "ŁĘCKA"}).scalar_one()
        search = "\n".join(conn.execute(text("EXPLAIN SELECT id FROM participants WHERE search_text LIKE :p"),
                                        {"p": f"%{word}%"}).scalars())
        found = conn.execute(text("SELECT last_name FROM participants WHERE search_text LIKE '%lecka%'")).scalars().all()
    engine.dispose()
    assert "ix_participants_search_text" in search, search
    assert "ix_participants_tenant_name_key" in order and "Sort" not in order.split("ix_participants")[0], order
    assert found == ["Łęcka"]


def test_the_commune_choices_and_the_coordinators_labels_sort_in_polish():
    names = ["Łączna", "Zagnańsk", "Chęciny", "Ćmielów", "Łagów", "Sitkówka-Nowiny", "Sędziszów", "Skarżysko-Kamienna"]
    assert sorted(names, key=polish.sort_key) == ["Chęciny", "Ćmielów", "Łagów", "Łączna", "Sędziszów",
                                                 "Sitkówka-Nowiny", "Skarżysko-Kamienna", "Zagnańsk"]
