"""A report recounts only what changed since the figures were last counted (PostgreSQL).

The region's figures of a period, each institution's facts and each catalogue entry's
figures carry what they were counted from (records versions, thresholds, submission
states); a report's collection reuses what is still current and recounts the rest, and
what it publishes is the same either way.
"""
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from regionet.platform.coordinator import queries
from regionet.platform.coordinator.models import RegionFigureStatus
from regionet.platform.coordinator.refresh import do_refresh_period_now
from regionet.platform.demo.records import CohortSpec, do_create_project_records
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.practices.models import PublishedPractice
from regionet.platform.regional_reports import dataset as report_dataset
from regionet.platform.regional_reports.periods import coordinator_period, current_quarter, quarter_of, whole_quarter
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.projects.models import Project
from regionet.workers.queues import DEFAULT

from .practices_support import clean_region_tables, configured, institution_id, make_project, publish  # noqa: F401

MOPR = "mopr-kielce"


def quarter_start() -> date:
    return current_quarter(today_in_poland()).start


def figures_period():
    return coordinator_period("26", current_quarter(today_in_poland()))[0]


def add_records(app, slug: str, project_id, participants: int, seed: int) -> None:
    with app.app_context(), tenant_scope(institution_id(app, slug)):
        project = db.session.execute(select(Project).where(Project.id == project_id)).scalar_one()
        do_create_project_records(project, CohortSpec(participants=participants, entry=quarter_start()), seed=seed)
        db.session.commit()


def recount(app) -> tuple[int, object]:
    """Bring the current quarter's figures up to date; (institutions rebuilt, the period's refresh time)."""
    with app.app_context():
        period = figures_period()
        rebuilt = do_refresh_period_now("26", period)
        status = db.session.get(RegionFigureStatus, ("26", period.key))
        return rebuilt, status.refreshed_at


def people_in_quarter(app) -> int:
    with app.app_context():
        return queries.one_way_figures("26", figures_period().key, "all")[("people", "")][""]


def active_institutions(app) -> int:
    with app.app_context():
        return len(db.session.execute(select(Institution.id).where(
            Institution.region_code == "26", Institution.is_active.is_(True))).all())


def test_a_recount_redoes_only_the_institutions_whose_records_changed(app):
    project_id = make_project(app, MOPR, CohortSpec(participants=4, entry=quarter_start()))
    rebuilt, first = recount(app)
    assert rebuilt == active_institutions(app), "nothing was built yet: every institution is counted"
    assert people_in_quarter(app) == 4

    rebuilt, second = recount(app)
    assert rebuilt == 0 and second == first, "no record changed: no institution rebuilt, the region not recounted"

    add_records(app, MOPR, project_id, 3, seed=5)
    rebuilt, third = recount(app)
    assert rebuilt == 1 and third > second
    assert people_in_quarter(app) == 7

    with app.app_context():   # the thresholds are part of what the figures were counted with
        _set_threshold(4)
    try:
        rebuilt, fourth = recount(app)
        assert rebuilt == 0 and fourth > third
    finally:
        with app.app_context():
            _set_threshold(3)


def _set_threshold(normal: int) -> None:
    """Through the operator's function (the runtime role may not UPDATE thresholds: migration 0015);
    not through regions.thresholds, which would also queue a recount for the worker tests."""
    from sqlalchemy import text

    from regionet.platform.accounts.models import User

    operator = db.session.execute(select(User).where(User.is_operator.is_(True))).scalars().first()
    db.session.execute(text("SELECT figures_api.set_region_thresholds('26', :n, 5, :actor, 'test: stamp')"),
                       {"n": normal, "actor": operator.id})
    db.session.commit()


@pytest.fixture
def counted_entries(monkeypatch):
    """The entries whose figures a report's collection counts from the records (the rest it reuses)."""
    counted = []
    original = report_dataset.count_entries_figures

    def counting(institution_id, entries, rules, as_of):
        counted.extend(entry.id for entry in entries)
        return original(institution_id, entries, rules, as_of)

    monkeypatch.setattr(report_dataset, "count_entries_figures", counting)
    return counted


