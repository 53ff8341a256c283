"""Agreements shared by their parties: one record every party institution reads in its own workspace,
with the signed document, validity and each party's confirmation; a non-party gets 404 everywhere
(ORM and row-level security as the runtime role); an agreement made from a working group's task."""
import io
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import format_day, today_in_poland
from regionet.tenants.groups.models import ActionItem
from regionet.tenants.partners.models import Agreement

from .documents import pdf_bytes
from .helpers import visible_text
from .partner_records import add_partner
from .test_groups import MOPS, OWES, PUP, _post, shared_group  # noqa: F401  (the fixture)
from .test_isolation import _institution_id

TODAY = today_in_poland()
AGREEMENTS_BLUEPRINT = "tenant_agreements"


def _data(parties, **overrides):
    data = {"title": "Porozumienie MOPS–PUP o współpracy z rodzinami", "number": "MOPS.PS.4012.11.2026",
            "kind": "cooperation", "parties": parties, "scope": "Wspólna praca z rodzinami objętymi projektem.",
            "signed_on": (TODAY - timedelta(days=3)).isoformat(), "valid_from": (TODAY - timedelta(days=3)).isoformat(),
            "valid_to": (TODAY + timedelta(days=20)).isoformat()}
    data.update(overrides)
    return data


def _create(client, parties, **overrides) -> str:
    data = {**_data(parties, **overrides),
            "document_file": (io.BytesIO(pdf_bytes("Porozumienie MOPS–PUP")), "porozumienie-mops-pup.pdf")}
    response = client.post(f"/i/{MOPS}/agreements/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:1500]
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.fixture
def shared_agreement(app, client, auth):
    """The MOPS records an agreement with the PUP (on the platform) and a foundation (outside it)."""
    mops, pup = _institution_id(app, MOPS), _institution_id(app, PUP)
    foundation = add_partner(app, mops, "Fundacja „Nowy Start”")
    auth.login_as(MOPS, "staff")
    agreement_id = _create(client, [f"i:{pup}", str(foundation)])
    auth.logout()
    return agreement_id


def _page(client, slug, agreement_id) -> str:
    response = client.get(f"/i/{slug}/agreements/{agreement_id}")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_every_party_sees_the_one_record_and_confirms_it_from_its_own_workspace(app, client, auth, shared_agreement):
    auth.login_as(MOPS, "staff")
    page = _page(client, MOPS, shared_agreement)
    assert "Oczekuje na potwierdzenie" in page            # the PUP has not confirmed yet
    assert "Fundacja „Nowy Start”" in page and "potwierdza na papierze" in page
    auth.logout()
    auth.login_as(PUP, "staff")
    listing = visible_text(client.get(f"/i/{PUP}/agreements/").get_data(as_text=True))
    assert "Porozumienie MOPS–PUP o współpracy z rodzinami" in listing and "Oczekuje na potwierdzenie" in listing
    awaiting = visible_text(client.get(f"/i/{PUP}/agreements/?confirmation=awaiting").get_data(as_text=True))
    assert "Porozumienie MOPS–PUP" in awaiting
    html = client.get(f"/i/{PUP}/agreements/{shared_agreement}").get_data(as_text=True)
    page = visible_text(html)
    assert "MOPS.PS.4012.11.2026" in page and format_day(TODAY + timedelta(days=20)) in page
    assert "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej" in page and "Powiatowy Urząd Pracy" in page
    assert "Edytuj" not in page                            # only the institution that recorded it edits it
    document = re.search(r'href="([^"]+)" data-testid="document-link"', html).group(1)
    download = client.get(document)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "porozumienie-mops-pup.pdf" in download.headers["Content-Disposition"]
    # The PUP cannot edit or delete the MOPS's record: like an outsider, 404.
    assert client.get(f"/i/{PUP}/agreements/{shared_agreement}/edit").status_code == 404
    assert client.post(f"/i/{PUP}/agreements/{shared_agreement}/delete").status_code == 404
    assert client.post(f"/i/{PUP}/agreements/{shared_agreement}/confirm").status_code == 302
    page = _page(client, PUP, shared_agreement)
    assert "Oczekuje na potwierdzenie" not in page and "Potwierdzone" in page
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        agreement = db.session.execute(select(Agreement).where(Agreement.id == uuid.UUID(shared_agreement))).scalar_one()
        party = agreement.party_of(_institution_id(app, PUP))
        assert party.confirmed_at is not None and party.confirmed_by_name   # who and when
        assert not agreement.awaiting_confirmation
    auth.logout()


def test_changing_the_terms_asks_the_other_parties_to_confirm_again(app, client, auth, shared_agreement):
    auth.login_as(PUP, "staff")
    client.post(f"/i/{PUP}/agreements/{shared_agreement}/confirm")
    auth.logout()
    auth.login_as(MOPS, "staff")
    pup = _institution_id(app, PUP)
    foundation = re.search(r'value="([0-9a-f-]{36})" checked', client.get(
        f"/i/{MOPS}/agreements/{shared_agreement}/edit").get_data(as_text=True)).group(1)
    response = client.post(f"/i/{MOPS}/agreements/{shared_agreement}/edit",
                           data=_data([f"i:{pup}", foundation], valid_to=(TODAY + timedelta(days=400)).isoformat()))
    assert response.status_code == 302
    assert "Oczekuje na potwierdzenie" in _page(client, MOPS, shared_agreement)


def test_an_institution_that_is_not_a_party_gets_404_on_every_agreement_route(app, client, auth, shared_agreement):
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        agreement = db.session.execute(select(Agreement).where(Agreement.id == uuid.UUID(shared_agreement))).scalar_one()
        document_id = agreement.document_id
    auth.login_as(OWES, "admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.rpartition(".")[0] != AGREEMENTS_BLUEPRINT or "agreement_id" not in rule.arguments:
            continue
        url = rule.build({"tenant": OWES, "agreement_id": shared_agreement}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(url, method=method).status_code == 404, (method, url)
            checked += 1
    assert checked >= 5
    assert client.get(f"/i/{OWES}/attachments/{document_id}").status_code == 404
    assert "Porozumienie MOPS–PUP" not in client.get(f"/i/{OWES}/agreements/").get_data(as_text=True)


def test_row_level_security_shows_an_agreement_to_its_parties_only(app, pg_database, shared_agreement):
    mops, pup, owes = (_institution_id(app, s) for s in (MOPS, PUP, OWES))
    engine = create_engine(pg_database["app"])   # the runtime role, bound by the policies
    try:
        for tenant, sees in ((mops, True), (pup, True), (owes, False)):
            with engine.begin() as conn:
                conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
                for table, column in (("agreements", "id"), ("agreement_parties", "agreement_id"),
                                      ("attachments", "party_set_id")):
                    found = conn.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :a"),
                                         {"a": shared_agreement}).scalar_one()
                    assert (found > 0) == sees, (tenant, table, found)
        with engine.begin() as conn:   # an outsider cannot make itself a party
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(owes)})
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("INSERT INTO shared_parties (tenant_id, id, party_set_id, institution_id)"
                                  " VALUES (:m, gen_random_uuid(), :a, :o)"), {"m": mops, "a": shared_agreement, "o": owes})
    finally:
        engine.dispose()


