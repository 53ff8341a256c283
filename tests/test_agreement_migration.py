"""Migration 0023q converts one-sided agreements into shared ones without losing anything, and back.

Data is written in the old shape (revision 0023p: agreement_parties = agreement x partner) into a
database of its own; the upgrade must keep every field and document, turn a partner that is an
institution of the region (by its link, or by NIP) into a platform party awaiting confirmation and
keep the others as parties by name; the downgrade must give back the old rows."""
import uuid
from datetime import UTC, date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from regionet.platform.app import create_app
from regionet.platform.tenancy.roles import OWNER_ROLE, provision_database

from .conftest import ADMIN_URL, role_url

BEFORE, AFTER = "0023p", "0023q"
OWNER, PUP, OWES, ELSEWHERE = 9001, 9002, 9003, 9004
AGREEMENT, DOCUMENT = uuid.UUID(int=1), uuid.UUID(int=2)
LINKED, BY_NIP, OUTSIDE, OTHER_REGION = (uuid.UUID(int=n) for n in (11, 12, 13, 14))
CREATED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
OLD_AGREEMENT = {"tenant_id": OWNER, "id": AGREEMENT, "title": "Porozumienie o współpracy przy PAI",
                 "number": "MOPS.0321.4.2025", "kind": "partnership", "scope": "Program Aktywizacja i Integracja",
                 "signed_on": date(2025, 2, 27), "valid_from": date(2025, 3, 1), "valid_to": date(2027, 2, 28),
                 "document_id": DOCUMENT, "created_at": CREATED}


@pytest.fixture
def database(tmp_path):
    name = f"regionet_mig_{uuid.uuid4().hex[:8]}"
    provision_database(ADMIN_URL, name, {})
    owner = role_url(OWNER_ROLE, name)
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": owner,
                      "MIGRATION_DATABASE_URL": owner})
    engine = create_engine(owner)
    try:
        yield app, engine
    finally:
        engine.dispose()
        admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _as(conn, tenant: int) -> None:
    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})


def _old_shape(engine) -> None:
    with engine.begin() as conn:
        for code, voivodeship, county, name in (("26", "26", None, "świętokrzyskie"), ("12", "12", None, "małopolskie"),
                                                ("2611011", "26", "11", "Skarżysko-Kamienna")):
            conn.execute(text("INSERT INTO teryt_units (code, voivodeship, county, name, kind_label, valid_on)"
                              " VALUES (:c, :v, :k, :n, 'jednostka', '2025-01-01') ON CONFLICT DO NOTHING"),
                         {"c": code, "v": voivodeship, "k": county, "n": name})
        for code, slug in (("26", "swietokrzyskie"), ("12", "malopolskie")):
            conn.execute(text("INSERT INTO regions (teryt_code, slug, name) VALUES (:c, :s, :s)"
                              " ON CONFLICT DO NOTHING"), {"c": code, "s": slug})
        for id_, region, kind, name, nip in (
                (OWNER, "26", "ops", "MOPS Skarżysko-Kamienna", "6631000001"),
                (PUP, "26", "pup", "PUP Skarżysko-Kamienna", "6631000002"),
                (OWES, "26", "owes", "OWES Kielce", "6571234567"),
                (ELSEWHERE, "12", "ops", "MOPS Kraków", "6761000003")):
            conn.execute(text("INSERT INTO institutions (id, region_code, slug, name, short_name, kind, teryt_code, nip)"
                              " VALUES (:i, :r, :s, :n, :n, :k, '2611011', :nip)"),
                         {"i": id_, "r": region, "s": f"inst-{id_}", "n": name, "k": kind, "nip": nip})
    with engine.begin() as conn:
        _as(conn, OWNER)
        conn.execute(text("INSERT INTO attachments (tenant_id, id, file_name, content_type, size_bytes, sha256, data)"
                          " VALUES (:t, :d, 'porozumienie.pdf', 'application/pdf', 9, 'abc', '%PDF-1.4 '::bytea)"),
                     {"t": OWNER, "d": DOCUMENT})
        partners = ((LINKED, "PUP (partner)", "platform_institution", PUP, None),
                    (BY_NIP, "OWES Kielce (wpisany ręcznie)", "ngo", None, "6571234567"),
                    (OUTSIDE, "Fundacja „Nowy Start”", "ngo", None, "5252248481"),
                    (OTHER_REGION, "MOPS Kraków", "public_institution", None, "6761000003"))
        for id_, name, kind, institution, nip in partners:
            conn.execute(text("INSERT INTO partner_organisations (tenant_id, id, name, kind, institution_id, nip)"
                              " VALUES (:t, :i, :n, :k, :inst, :nip)"),
                         {"t": OWNER, "i": id_, "n": name, "k": kind, "inst": institution, "nip": nip})
        conn.execute(text("INSERT INTO agreements (tenant_id, id, title, number, kind, scope, signed_on, valid_from,"
                          " valid_to, document_id, created_at) VALUES (:tenant_id, :id, :title, :number, :kind, :scope,"
                          " :signed_on, :valid_from, :valid_to, :document_id, :created_at)"), OLD_AGREEMENT)
        for partner in (LINKED, BY_NIP, OUTSIDE, OTHER_REGION):
            conn.execute(text("INSERT INTO agreement_parties (tenant_id, agreement_id, partner_id) VALUES (:t, :a, :p)"),
                         {"t": OWNER, "a": AGREEMENT, "p": partner})


