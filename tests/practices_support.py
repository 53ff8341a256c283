"""Helpers and fixtures for the good-practice and regional-report tests.

Import `clean_region_tables` into a test module to use it: the region-level tables
(published copies, reports, schedules) have no tenant_id, so the suite's truncation of
tenant tables does not reach them.
"""
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.accounts.models import User
from regionet.platform.demo.records import CohortSpec, do_create_project_records
from regionet.platform.demo.seed import demo_login
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import tenant_scope

REGION_TABLES = ("submission_events", "period_submissions", "reporting_periods", "published_practice_tags", "published_practices", "practice_submission_photos",
                 "practice_submissions", "regional_reports", "report_schedules")


def _delete_region_rows(pg_database) -> None:
    engine = create_engine(pg_database["admin"])
    with engine.begin() as conn:
        for table in REGION_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


@pytest.fixture(autouse=True)
def clean_region_tables(request):
    if "app" in request.fixturenames:
        _delete_region_rows(request.getfixturevalue("pg_database"))
    yield
    if "app" in request.fixturenames:
        _delete_region_rows(request.getfixturevalue("pg_database"))


def institution(app, slug: str) -> Institution:
    with app.app_context():
        found = db.session.execute(select(Institution).where(Institution.slug == slug)).scalar_one()
        db.session.expunge(found)
        return found


def institution_id(app, slug: str) -> int:
    return institution(app, slug).id


def make_project(app, slug: str, spec: CohortSpec, title: str = "Projekt testowy", code: str | None = None,
                 targets: dict | None = None) -> uuid.UUID:
    from datetime import date
    from decimal import Decimal

    from regionet.tenants.projects.models import Project, ProjectTarget

    with app.app_context(), tenant_scope(institution_id(app, slug)):
        project = Project(title=title, code=code or f"TEST-{uuid.uuid4().hex[:8]}", funding_source="pokl-7.1.1",
                          start_date=date(2012, 1, 1), end_date=date(2014, 12, 31),
                          budget_total=Decimal("904150.00"), eu_cofinancing=Decimal("876150.00"),
                          own_contribution=Decimal("28000.00"))
        project.targets = [ProjectTarget(indicator=k, target_value=Decimal(v)) for k, v in (targets or {}).items()]
        db.session.add(project)
        db.session.flush()
        do_create_project_records(project, spec)
        db.session.commit()
        return project.id


def create_practice(app, slug: str, project_id=None, submit: bool = False, partners=(), **fields):
    """A complete practice (tests.factories.practice_version values), optionally submitted; returns its id."""
    from regionet.tenants.practices.services import PracticeInput, do_create_practice, do_submit

    from .factories import practice_version

    values = {name: getattr(practice_version(**fields), name) for name in (
        "title", "period_start", "period_end", "problem", "local_figures", "target_group_description",
        "target_group_size", "target_groups", "instruments", "cooperation", "funding_source", "funding_total",
        "funding_eu", "funding_own", "results_narrative", "success_factors", "barriers", "sustainability",
        "transferability", "contact_name", "contact_email", "contact_phone")}
    values["project_id"] = project_id
    inst = institution(app, slug)
    with app.app_context(), tenant_scope(inst.id):
        practice = do_create_practice(PracticeInput(values=values, partners=list(partners)), None)
        if submit:
            do_submit(practice, db.session.get(Institution, inst.id), _admin(inst.id))
        db.session.commit()
        return practice.id


def _admin(institution_id: int) -> User:
    from regionet.platform.demo.practices import _admin_of

    return _admin_of(db.session.get(Institution, institution_id))


def submission_of(app, slug: str, practice_id) -> uuid.UUID:
    from regionet.tenants.practices.models import Practice

    with app.app_context(), tenant_scope(institution_id(app, slug)):
        practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
        return practice.submitted.submission_id


def decide(app, submission_id, approve: bool = True, comment: str | None = None) -> None:
    from regionet.platform.practices.services import do_decide

    with app.app_context():
        coordinator = db.session.execute(select(User).where(User.email == demo_login("koordynator.rops"))).scalar_one()
        do_decide(submission_id, db.session.get(Region, "26"), coordinator, approve, comment)
        db.session.commit()


def publish(app, slug: str, project_id=None, **fields):
    """Create, submit and approve a practice; returns (practice_id, published_id)."""
    from regionet.platform.practices.models import PublishedPractice

    practice_id = create_practice(app, slug, project_id, submit=True, **fields)
    decide(app, submission_of(app, slug, practice_id))
    with app.app_context():
        published_id = db.session.execute(select(PublishedPractice.id).where(
            PublishedPractice.practice_id == practice_id)).scalar_one()
    return practice_id, published_id


@contextmanager
def configured(app, **settings):
    previous = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                app.config.pop(key, None)
            else:
                app.config[key] = value