def test_bad_parties_are_refused_in_polish_next_to_the_field(app, client, auth):
    auth.login_as(MOPS, "staff")
    before = client.get(f"/i/{MOPS}/agreements/").get_data(as_text=True).count("Porozumienie MOPS–PUP")
    for parties, message in (([], "Wybierz co najmniej jedną stronę porozumienia."),
                             (["i:999999"], "Wybierz z listy instytucje swojego regionu."),
                             ([f"i:{_institution_id(app, MOPS)}"], "Wybierz z listy instytucje swojego regionu.")):
        response = client.post(f"/i/{MOPS}/agreements/new", data=_data(parties))
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        error = re.search(r'id="parties-error">(.*?)</p>', html, re.S)
        assert error and message in visible_text(error.group(1)), parties
        assert "Porozumienie MOPS–PUP o współpracy z rodzinami" in html   # what was typed stays
    assert client.get(f"/i/{MOPS}/agreements/").get_data(as_text=True).count("Porozumienie MOPS–PUP") == before


def test_a_parties_agreement_ending_soon_is_on_its_home_page_and_calendar(app, client, auth, shared_agreement):
    auth.login_as(PUP, "staff")
    home = visible_text(client.get(f"/i/{PUP}/").get_data(as_text=True))
    assert "Porozumienie MOPS–PUP o współpracy z rodzinami" in home
    ends = TODAY + timedelta(days=20)
    month = visible_text(client.get(f"/i/{PUP}/calendar/?month={ends:%Y-%m}").get_data(as_text=True))
    assert "Porozumienie MOPS–PUP o współpracy z rodzinami" in month
    auth.logout()
    auth.login_as(OWES, "staff")
    month = visible_text(client.get(f"/i/{OWES}/calendar/?month={ends:%Y-%m}").get_data(as_text=True))
    assert "Porozumienie MOPS–PUP" not in month


