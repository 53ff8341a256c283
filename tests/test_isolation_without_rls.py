"""The ORM layer of isolation holds on its own: the same checks with row-level security off.

`app_without_rls` is the application connected as the server's superuser, which bypasses every
policy, so whatever another institution's user does not see here is kept from them by the tenant
criteria (`platform/tenancy/criteria.py`) alone. It runs the route x object matrix of
tests/test_isolation.py, every list and page of an institution's workspace next to the same page
with row-level security on, and the statement shapes that escaped the criteria before (a list's
count, subqueries, EXISTS, Core tables).
"""
import re
import uuid

import pytest
from sqlalchemy import bindparam, delete, exists, func, select, text, update

from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScopeMissing, models_by_url_arg, tenant_scope, tenant_table_names
from regionet.platform.tenancy.criteria import built_once
from regionet.tenants.participants.models import Participant
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Outcome

from .conftest import DEMO_PASSWORD, _config
from .factories import make
from .helpers import AuthActions
from .test_isolation import TENANT_A, TENANT_B, _institution_id, check_foreign_objects_answer_404, tenant_rules

PAGER_TOTAL = re.compile(r"(\d[\d\s\u00a0]*)–(\d[\d\s\u00a0]*) z (\d[\d\s\u00a0]*)")


@pytest.fixture(scope="module")
def app_without_rls(app, pg_database, tmp_path_factory):
    from regionet.platform.app import create_app

    config = _config({**pg_database, "app": pg_database["admin"]}, tmp_path_factory.mktemp("without-rls"))
    config["RQ_QUEUE_PREFIX"] = app.config["RQ_QUEUE_PREFIX"]  # the run's queues, emptied after each test
    application = create_app(config)
    with application.app_context():
        assert db.session.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one()
        db.session.rollback()
    return application


def _rows_per_tenant(app_without_rls) -> dict[int, int]:
    """Participants per institution as raw SQL sees them with no tenant set: policies do not apply."""
    with app_without_rls.app_context():
        rows = db.session.execute(text("SELECT tenant_id, count(*) FROM participants GROUP BY tenant_id")).all()
        db.session.rollback()
    return dict(rows)


@pytest.fixture
def two_tenants(app_without_rls):
    """Institution A with more of everything than B, B with one of each routed object."""
    a, b = _institution_id(app_without_rls, TENANT_A), _institution_id(app_without_rls, TENANT_B)
    with app_without_rls.app_context():
        registry = models_by_url_arg()
        ids_in_a = {arg: make(model, a) for arg, model in registry.items()}
        for _ in range(30):
            make(Participant, a)
            make(Project, a)
        ids_in_b = {arg: make(model, b) for arg, model in registry.items()}
    assert _rows_per_tenant(app_without_rls)[a] > 30  # both institutions' rows are visible without RLS
    return a, b, ids_in_a, ids_in_b


def test_the_route_matrix_holds_without_row_level_security(app_without_rls, two_tenants):
    _a, _b, ids_in_a, _ids_in_b = two_tenants
    client = app_without_rls.test_client()
    check_foreign_objects_answer_404(app_without_rls, client, AuthActions(client, DEMO_PASSWORD), ids_in_a)


def _markers_of(app, app_without_rls, a: int, b: int) -> set[str]:
    """Every id of A's rows, its participants' last names and its projects' codes, but those B may
    see (published to the region, shared with B): row-level security, on in `app`, is the reference."""
    queries = ["SELECT last_name FROM participants WHERE tenant_id = :t",
               "SELECT code FROM projects WHERE tenant_id = :t"]
    with app_without_rls.app_context():
        for table in tenant_table_names():
            has_id = db.session.execute(text(
                "SELECT 1 FROM information_schema.columns WHERE table_name = :t AND column_name = 'id'"),
                {"t": table}).first()
            if has_id:
                queries.append(f"SELECT id::text FROM {table} WHERE tenant_id = :t")
        markers = {str(v) for query in queries for v in db.session.execute(text(query), {"t": a}).scalars()}
        db.session.rollback()
    with app.app_context(), tenant_scope(b):
        visible = {str(v) for query in queries for v in db.session.execute(text(query), {"t": a}).scalars()}
        db.session.rollback()
    return markers - visible