def collect(app) -> dict:
    with app.app_context():
        collected = report_dataset.collect_regional_dataset(db.session.get(Region, "26"), current_quarter(today_in_poland()))
        db.session.commit()
        return collected


def participants_cell(dataset: dict, title: str) -> dict:
    practice = next(p for p in dataset["practices"] if p["content"]["title"] == title)
    return next(row["cell"] for row in practice["figures"]["rows"] if row["key"] == "participants_total")


def test_a_report_reuses_current_entry_figures_and_recounts_those_behind(app, counted_entries):
    kielce = make_project(app, MOPR, CohortSpec(participants=6))
    skarzysko = make_project(app, "mops-skarzysko-kamienna", CohortSpec(participants=5))
    _practice, kielce_entry = publish(app, MOPR, project_id=kielce, title="Praktyka z Kielc")
    _practice, skarzysko_entry = publish(app, "mops-skarzysko-kamienna", project_id=skarzysko,
                                         title="Praktyka ze Skarżyska")

    first = collect(app)   # published figures carry no records version yet: both are counted
    assert set(counted_entries) == {kielce_entry, skarzysko_entry}
    assert participants_cell(first, "Praktyka z Kielc") == {"value": 6}

    counted_entries.clear()
    again = collect(app)
    assert counted_entries == [], "nothing changed: the catalogue's figures are current"
    assert report_dataset.dataset_sha256(again) == report_dataset.dataset_sha256(first), \
        "reused figures publish exactly what counting gives"

    add_records(app, MOPR, kielce, 2, seed=3)
    counted_entries.clear()
    changed = collect(app)
    assert counted_entries == [kielce_entry], "only the institution whose records changed"
    assert participants_cell(changed, "Praktyka z Kielc") == {"value": 8}
    assert participants_cell(changed, "Praktyka ze Skarżyska") == {"value": 5}


def test_the_figures_job_of_a_real_worker_brings_the_catalogue_entry_up_to_date(app, pg_database, counted_entries):
    from .test_worker import worker_env

    project_id = make_project(app, MOPR, CohortSpec(participants=6))
    _practice, entry_id = publish(app, MOPR, project_id=project_id, title="Praktyka z Kielc")
    with configured(app, FIGURES_REFRESH_DELAY=0):
        add_records(app, MOPR, project_id, 4, seed=8)   # schedules the institution's figures job
        env = worker_env(app, pg_database) | {"FIGURES_REFRESH_DELAY": "0"}
        result = subprocess.run([sys.executable, "-m", "regionet.workers", DEFAULT, "--burst"], env=env,
                                capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    with app.app_context():
        entry = db.session.get(PublishedPractice, entry_id)
        total = next(r["cell"] for r in entry.figures["rows"] if r["key"] == "participants_total")
        assert total == {"value": 10} and entry.figures_records_version is not None
    assert participants_cell(collect(app), "Praktyka z Kielc") == {"value": 10}
    assert counted_entries == [], "the report found the entry's figures current"


def test_figures_of_an_earlier_day_are_the_report_s_own_and_leave_the_catalogue_as_it_is(app, counted_entries):
    project_id = make_project(app, MOPR, CohortSpec(participants=6))
    _practice, entry_id = publish(app, MOPR, project_id=project_id, title="Praktyka z Kielc")
    previous = whole_quarter(*quarter_of(current_quarter(today_in_poland()).start - timedelta(days=1)))
    with app.app_context():   # published long ago: in the previous quarter's catalogue too
        db.session.execute(update(PublishedPractice).where(PublishedPractice.id == entry_id)
                           .values(published_at=datetime.now(UTC) - timedelta(days=400)))
        db.session.commit()
    collect(app)
    counted_entries.clear()
    with app.app_context():
        report_dataset.collect_regional_dataset(db.session.get(Region, "26"), previous)
        db.session.commit()
        entry = db.session.get(PublishedPractice, entry_id)
        assert counted_entries == [entry_id], "figures as of the quarter's last day are counted for the report"
        assert entry.figures_as_of == today_in_poland(), "the catalogue keeps today's figures"