def test_a_task_of_a_working_group_produces_an_agreement_linked_both_ways(app, client, auth, shared_group):  # noqa: F811
    pup = _institution_id(app, PUP)
    auth.login_as(MOPS, "staff")
    assert _post(client, f"/i/{MOPS}/groups/{shared_group}/actions", **{
        "action-title": "Zawrzeć porozumienie MOPS–PUP", "action-owner": f"i:{pup}",
        "action-deadline": (TODAY + timedelta(days=60)).isoformat()}).status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        action_id = db.session.execute(select(ActionItem.id).where(ActionItem.group_id == uuid.UUID(shared_group))
                                       ).scalar_one()
    group_page = client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True)
    assert f"/agreements/from-action/{action_id}" in group_page and "Zawrzyj porozumienie" in visible_text(group_page)
    auth.logout()
    # The PUP, a member of the group, makes the agreement from the task: the group's institutions are preset.
    auth.login_as(PUP, "staff")
    form = client.get(f"/i/{PUP}/agreements/from-action/{action_id}").get_data(as_text=True)
    mops = _institution_id(app, MOPS)
    assert re.search(rf'value="i:{mops}" checked', form) and "Zawrzeć porozumienie MOPS–PUP" in form
    response = client.post(f"/i/{PUP}/agreements/from-action/{action_id}",
                           data=_data([f"i:{mops}"], title="Porozumienie z zadania grupy"))
    assert response.status_code == 302
    agreement_id = response.headers["Location"].rsplit("/", 1)[-1]
    page = _page(client, PUP, agreement_id)
    assert "Grupa Robocza MOPS–CIS" in page and "Zawrzeć porozumienie MOPS–PUP" in page
    auth.logout()
    auth.login_as(MOPS, "staff")   # the other party sees it, and the task links to it
    group_page = client.get(f"/i/{MOPS}/groups/{shared_group}").get_data(as_text=True)
    assert f"/agreements/{agreement_id}" in group_page and "Porozumienie z zadania grupy" in group_page
    assert "Oczekuje na potwierdzenie" in _page(client, MOPS, agreement_id)
    auth.logout()
    auth.login_as(OWES, "admin")   # not in the group: the task's route is a 404 too
    assert client.get(f"/i/{OWES}/agreements/from-action/{action_id}").status_code == 404
    assert client.post(f"/i/{OWES}/agreements/from-action/{action_id}", data=_data([])).status_code == 404