def _signed_in_as_b(app):
    client = app.test_client()
    AuthActions(client, DEMO_PASSWORD).login_as(TENANT_B)
    return client


def test_every_page_and_list_total_of_another_institution_without_row_level_security(app, app_without_rls,
                                                                                   two_tenants):
    a, b, _ids_in_a, ids_in_b = two_tenants
    urls = []
    for rule in tenant_rules(app_without_rls):
        if "GET" not in rule.methods:
            continue
        values = {"tenant": TENANT_B, **{arg: ids_in_b[arg] for arg in set(rule.arguments) - {"tenant"}}}
        urls.append(rule.build(values, append_unknown=False)[1])
    # Filtered lists count their rows (the unfiltered participant list reads a kept total).
    urls += [f"/i/{TENANT_B}/participants/?sex=female", f"/i/{TENANT_B}/participants/?q=Anna",
             f"/i/{TENANT_B}/projects/?q=Nowe"]
    markers = _markers_of(app, app_without_rls, a, b)
    without_rls, with_rls = _signed_in_as_b(app_without_rls), _signed_in_as_b(app)
    totals_seen = 0
    for url in urls:
        # one after the other: a page that records the access changes the access trail's list
        reference, response = with_rls.get(url), without_rls.get(url)
        assert response.status_code == reference.status_code, url
        if not response.mimetype.startswith("text/"):
            continue  # PDFs, spreadsheets and files: their CSV twins and pages are read
        body = response.get_data(as_text=True)
        leaked = [m for m in markers if m in body]
        assert not leaked, f"{url} shows institution A's rows: {leaked[:5]}"
        totals = PAGER_TOTAL.findall(body)
        assert totals == PAGER_TOTAL.findall(reference.get_data(as_text=True)), url
        totals_seen += len(totals)
    assert totals_seen >= 8  # the lists were reached (participants, projects, partners, records...)


@pytest.fixture
def scoped_session(app_without_rls, two_tenants):
    a, b, _ids_in_a, ids_in_b = two_tenants
    with app_without_rls.app_context(), tenant_scope(b):
        yield a, b, ids_in_b
        db.session.rollback()


def _count(statement) -> int:
    return db.session.execute(statement).scalar_one()


def test_counts_subqueries_and_core_tables_are_scoped(scoped_session):
    a, b, ids_in_b = scoped_session
    ours = _raw("SELECT count(*) FROM participants WHERE tenant_id = :b", b)
    listing = select(Participant).where(Participant.first_name == "Anna")
    assert _count(listing.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)) == ours
    assert _count(select(Participant).with_only_columns(func.count(), maintain_column_froms=True)) == ours
    assert _count(select(func.count()).select_from(Participant)) == ours
    assert _count(select(func.count()).select_from(select(Participant.id).subquery())) == ours
    table = Participant.__table__
    assert _count(select(func.count()).select_from(table)) == ours
    assert _count(select(func.count(table.c.id))) == ours
    # EXISTS built from a WHERE clause, a scalar subquery, IN (subquery), Core and ORM
    with_enrolment = _raw("SELECT count(*) FROM projects p WHERE p.tenant_id = :b"
                          " AND EXISTS (SELECT 1 FROM enrolments e WHERE e.tenant_id = :b AND e.project_id = p.id)", b)
    assert with_enrolment > 0
    assert _count(select(func.count(Project.id)).where(exists().where(Enrolment.project_id == Project.id))) \
        == with_enrolment
    enrolments = select(func.count(Enrolment.id)).where(Enrolment.project_id == Project.id).scalar_subquery()
    assert len(db.session.execute(select(Project.id, enrolments).where(enrolments > 0)).all()) == with_enrolment
    enrolled = _raw("SELECT count(DISTINCT participant_id) FROM enrolments WHERE tenant_id = :b", b)
    assert _count(select(func.count()).where(Participant.id.in_(select(Enrolment.participant_id)))) == enrolled
    e, o = Enrolment.__table__, Outcome.__table__
    with_outcome = _raw("SELECT count(DISTINCT enrolment_id) FROM outcomes WHERE tenant_id = :b", b)
    assert _count(select(func.count()).select_from(e).where(exists().where(o.c.enrolment_id == e.c.id))) \
        == with_outcome > 0
    # an outer join stays outer: every project of B, with or without enrolments
    projects = _raw("SELECT count(*) FROM projects WHERE tenant_id = :b", b)
    joined = db.session.execute(select(Project.id, func.count(Enrolment.id)).outerjoin(
        Enrolment, Enrolment.project_id == Project.id).group_by(Project.id)).all()
    assert len(joined) == projects > with_enrolment  # some of B's projects have no enrolment
    enrolment_rows = _raw("SELECT count(*) FROM enrolments e LEFT JOIN outcomes o"
                          " ON o.tenant_id = e.tenant_id AND o.enrolment_id = e.id WHERE e.tenant_id = :b", b)
    assert len(db.session.execute(select(e.c.id, o.c.id).select_from(
        e.outerjoin(o, o.c.enrolment_id == e.c.id))).all()) == enrolment_rows


