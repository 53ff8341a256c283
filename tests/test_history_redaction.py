"""The change history is append-only for the runtime role, and a deleted person's values leave it.

Checked as `regionet_app` with raw SQL (what the platform's processes connect as) and end to end:
a person created, changed, enrolled and given support through the pages, their support and
enrolment removed and the person deleted; afterwards no entry holds their PESEL, name or address,
while every entry still says what was done, when and by whom.
"""
import json
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.tenancy.roles import APP_ROLE, HISTORY_ROLE
from regionet.tenants.audit.models import REDACTED, ChangeAction, ChangeRecord
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode

from .participant_helpers import ANNA_PESEL, BASE, form_data
from .test_isolation import TENANT_A, TENANT_B, _institution_id
from .workspace_data import add, participant, project

TENANT_URL = f"/i/{TENANT_A}"
ANNA_TRACES = [ANNA_PESEL, "Anna", "Kowalska", "Kowalska-Nowak", "Słoneczna", "Leśna", "600 100 200",
               "anna.kowalska@example.pl", "podopieczna zgłosiła"]


@pytest.fixture
def app_engine(pg_database):
    engine = create_engine(pg_database["app"])
    yield engine
    engine.dispose()


@pytest.fixture
def admin_engine(pg_database):
    engine = create_engine(pg_database["admin"])
    yield engine
    engine.dispose()


def _history_text(admin_engine, tenant: int) -> str:
    """Every entry of the tenant as the database holds it, decoded (the JSON escapes ł as \\u0142)."""
    with admin_engine.connect() as conn:
        rows = conn.execute(text("SELECT changes FROM change_records WHERE tenant_id = :t"), {"t": tenant}).scalars()
        return " ".join(json.dumps(changes, ensure_ascii=False) for changes in rows)


def _trail(admin_engine, tenant: int) -> list[tuple]:
    with admin_engine.connect() as conn:
        return [(user, str(subject) if subject else None, detail) for user, subject, detail in conn.execute(text(
            "SELECT user_id, subject_id, detail FROM access_records WHERE tenant_id = :t ORDER BY at"), {"t": tenant})]


def _in_tenant(conn, tenant: int) -> None:
    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})