def test_the_demo_agreement_from_the_groups_decision_is_shared_and_confirmed_by_both(app, client, auth):
    from regionet.platform.demo.groups import do_seed_demo_groups

    with app.app_context():
        do_seed_demo_groups(today_in_poland())
        db.session.commit()
    mops, pup = _institution_id(app, MOPS), _institution_id(app, PUP)
    with app.app_context(), tenant_scope(pup):   # read in the PUP's scope: it is a party, not the owner
        agreement = db.session.execute(select(Agreement).where(
            Agreement.title == "Porozumienie MOPS–PUP o współpracy w pracy z rodzinami")).scalar_one()
        assert agreement.tenant_id == mops and agreement.document is not None
        assert {p.institution_id for p in agreement.platform_parties} == {mops, pup}
        assert not agreement.awaiting_confirmation
        action = db.session.execute(select(ActionItem).where(ActionItem.id == agreement.origin_action_id)).scalar_one()
        assert "porozumienie MOPS–PUP" in action.title
        agreement_id = agreement.id
    auth.login_as(PUP, "staff")
    page = _page(client, PUP, agreement_id)
    assert "Grupa Robocza" in page and "Oczekuje na potwierdzenie" not in page


def test_the_pups_export_says_what_awaits_confirmation_and_a_renamed_partner_reaches_every_party(
        app, client, auth, shared_agreement):
    from openpyxl import load_workbook

    auth.login_as(PUP, "staff")
    sheet = load_workbook(io.BytesIO(client.get(f"/i/{PUP}/agreements/export?format=xlsx").data)).active
    rows = [dict(zip([c.value for c in sheet[1]], [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["Potwierdzenie"] for r in rows if r["Tytuł"].startswith("Porozumienie MOPS–PUP")] \
        == ["Oczekuje na potwierdzenie"]
    auth.logout()
    auth.login_as(MOPS, "staff")
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        agreement = db.session.execute(select(Agreement).where(Agreement.id == uuid.UUID(shared_agreement))).scalar_one()
        foundation = next(p.partner_id for p in agreement.parties if p.partner_id)
    response = client.post(f"/i/{MOPS}/partners/{foundation}/edit", data={
        "name": "Fundacja „Nowy Start” w Skarżysku", "kind": "ngo", "nip": "", "address": "", "contact_person": "",
        "email": "", "phone": "", "notes": ""})
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:800]
    auth.logout()
    auth.login_as(PUP, "staff")
    assert "Fundacja „Nowy Start” w Skarżysku" in _page(client, PUP, shared_agreement)


def test_a_party_taken_off_or_a_deleted_agreement_is_gone_from_the_other_workspace(app, client, auth,
                                                                                   shared_agreement):
    auth.login_as(MOPS, "staff")
    edit = client.get(f"/i/{MOPS}/agreements/{shared_agreement}/edit").get_data(as_text=True)
    foundation = re.search(r'value="([0-9a-f-]{36})" checked', edit).group(1)
    assert client.post(f"/i/{MOPS}/agreements/{shared_agreement}/edit",
                       data=_data([foundation])).status_code == 302   # the PUP is no longer a party
    auth.logout()
    auth.login_as(PUP, "staff")
    assert client.get(f"/i/{PUP}/agreements/{shared_agreement}").status_code == 404
    auth.logout()
    auth.login_as(MOPS, "staff")
    pup = _institution_id(app, PUP)
    assert client.post(f"/i/{MOPS}/agreements/{shared_agreement}/edit",
                       data=_data([foundation, f"i:{pup}"])).status_code == 302   # a party again
    assert client.post(f"/i/{MOPS}/agreements/{shared_agreement}/delete").status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        left = db.session.execute(text("SELECT count(*) FROM shared_parties WHERE party_set_id = :a"),
                                  {"a": shared_agreement}).scalar_one()
        documents = db.session.execute(text("SELECT count(*) FROM attachments WHERE party_set_id = :a"),
                                       {"a": shared_agreement}).scalar_one()
    assert (left, documents) == (0, 0)
    auth.logout()
    auth.login_as(PUP, "staff")
    assert client.get(f"/i/{PUP}/agreements/{shared_agreement}").status_code == 404
