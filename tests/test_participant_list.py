"""The participant list: search, filters, sorting, pagination, and its export to XLSX and CSV."""
import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit import recording
from regionet.tenants.audit.models import AccessAction, AccessRecord
from regionet.tenants.participants.models import LabourStatus, SensitiveAnswer, Sex
from regionet.tenants.participants.pesel import make_pesel

from .helpers import visible_text
from .participant_helpers import BASE, add_participant
from .test_isolation import TENANT_A, TENANT_B, _institution_id


def names_on(html: str) -> list[str]:
    """The names in the list's first column, in order."""
    return re.findall(r'<td><a href="/i/[^/]+/participants/[0-9a-f-]{36}">([^<]+)</a></td>', html)


def _people(app):
    kasia = add_participant(app, first_name="Katarzyna", last_name="Adamska", sex=Sex.FEMALE,
                            pesel=make_pesel(date(1990, 5, 1), Sex.FEMALE, 11), birth_date=date(1990, 5, 1),
                            labour_status=LabourStatus.LONG_TERM_UNEMPLOYED, disability=SensitiveAnswer.YES)
    add_participant(app, first_name="Piotr", last_name="Zawada", birth_date=date(1960, 2, 2),
                    labour_status=LabourStatus.REGISTERED_UNEMPLOYED, disability=SensitiveAnswer.REFUSED,
                    commune_code="2610022")
    add_participant(app, first_name="Marek", last_name="Nowicki", birth_date=date(1975, 7, 7),
                    disability=SensitiveAnswer.NO)
    add_participant(app, TENANT_B, first_name="Obca", last_name="Osoba", sex=Sex.FEMALE, commune_code="2661011")
    return kasia


def test_search_by_name_or_pesel_and_filters(app, client, auth):
    kasia = _people(app)
    auth.login_as(TENANT_A, "staff")
    assert names_on(client.get(f"{BASE}/").get_data(as_text=True)) == [
        "Adamska Katarzyna", "Nowicki Marek", "Zawada Piotr"]  # another institution's people never appear
    assert names_on(client.get(f"{BASE}/?q=zawa").get_data(as_text=True)) == ["Zawada Piotr"]
    assert names_on(client.get(f"{BASE}/?q=marek+nowi").get_data(as_text=True)) == ["Nowicki Marek"]
    assert names_on(client.get(f"{BASE}/?q={kasia.pesel[:6]}").get_data(as_text=True)) == ["Adamska Katarzyna"]
    assert names_on(client.get(f"{BASE}/?sex=female").get_data(as_text=True)) == ["Adamska Katarzyna"]
    assert names_on(client.get(f"{BASE}/?labour_status=registered_unemployed").get_data(as_text=True)) == [
        "Zawada Piotr"]
    assert names_on(client.get(f"{BASE}/?disability=refused").get_data(as_text=True)) == ["Zawada Piotr"]
    assert names_on(client.get(f"{BASE}/?disability=yes").get_data(as_text=True)) == ["Adamska Katarzyna"]
    assert names_on(client.get(f"{BASE}/?commune=2610022").get_data(as_text=True)) == ["Zawada Piotr"]
    assert names_on(client.get(f"{BASE}/?commune=2610011&sex=male").get_data(as_text=True)) == ["Nowicki Marek"]
    empty = visible_text(client.get(f"{BASE}/?q=nikogo").get_data(as_text=True))
    assert "Żaden uczestnik nie spełnia tych kryteriów." in empty


def test_sorting_and_pagination(app, client, auth):
    _people(app)
    auth.login_as(TENANT_A, "readonly")
    by_birth = client.get(f"{BASE}/?sort=birth_date&dir=desc").get_data(as_text=True)
    assert names_on(by_birth) == ["Adamska Katarzyna", "Nowicki Marek", "Zawada Piotr"]
    assert names_on(client.get(f"{BASE}/?sort=birth_date&dir=asc").get_data(as_text=True))[0] == "Zawada Piotr"
    assert 'aria-sort="descending"' in by_birth
    assert names_on(client.get(f"{BASE}/?sort=name&dir=desc").get_data(as_text=True))[0] == "Zawada Piotr"
    for n in range(27):
        add_participant(app, first_name="Jan", last_name=f"Kolejny{n:02d}")
    first = client.get(f"{BASE}/").get_data(as_text=True)
    assert len(names_on(first)) == 25 and "1–25 z 30" in visible_text(first)
    second = client.get(f"{BASE}/?page=2").get_data(as_text=True)
    assert names_on(second) == ["Kolejny24 Jan", "Kolejny25 Jan", "Kolejny26 Jan", "Nowicki Marek", "Zawada Piotr"]
    assert "26–30 z 30" in visible_text(second)
    assert len(names_on(client.get(f"{BASE}/?per_page=50").get_data(as_text=True))) == 30