def test_the_runtime_role_cannot_rewrite_or_remove_history(app, app_engine):
    tenant = _institution_id(app, TENANT_A)
    jan = add_participant_with_history(app, tenant)
    for statement in ("UPDATE change_records SET changes = '{}'", "DELETE FROM change_records",
                      "TRUNCATE change_records", "UPDATE change_records SET user_id = NULL"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            with app_engine.begin() as conn:
                _in_tenant(conn, tenant)
                conn.execute(text(statement))
    with app_engine.begin() as conn:   # it still writes the history, and reads it
        _in_tenant(conn, tenant)
        conn.execute(text("INSERT INTO change_records (tenant_id, id, entity_type, entity_id, action, changes)"
                          " VALUES (:t, gen_random_uuid(), 'Participant', :e, 'update', '{}')"),
                     {"t": tenant, "e": jan})
        assert conn.execute(text("SELECT count(*) FROM change_records")).scalar_one() == 2


def test_the_redaction_function_is_the_only_writer_and_stays_in_its_tenant(app, app_engine):
    tenant, other = _institution_id(app, TENANT_A), _institution_id(app, TENANT_B)
    jan = add_participant_with_history(app, tenant)
    with app_engine.connect() as conn:
        owner, definer, login = conn.execute(text(
            "SELECT pg_get_userbyid(p.proowner), p.prosecdef, r.rolcanlogin FROM pg_proc p"
            " JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname = 'redact_person'")).one()
        assert (owner, definer, login) == (HISTORY_ROLE, True, False)
        granted = conn.execute(text(
            "SELECT has_table_privilege(:r, 'change_records', 'INSERT'), has_table_privilege(:r, 'change_records',"
            " 'DELETE'), has_column_privilege(:r, 'change_records', 'user_id', 'UPDATE'),"
            " has_column_privilege(:r, 'change_records', 'changes', 'UPDATE'),"
            " has_table_privilege(:r, 'participants', 'SELECT'), has_column_privilege(:r, 'access_records',"
            " 'detail', 'UPDATE'), has_column_privilege(:r, 'access_records', 'user_id', 'UPDATE'),"
            " has_table_privilege(:r, 'access_records', 'DELETE')"),
            {"r": HISTORY_ROLE}).one()
        assert tuple(granted) == (False, False, False, True, False, True, False, False)
        assert conn.execute(text("SELECT has_function_privilege(:r, 'history_api.redact_person(integer, uuid)',"
                                 " 'EXECUTE')"), {"r": APP_ROLE}).scalar_one()
    # Asking for another institution's history is refused, whatever the id names.
    for scope, asked in ((other, tenant), (None, tenant)):
        with pytest.raises(DBAPIError, match="only in the tenant of the transaction"):
            with app_engine.begin() as conn:
                if scope is not None:
                    _in_tenant(conn, scope)
                conn.execute(text("SELECT history_api.redact_person(:t, :p)"), {"t": asked, "p": jan})
    with app_engine.begin() as conn:   # in B's scope, with B's id, A's entries are out of reach
        _in_tenant(conn, other)
        assert conn.execute(text("SELECT history_api.redact_person(:t, :p)"), {"t": other, "p": jan}).scalar_one() == 0
    with app_engine.begin() as conn:
        _in_tenant(conn, tenant)
        assert REDACTED not in conn.execute(text("SELECT changes::text FROM change_records")).scalar_one()


def add_participant_with_history(app, tenant: int):
    with app.app_context():
        [jan_id] = add(tenant, participant("Jan", "Zostający", date(1980, 5, 14), Sex.MALE, 41))
    return jan_id


def test_deleting_a_participant_removes_their_values_from_every_history_entry(app, client, auth, admin_engine):
    tenant = _institution_id(app, TENANT_A)
    jan_id = add_participant_with_history(app, tenant)
    with app.app_context():
        [project_id] = add(tenant, project())
    auth.login_as(TENANT_A, "admin")
    created = client.post(f"{BASE}/new", data=form_data())
    assert created.status_code == 302
    anna_url = created.location
    anna_id = anna_url.rstrip("/").rsplit("/", 1)[1]
    edited = client.post(f"{anna_url}/edit", data=form_data(last_name="Kowalska-Nowak", street="ul. Leśna 7"))
    assert edited.status_code == 302
    enrolled = client.post(f"{TENANT_URL}/projects/{project_id}/enrol", data={
        "participant_id": anna_id, "entry_date": "2013-07-01", "exit_date": "2014-03-31", "status_at_entry": ""})
    assert enrolled.status_code == 302
    enrolment_url = enrolled.location
    with app.app_context(), tenant_scope(tenant):
        enrolment = db.session.execute(select(Enrolment)).scalar_one()
        db.session.add(SupportEpisode(enrolment=enrolment, instrument=Instrument.KIS, start_date=date(2013, 7, 2),
                                      notes="Anna Kowalska-Nowak: podopieczna zgłosiła potrzebę wsparcia"))
        db.session.commit()
        episode_id = db.session.execute(select(SupportEpisode.id)).scalar_one()
    assert client.post(f"{TENANT_URL}/episodes/{episode_id}/delete").status_code == 302
    assert client.post(f"{enrolment_url}/delete").status_code == 302
    assert client.get(anna_url).status_code == 200 and client.get(enrolment_url).status_code == 404
    before = _history_text(admin_engine, tenant)
    assert [trace for trace in ANNA_TRACES if trace not in before] == [], "the history held the person's data"
    trail_before = _trail(admin_engine, tenant)
    assert "Anna Kowalska-Nowak" in [detail for _user, _subject, detail in trail_before]

    deleted = client.post(f"{anna_url}/delete")
    assert deleted.status_code == 302
    with app.app_context(), tenant_scope(tenant):
        assert db.session.get(Participant, (tenant, anna_id)) is None
    after = _history_text(admin_engine, tenant)
    assert not [trace for trace in ANNA_TRACES if trace in after], "the deleted person is still in the history"
    trail_after = _trail(admin_engine, tenant)
    assert len(trail_after) >= len(trail_before), "the access trail keeps every entry"
    assert not [entry for entry in trail_after if "Anna" in (entry[2] or "") or "Kowalska" in (entry[2] or "")]
    about_anna = [entry for entry in trail_after if entry[1] == anna_id]
    assert about_anna and all(entry[0] is not None and entry[2] == REDACTED for entry in about_anna)

    with app.app_context(), tenant_scope(tenant):
        records = list(db.session.execute(select(ChangeRecord).order_by(ChangeRecord.at, ChangeRecord.id)).scalars())
        anna = [r for r in records if str(r.entity_id) == anna_id]
        assert [r.action for r in anna] == [ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]
        assert anna[1].changes == {"last_name": [REDACTED, REDACTED], "street": [REDACTED, REDACTED]}
        assert anna[0].changes["pesel"] == REDACTED and anna[0].changes["notes"] is None  # empties stay empty
        assert all(r.user is not None and r.user.full_name for r in anna), "who did it stays"
        kinds = {r.entity_type: r.action for r in records if r.entity_type in ("Enrolment", "SupportEpisode")}
        assert kinds == {"Enrolment": ChangeAction.DELETE, "SupportEpisode": ChangeAction.DELETE}
        support = [r for r in records if r.entity_type in ("Enrolment", "SupportEpisode")]
        assert support and all(set(r.changes.values()) <= {REDACTED, None} for r in support)
        # Someone else's history and the project's are untouched.
        jan = [r for r in records if r.entity_id == jan_id]
        assert jan and jan[0].changes["last_name"] == "Zostający"
        assert next(r for r in records if r.entity_type == "Project").changes["code"].startswith("POKL")
