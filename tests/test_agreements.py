"""Cooperation agreements: validation next to the fields, the signed document in and out,
the list's search, filters and sorting, expiry awareness and the history of changes."""
import hashlib
import io
import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import ChangeRecord
from regionet.tenants.partners.models import Agreement, AgreementKind

from .documents import EXECUTABLE, docx_bytes, image_bytes, odt_bytes, pdf_bytes
from .helpers import visible_text
from .partner_records import BASE, add_agreement, add_partner, attachment_count, count, load, tenant_of

TODAY = today_in_poland()


@pytest.fixture
def tenant(app):
    return tenant_of(app)


@pytest.fixture
def signed_in(auth):
    auth.login_as("mops-skarzysko-kamienna", "staff")


def _form(party_ids, **overrides):
    data = {"title": "Porozumienie o współpracy przy PAI", "number": "MOPS.0321.4.2026", "kind": "cooperation",
            "parties": [str(p) for p in party_ids], "scope": "Wspólna realizacja programu aktywizacji i integracji",
            "signed_on": (TODAY - timedelta(days=30)).isoformat(), "valid_from": (TODAY - timedelta(days=30)).isoformat(),
            "valid_to": (TODAY + timedelta(days=365)).isoformat()}
    data.update(overrides)
    return data


def _post(client, url, data, file=None):
    if file is not None:
        data = {**data, "document_file": (io.BytesIO(file[0]), file[1])}
    return client.post(url, data=data, content_type="multipart/form-data")