def _hostile(app):
    """Values a spreadsheet would run as formulas, stored directly (the form would refuse some)."""
    return add_participant(app, first_name="Ala", last_name="Kot", street="=HYPERLINK(\"http://x\")",
                           locality="+48 600", phone="-1+1", notes="@SUM(A1:A9)", sex=Sex.FEMALE)


def test_export_xlsx_respects_the_filters_and_neutralises_formulas(app, client, auth):
    _people(app)
    _hostile(app)
    auth.login_as(TENANT_A, "staff")
    response = client.get(f"{BASE}/export.xlsx?sex=female&sort=name")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Imię", "Nazwisko", "PESEL")
    assert [row[1] for row in rows[1:]] == ["Adamska", "Kot"]  # only women, in name order
    header = rows[0]
    ala = dict(zip(header, rows[2], strict=True))
    assert ala["Ulica i numer"] == "'=HYPERLINK(\"http://x\")"
    assert ala["Miejscowość"] == "'+48 600" and ala["Telefon"] == "'-1+1" and ala["Uwagi"] == "'@SUM(A1:A9)"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    kasia = dict(zip(header, rows[1], strict=True))
    assert kasia["Niepełnosprawność"] == "tak" and kasia["Płeć"] == "K"
    assert kasia["Data urodzenia"].date() == date(1990, 5, 1)
    assert kasia["Gmina (kod TERYT)"] == "Skarżysko-Kamienna (2610011)"


def test_export_csv_neutralises_formulas_and_is_recorded(app, client, auth):
    _hostile(app)
    auth.login_as(TENANT_A, "staff")
    response = client.get(f"{BASE}/export.csv?q=kot")
    assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    ala = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert ala["Ulica i numer"] == "'=HYPERLINK(\"http://x\")" and ala["Miejscowość"] == "'+48 600"
    assert ala["Telefon"] == "'-1+1" and ala["Uwagi"] == "'@SUM(A1:A9)"
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        [record] = db.session.execute(select(AccessRecord)).scalars().all()
    assert record.action is AccessAction.EXPORT and record.subject_type == "participant_list"
    assert record.detail == "plik CSV, wierszy: 1 (q=kot)"


def test_viewing_and_searching_the_list_is_recorded_in_the_access_trail(app, client, auth):
    _people(app)
    auth.login_as(TENANT_A, "readonly")
    assert names_on(client.get(f"{BASE}/?q=zawada&page=1").get_data(as_text=True)) == ["Zawada Piotr"]
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        [record] = db.session.execute(select(AccessRecord)).scalars().all()
    assert record.action is AccessAction.VIEW and record.subject_type == "participant_list"
    assert record.detail == "Strona 1 (q=zawada)"


def test_the_list_and_its_trail_entry_are_one_transaction_and_a_failed_page_records_nothing(
        app, client, auth, monkeypatch):
    _people(app)
    auth.login_as(TENANT_A, "readonly")
    with app.app_context():
        engine = db.engine
    transactions = []
    record_begin = lambda connection: transactions.append("begin")  # noqa: E731
    event.listen(engine, "begin", record_begin)
    try:
        assert names_on(client.get(f"{BASE}/?q=zawada").get_data(as_text=True)) == ["Zawada Piotr"]
    finally:
        event.remove(engine, "begin", record_begin)
    # The user, the scope, the page's rows and the trail entry: one transaction, one commit.
    assert transactions == ["begin"]

    def broken_template(*args, **kwargs):
        raise RuntimeError("the template could not be rendered")

    monkeypatch.setattr(recording, "render_template", broken_template)
    with pytest.raises(RuntimeError):
        client.get(f"{BASE}/?q=adamska")
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        details = db.session.execute(select(AccessRecord.detail)).scalars().all()
    assert details == ["Strona 1 (q=zawada)"]  # the page nobody saw is not in the trail


def test_the_unfiltered_list_reads_its_total_and_the_referral_badge_in_one_statement(app, client, auth):
    _people(app)
    auth.login_as(TENANT_A, "readonly")
    with app.app_context():
        engine = db.engine
    statements = []
    record = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        html = client.get(f"{BASE}/").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert "Zawada Piotr" in names_on(html)
    # The user with their session, the scope, the tally with the badge's counts, the rows, the trail entry.
    assert len([s for s in statements if "tallies" in s]) == 1
    assert len([s for s in statements if "referrals" in s]) == 1
    assert [s for s in statements if "tallies" in s] == [s for s in statements if "referrals" in s]
    assert len(statements) == 5, statements


def test_each_line_s_tick_box_is_named_after_its_person_and_the_name_is_escaped(app, client, auth):
    add_participant(app, first_name='Ola"><b>', last_name="Nowak")
    auth.login_as(TENANT_A, "staff")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'aria-label="Zaznacz: Nowak Ola&#34;&gt;&lt;b&gt;"' in html
    assert '"><b>' not in html