def _agreement(conn) -> dict:
    row = conn.execute(text("SELECT tenant_id, id, title, number, kind, scope, signed_on, valid_from, valid_to,"
                            " document_id, created_at FROM agreements")).mappings().one()
    return dict(row)


def _visible(engine, tenant: int, sql: str) -> int:
    with engine.begin() as conn:
        _as(conn, tenant)
        return conn.execute(text(sql), {"a": AGREEMENT}).scalar_one()


def test_one_sided_agreements_become_shared_without_loss_and_come_back(database):
    app, engine = database
    with app.app_context():
        upgrade(revision=BEFORE)
    _old_shape(engine)
    with app.app_context():
        upgrade(revision=AFTER)
    with engine.begin() as conn:
        _as(conn, OWNER)
        assert _agreement(conn) == OLD_AGREEMENT     # every field as it was
        parties = conn.execute(text(
            "SELECT position, institution_id, partner_id, name, confirmed_at FROM agreement_parties"
            " ORDER BY position")).all()
        assert conn.execute(text("SELECT party_set_id FROM attachments WHERE id = :d"), {"d": DOCUMENT}).scalar_one() \
            == AGREEMENT
        assert conn.execute(text("SELECT data FROM attachments WHERE id = :d"), {"d": DOCUMENT}).scalar_one() \
            == b"%PDF-1.4 "
    assert parties[0] == (0, OWNER, None, "MOPS Skarżysko-Kamienna", CREATED)   # the owner, confirmed
    by_partner = {p.partner_id: p for p in parties[1:]}
    assert set(by_partner) == {LINKED, BY_NIP, OUTSIDE, OTHER_REGION}           # no party lost
    assert by_partner[LINKED].institution_id == PUP                              # by the partner's link
    assert by_partner[BY_NIP].institution_id == OWES                             # by NIP, same region
    assert by_partner[OUTSIDE].institution_id is None and by_partner[OUTSIDE].name == "Fundacja „Nowy Start”"
    assert by_partner[OTHER_REGION].institution_id is None                       # another region: by name
    assert all(p.confirmed_at is None for p in parties[1:])                      # awaiting their confirmation
    # The platform parties read the agreement, its parties and its document; another institution does not.
    for tenant, sees in ((PUP, 1), (OWES, 1), (ELSEWHERE, 0)):
        assert _visible(engine, tenant, "SELECT count(*) FROM agreements WHERE id = :a") == sees
        assert _visible(engine, tenant, "SELECT count(*) FROM attachments WHERE party_set_id = :a") == sees
        assert _visible(engine, tenant, "SELECT count(*) FROM agreement_parties WHERE agreement_id = :a") \
            == 5 * sees

    with app.app_context():
        downgrade(revision=BEFORE)
    with engine.begin() as conn:
        _as(conn, OWNER)
        assert _agreement(conn) == OLD_AGREEMENT
        assert set(conn.execute(text("SELECT partner_id FROM agreement_parties")).scalars()) \
            == {LINKED, BY_NIP, OUTSIDE, OTHER_REGION}
        assert conn.execute(text("SELECT count(*) FROM attachments")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM shared_parties")).scalar_one() == 0
    assert _visible(engine, PUP, "SELECT count(*) FROM agreements") == 0           # one-sided again
    with app.app_context():
        upgrade()   # and up again to the head