def _error_next_to(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    assert found, f"no error shown next to {field}"
    return visible_text(found.group(1)).strip()


# --- validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"valid_from": "2026-03-01", "valid_to": "2026-02-28"}, "valid_to",
     "Koniec obowiązywania nie może być wcześniejszy niż jego początek."),
    ({"signed_on": (TODAY + timedelta(days=2)).isoformat()}, "signed_on",
     "Data podpisania nie może przypadać w przyszłości."),
    ({"parties": []}, "parties", "Wybierz co najmniej jedną stronę porozumienia."),
    ({"valid_from": ""}, "valid_from", "Podaj datę wejścia porozumienia w życie."),
])
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed(app, client, signed_in, tenant,
                                                                       overrides, field, message):
    partner = add_partner(app, tenant, "Powiatowy Urząd Pracy w Skarżysku-Kamiennej")
    response = _post(client, f"{BASE}/agreements/new", _form([partner], **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_next_to(html, field)
    assert 'value="Porozumienie o współpracy przy PAI"' in html and 'value="MOPS.0321.4.2026"' in html
    assert "Wspólna realizacja programu aktywizacji i integracji</textarea>" in html
    assert count(app, tenant, Agreement) == 0 and attachment_count(app, tenant) == 0


def test_a_party_of_another_institution_cannot_be_chosen(app, client, signed_in, tenant):
    foreign = add_partner(app, tenant_of(app, "owes-kielce"), "Partner OWES")
    response = _post(client, f"{BASE}/agreements/new", _form([foreign]))
    assert response.status_code == 422
    assert "Wybierz strony z listy." in _error_next_to(response.get_data(as_text=True), "parties")
    assert count(app, tenant, Agreement) == 0


@pytest.mark.parametrize(("content", "name", "message"), [
    (EXECUTABLE, "porozumienie.pdf", "nie jest dokumentem PDF, DOCX, ODT, JPEG ani PNG"),
    (b"<html><script>alert(1)</script></html>", "porozumienie.docx", "nie jest dokumentem PDF"),
    (image_bytes("PNG"), "porozumienie.pdf", "ma rozszerzenie .pdf, ale jego zawartość to PNG"),
    (b"", "pusty.pdf", "Plik jest pusty."),
])
def test_a_file_is_judged_by_its_content_and_a_wrong_one_keeps_the_form(app, client, signed_in, tenant,
                                                                         content, name, message):
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    response = _post(client, f"{BASE}/agreements/new", _form([partner]), file=(content, name))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_next_to(html, "document_file")
    assert 'value="Porozumienie o współpracy przy PAI"' in html
    assert re.search(rf'value="{partner}"\s+checked', html), "the chosen party stays ticked"
    assert count(app, tenant, Agreement) == 0 and attachment_count(app, tenant) == 0


def test_a_file_over_the_limit_gets_the_polish_error_page_and_nothing_is_stored(app, client, signed_in, tenant,
                                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    big = pdf_bytes() + b"%" * (1024 * 1024 + 10)
    response = _post(client, f"{BASE}/agreements/new", _form([partner]), file=(big, "skan.pdf"))
    assert response.status_code == 413
    text = visible_text(response.get_data(as_text=True))
    assert "Plik jest za duży" in text and "większy niż dopuszczalne 1 MB" in text
    assert count(app, tenant, Agreement) == 0 and attachment_count(app, tenant) == 0


def test_a_read_only_member_cannot_add_agreements(client, auth):
    auth.login_as("mops-skarzysko-kamienna", "readonly")
    assert client.get(f"{BASE}/agreements/new").status_code == 403
    assert client.get(f"{BASE}/agreements/").status_code == 200


# --- the signed document ----------------------------------------------------------------------------

def test_upload_and_download_round_trip_with_the_original_name_and_safe_headers(app, client, signed_in, tenant):
    first = add_partner(app, tenant, "Powiatowy Urząd Pracy")
    second = add_partner(app, tenant, "Spółdzielnia Socjalna „Razem”")
    document = pdf_bytes("Porozumienie MOPS–PUP")
    response = _post(client, f"{BASE}/agreements/new", _form([first, second]),
                     file=(document, "Porozumienie MOPS–PUP (podpisane).pdf"))
    assert response.status_code == 302
    agreement_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    agreement = load(app, tenant, Agreement, agreement_id)
    assert agreement.parties[0].institution_id == tenant   # the institution recording it is a party
    assert [p.name for p in agreement.parties[1:]] == ["Powiatowy Urząd Pracy", "Spółdzielnia Socjalna „Razem”"]
    assert agreement.document.file_name == "Porozumienie MOPS–PUP (podpisane).pdf"
    assert agreement.document.sha256 == hashlib.sha256(document).hexdigest()

    detail = client.get(f"{BASE}/agreements/{agreement_id}").get_data(as_text=True)
    assert "Porozumienie MOPS–PUP (podpisane).pdf" in detail
    assert "Spółdzielnia Socjalna „Razem”" in detail and "Obowiązuje" in detail

    download = client.get(f"{BASE}/attachments/{agreement.document.id}")
    assert download.status_code == 200
    assert download.data == document
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''([^;]+)", disposition).group(1)
    assert unquote(encoded) == "Porozumienie MOPS–PUP (podpisane).pdf"
    ascii_name = re.search(r'filename="?([^";]+)', disposition).group(1)
    assert ascii_name.isascii() and ascii_name.endswith(".pdf")


@pytest.mark.parametrize(("content", "name", "mimetype"), [
    (docx_bytes(), "umowa.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (odt_bytes(), "umowa.odt", "application/vnd.oasis.opendocument.text"),
    (image_bytes("JPEG"), "skan.JPG", "image/jpeg"),
    (image_bytes("PNG"), "skan.png", "image/png"),
])
def test_every_allowed_type_is_stored_with_the_type_found_in_its_content(app, client, signed_in, tenant,
                                                                        content, name, mimetype):
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    response = _post(client, f"{BASE}/agreements/new", _form([partner]), file=(content, name))
    assert response.status_code == 302
    agreement = load(app, tenant, Agreement, response.headers["Location"].rsplit("/", 1)[-1])
    download = client.get(f"{BASE}/attachments/{agreement.document.id}")
    assert download.data == content and download.headers["Content-Type"] == mimetype


def test_replacing_and_removing_the_document_leaves_no_orphan_file(app, client, signed_in, tenant):
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    response = _post(client, f"{BASE}/agreements/new", _form([partner]), file=(pdf_bytes("v1"), "v1.pdf"))
    agreement_id = response.headers["Location"].rsplit("/", 1)[-1]
    old = load(app, tenant, Agreement, agreement_id).document

    replaced = _post(client, f"{BASE}/agreements/{agreement_id}/edit", _form([partner]),
                     file=(docx_bytes(), "aneks.docx"))
    assert replaced.status_code == 302
    agreement = load(app, tenant, Agreement, agreement_id)
    assert agreement.document.file_name == "aneks.docx"
    assert attachment_count(app, tenant) == 1
    assert client.get(f"{BASE}/attachments/{old.id}").status_code == 404

    kept = _post(client, f"{BASE}/agreements/{agreement_id}/edit", _form([partner], title="Nowy tytuł"))
    assert kept.status_code == 302
    assert load(app, tenant, Agreement, agreement_id).document.file_name == "aneks.docx"

    removed = _post(client, f"{BASE}/agreements/{agreement_id}/edit", _form([partner], remove_document="y"))
    assert removed.status_code == 302
    assert load(app, tenant, Agreement, agreement_id).document is None
    assert attachment_count(app, tenant) == 0


def test_deleting_an_agreement_deletes_its_document_but_keeps_the_partners(app, client, signed_in, tenant):
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    response = _post(client, f"{BASE}/agreements/new", _form([partner]), file=(pdf_bytes(), "p.pdf"))
    agreement_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"{BASE}/agreements/{agreement_id}/delete").status_code == 200
    assert client.post(f"{BASE}/agreements/{agreement_id}/delete").status_code == 302
    assert count(app, tenant, Agreement) == 0 and attachment_count(app, tenant) == 0
    assert client.get(f"{BASE}/partners/{partner}").status_code == 200


# --- the list -------------------------------------------------------------------------------------

@pytest.fixture
def agreements(app, tenant):
    pup = add_partner(app, tenant, "Powiatowy Urząd Pracy w Skarżysku-Kamiennej")
    owes = add_partner(app, tenant, "Ośrodek Wsparcia Ekonomii Społecznej")
    ids = {
        "valid": add_agreement(app, tenant, "Porozumienie MOPS–PUP w sprawie PAI", [pup], TODAY - timedelta(days=400),
                               None, number="A/1"),
        "ending": add_agreement(app, tenant, "Umowa partnerska Nowe Szanse", [pup, owes],
                                TODAY - timedelta(days=300), TODAY + timedelta(days=20),
                                kind=AgreementKind.PARTNERSHIP, number="B/2"),
        "expired": add_agreement(app, tenant, "Pakt zatrudnieniowy 50+", [owes], date(2014, 1, 1), date(2015, 12, 31),
                                 kind=AgreementKind.EMPLOYMENT_PACT, number="C/3"),
        "future": add_agreement(app, tenant, "Porozumienie o klubie integracji", [owes], TODAY + timedelta(days=10),
                                TODAY + timedelta(days=400), number="D/4", scope="Prowadzenie KIS"),
    }
    return ids, pup, owes


def _titles(client, query: str) -> list[str]:
    html = client.get(f"{BASE}/agreements/?{query}").get_data(as_text=True)
    return re.findall(r'<a href="/i/[^"]+/agreements/[0-9a-f-]{36}">([^<]+)</a>', html)


def test_the_list_filters_by_status_kind_and_party(client, signed_in, agreements):
    _ids, pup, owes = agreements
    assert set(_titles(client, "status=valid")) == {"Porozumienie MOPS–PUP w sprawie PAI", "Umowa partnerska Nowe Szanse"}
    assert _titles(client, "status=expired") == ["Pakt zatrudnieniowy 50+"]
    assert _titles(client, "status=future") == ["Porozumienie o klubie integracji"]
    assert _titles(client, "status=expiring") == ["Umowa partnerska Nowe Szanse"]
    assert _titles(client, "kind=employment_pact") == ["Pakt zatrudnieniowy 50+"]
    assert set(_titles(client, f"party={pup}")) == {"Porozumienie MOPS–PUP w sprawie PAI", "Umowa partnerska Nowe Szanse"}
    assert set(_titles(client, f"party={owes}&status=valid")) == {"Umowa partnerska Nowe Szanse"}
    assert len(_titles(client, "party=not-a-uuid&status=bogus")) == 4  # nonsense filters are ignored


def test_the_list_searches_titles_numbers_scope_and_party_names(client, signed_in, agreements):
    assert _titles(client, "q=pakt") == ["Pakt zatrudnieniowy 50+"]
    assert _titles(client, "q=D/4") == ["Porozumienie o klubie integracji"]
    assert _titles(client, "q=KIS") == ["Porozumienie o klubie integracji"]
    assert set(_titles(client, "q=ekonomii+społecznej")) == {
        "Umowa partnerska Nowe Szanse", "Pakt zatrudnieniowy 50+", "Porozumienie o klubie integracji"}
    assert _titles(client, "q=nic+takiego") == []


def test_the_list_sorts_and_open_ended_agreements_end_last(client, signed_in, agreements):
    assert _titles(client, "sort=valid_to&dir=asc") == [
        "Pakt zatrudnieniowy 50+", "Umowa partnerska Nowe Szanse", "Porozumienie o klubie integracji",
        "Porozumienie MOPS–PUP w sprawie PAI"]
    assert _titles(client, "sort=title&dir=desc")[0] == "Umowa partnerska Nowe Szanse"
    assert _titles(client, "sort=number&dir=asc&per_page=25") == [
        "Porozumienie MOPS–PUP w sprawie PAI", "Umowa partnerska Nowe Szanse", "Pakt zatrudnieniowy 50+",
        "Porozumienie o klubie integracji"]


def test_the_list_paginates(app, client, signed_in, tenant):
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    for n in range(27):
        add_agreement(app, tenant, f"Porozumienie nr {n:02d}", [partner], date(2020, 1, 1) + timedelta(days=n))
    first = _titles(client, "sort=title&dir=asc")
    second = _titles(client, "sort=title&dir=asc&page=2")
    assert len(first) == 25 and second == ["Porozumienie nr 25", "Porozumienie nr 26"]
    assert "1–25 z 27" in visible_text(client.get(f"{BASE}/agreements/").get_data(as_text=True))


def test_agreements_ending_soon_are_highlighted_in_the_list_and_on_the_home_page(client, signed_in, agreements):
    html = client.get(f"{BASE}/agreements/").get_data(as_text=True)
    rows = re.findall(r'<tr class="row--expiring">.*?</tr>', html, re.S)
    assert len(rows) == 1 and "Umowa partnerska Nowe Szanse" in rows[0]
    assert "kończy się za 20 dni" in visible_text(rows[0])
    home = visible_text(client.get(f"{BASE}/").get_data(as_text=True))
    panel = home.split("Porozumienia wygasające w ciągu 60 dni", 1)[1]
    assert "Umowa partnerska Nowe Szanse" in panel and "Pakt zatrudnieniowy" not in panel
    assert "Porozumienie o klubie integracji" not in panel


def test_detail_shows_parties_status_and_readable_history(app, client, signed_in, tenant):
    first = add_partner(app, tenant, "Powiatowy Urząd Pracy")
    second = add_partner(app, tenant, "Fundacja Aktywni")
    response = _post(client, f"{BASE}/agreements/new", _form([first]))
    agreement_id = response.headers["Location"].rsplit("/", 1)[-1]
    _post(client, f"{BASE}/agreements/{agreement_id}/edit",
          _form([first, second], kind="partnership", valid_to="2030-06-30"))
    page = visible_text(client.get(f"{BASE}/agreements/{agreement_id}").get_data(as_text=True))
    assert "Fundacja Aktywni" in page and "Powiatowy Urząd Pracy" in page
    assert "Rodzaj porozumienia: Porozumienie o współpracy → Umowa partnerska" in page
    assert f"Obowiązuje do: {(TODAY + timedelta(days=365)).strftime('%d.%m.%Y')} → 30.06.2030" in page
    assert "Strony: Powiatowy Urząd Pracy → Fundacja Aktywni; Powiatowy Urząd Pracy" in page
    with app.app_context():
        from sqlalchemy import select

        from regionet.platform.extensions import db
        from regionet.platform.tenancy import tenant_scope
        with tenant_scope(tenant):
            stored = db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_type == "Agreement")).scalars()
            assert sorted(r.action.value for r in stored) == ["create", "update", "update"]
    assert page.count("Zmieniono") == 1  # the two records of one edit are shown as one entry


def test_the_status_filters_and_the_badges_agree_on_every_boundary(app, client, signed_in, tenant):
    from regionet.platform.ui.formatting import today_in_poland
    from regionet.tenants.partners.validity import AgreementStatus, days_left, status_on

    with app.app_context():
        today = today_in_poland()
    partner = add_partner(app, tenant, "Stowarzyszenie Razem")
    spans = {
        "starts today": (today, None), "ends today": (today - timedelta(days=9), today),
        "ended yesterday": (today - timedelta(days=9), today - timedelta(days=1)),
        "starts tomorrow": (today + timedelta(days=1), today + timedelta(days=5)),
        "ends in 60": (today - timedelta(days=1), today + timedelta(days=60)),
        "ends in 61": (today - timedelta(days=1), today + timedelta(days=61)),
    }
    for title, (start, end) in spans.items():
        add_agreement(app, tenant, title, [partner], start, end)
    expected = {status: {t for t, (s, e) in spans.items()
                         if status_on(Agreement(valid_from=s, valid_to=e), today) is status}
                for status in AgreementStatus}
    assert expected[AgreementStatus.VALID] == {"starts today", "ends today", "ends in 60", "ends in 61"}
    for status, titles in expected.items():
        assert set(_titles(client, f"status={status.value}")) == titles, status
    ending = {t for t, (s, e) in spans.items() if days_left(Agreement(valid_from=s, valid_to=e), today) is not None}
    assert ending == {"ends today", "ends in 60"}
    assert set(_titles(client, "status=expiring")) == ending