def test_a_statement_built_once_is_scoped_for_each_institution(app_without_rls, two_tenants):
    """A statement run again and again keeps one scoped copy per institution (criteria.built_once):
    the copy made for A never answers for B."""
    a, b, _ids_in_a, _ids_in_b = two_tenants
    enrolled = select(func.count(Enrolment.id)).where(Enrolment.tenant_id == bindparam("tenant_id")).scalar_subquery()
    statement = built_once(select(func.count(Participant.id), enrolled))
    with app_without_rls.app_context():
        for tenant in (a, b, a, b):
            with tenant_scope(tenant):
                expected = (_raw("SELECT count(*) FROM participants WHERE tenant_id = :b", tenant),
                            _raw("SELECT count(*) FROM enrolments WHERE tenant_id = :b", tenant))
                assert tuple(db.session.execute(statement, {"tenant_id": tenant}).one()) == expected
                # the same statement with the other institution's id as its parameter: still only ours
                other = b if tenant == a else a
                assert db.session.execute(statement, {"tenant_id": other}).one()[0] == expected[0]
                db.session.rollback()
    assert expected[0] > 0


def _raw(sql: str, tenant: int) -> int:
    """A count in plain SQL with the tenant written out (the reference the scoped statements must meet)."""
    return db.session.execute(text(sql), {"b": tenant}).scalar_one()


def test_updates_and_deletes_are_scoped(scoped_session):
    a, b, _ids = scoped_session
    outcomes_of_a = _raw("SELECT count(*) FROM outcomes WHERE tenant_id = :b", a)
    assert outcomes_of_a > 0
    db.session.execute(update(Project).values(description="B"))
    db.session.execute(update(Participant.__table__).values(notes="B"))
    db.session.execute(delete(Outcome.__table__))
    untouched = db.session.execute(text(
        "SELECT (SELECT count(*) FROM projects WHERE tenant_id = :a AND description = 'B'),"
        " (SELECT count(*) FROM participants WHERE tenant_id = :a AND notes = 'B'),"
        " (SELECT count(*) FROM outcomes WHERE tenant_id = :a)"), {"a": a}).one()
    assert untouched == (0, 0, outcomes_of_a)


def test_a_count_with_no_tenant_is_an_error(app_without_rls, two_tenants):
    with app_without_rls.app_context():
        with pytest.raises(TenantScopeMissing):
            db.session.execute(select(Participant).with_only_columns(func.count(), maintain_column_froms=True))
        with pytest.raises(TenantScopeMissing):
            db.session.execute(select(func.count()).select_from(Participant.__table__))
        db.session.rollback()


def test_an_object_of_another_tenant_is_not_found_by_id(scoped_session, two_tenants):
    _a, _b, ids_in_a, _ids_in_b = two_tenants
    participant_id = ids_in_a["participant_id"]
    assert isinstance(participant_id, uuid.UUID)
    assert db.session.execute(select(Participant).where(Participant.id == participant_id)).first() is None
    assert db.session.execute(select(Participant.__table__.c.id).where(
        Participant.__table__.c.id == participant_id)).first() is None
