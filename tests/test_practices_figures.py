"""A practice's results come from its project's records, and small counts never leave unsuppressed."""
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from regionet.platform.coordinator.disclosure import RegionRules, Rule, cell_text
from regionet.platform.demo.records import CohortSpec, do_create_project_records
from regionet.platform.extensions import db
from regionet.platform.practices.models import PublishedPractice
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.practices.figures import project_indicators_for_tenant, publishable_figures
from regionet.tenants.practices.presentation import rule_text
from regionet.tenants.projects.models import Project

from .practices_support import clean_region_tables, institution_id, make_project, publish  # noqa: F401

RULE = RegionRules(Rule(3), Rule(5, sensitive=True))
HIDDEN = {"value": None, "suppressed": True}
SPEC = CohortSpec(participants=14, women=2, disability=4, long_term_unemployed=9, aged_50_plus=6, exited=12,
                  employed_within_4_weeks=4, employed_later=3, qualified=1, independent=0,
                  instruments=(("kis", 14), ("internship", 2)))


@pytest.mark.parametrize(("cell", "expected"), [
    ({"value": 0}, "0"), ({"value": 1234}, "1234"), (HIDDEN, "x"), ({"value": 25.0, "percent": True}, "25,0%"),
    ({"value": None}, "—"), (None, "—"),
    # copies stored before the disclosure module print the same mark
    ({"value": None, "below": 3}, "x"), ({"value": None, "hidden": True}, "x")])
def test_stored_cells_print_the_disclosure_mark_old_copies_too(app, cell, expected):
    with app.test_request_context("/"):
        assert cell_text(cell).replace("\xa0", "") == expected


def test_the_rule_printed_with_figures_is_the_disclosure_module_s(app):
    with app.test_request_context("/"):
        text = rule_text({"threshold": 3, "sensitive_threshold": 5})   # the same JSON as older copies
        assert text == Rule(3).text() + " " + Rule(5, sensitive=True).text()
        assert "art. 38" in text and "5" in text


def _independent_counts(pg_database, tenant_id, project_id):
    """The same figures counted by hand in SQL, as the database administrator."""
    engine = create_engine(pg_database["admin"])
    with engine.connect() as conn:
        one = lambda sql: conn.execute(text(sql), {"t": tenant_id, "p": project_id}).scalar_one()  # noqa: E731
        enrolled = "FROM enrolments e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id" \
                   " WHERE e.tenant_id = :t AND e.project_id = :p"
        counts = {
            "participants_total": one(f"SELECT count(*) {enrolled}"),
            "participants_women": one(f"SELECT count(*) {enrolled} AND p.sex = 'female'"),
            "participants_disability": one(f"SELECT count(*) {enrolled} AND p.disability = 'yes'"),
            "participants_long_term_unemployed": one(
                f"SELECT count(*) {enrolled} AND e.status_at_entry = 'long_term_unemployed'"),
            "participants_50_plus": one(f"SELECT count(*) {enrolled} AND age(e.entry_date, p.birth_date) >= "
                                        "interval '50 years'"),
            "support_episodes": one("SELECT count(*) FROM support_episodes s JOIN enrolments e ON e.tenant_id ="
                                    " s.tenant_id AND e.id = s.enrolment_id WHERE e.tenant_id = :t"
                                    " AND e.project_id = :p"),
            "employed": one("SELECT count(DISTINCT e.id) FROM outcomes o JOIN enrolments e ON e.tenant_id ="
                            " o.tenant_id AND e.id = o.enrolment_id WHERE e.tenant_id = :t AND e.project_id = :p"
                            " AND o.kind IN ('employment_contract', 'civil_contract', 'self_employment',"
                            " 'internship_to_job')"),
            "qualified": one("SELECT count(DISTINCT e.id) FROM outcomes o JOIN enrolments e ON e.tenant_id ="
                             " o.tenant_id AND e.id = o.enrolment_id WHERE e.tenant_id = :t AND e.project_id = :p"
                             " AND o.kind = 'qualification'"),
            "independent_of_assistance": 0,
        }
    engine.dispose()
    return counts


def test_the_results_equal_the_records_and_small_cells_are_suppressed(app, pg_database):
    slug = "mopr-kielce"
    project_id = make_project(app, slug, SPEC, targets={"participants_total": 15, "employed": 6})
    tenant = institution_id(app, slug)
    with app.app_context(), tenant_scope(tenant):
        raw = project_indicators_for_tenant([project_id], today_in_poland())[project_id]
        published = publishable_figures(raw, RULE, today_in_poland())
    expected = _independent_counts(pg_database, tenant, project_id)
    assert expected == {"participants_total": 14, "participants_women": 2, "participants_disability": 4,
                        "participants_long_term_unemployed": 9, "participants_50_plus": 6, "support_episodes": 16,
                        "employed": 7, "qualified": 1, "independent_of_assistance": 0}
    assert {key: raw.actual(key) for key in expected} == expected
    cells = {row["key"]: row["cell"] for row in published["rows"]}
    assert cells["participants_total"] == {"value": 14}
    assert cells["participants_women"] == HIDDEN
    assert cells["participants_disability"] == HIDDEN, "health data: the stricter threshold (4 < 5)"
    assert cells["qualified"] == HIDDEN
    assert cells["employed"] == {"value": 7} and cells["independent_of_assistance"] == {"value": 0}
    assert cells["employment_rate"] == {"value": 33.3, "percent": True}   # 4 of 12 within 4 weeks of leaving
    assert {row["key"]: row["target"] for row in published["rows"]}["participants_total"] == 15
    assert published["by_instrument"] == [{"instrument": "internship", "cell": HIDDEN},
                                          {"instrument": "kis", "cell": {"value": 14}}]


def test_the_figures_are_counted_as_of_a_day(app):
    tenant = institution_id(app, "mopr-kielce")
    project_id = make_project(app, "mopr-kielce", CohortSpec(participants=5, entry=date(2020, 1, 6)))
    with app.app_context(), tenant_scope(tenant):
        assert project_indicators_for_tenant([project_id], date(2020, 1, 5))[project_id].participants == 0
        assert project_indicators_for_tenant([project_id], date(2020, 1, 12))[project_id].participants == 3
        assert project_indicators_for_tenant([project_id], date(2021, 1, 1))[project_id].participants == 5


def test_published_figures_stay_current_and_stored_copies_hold_no_small_value(app, client, auth, pg_database):
    slug = "mopr-kielce"
    project_id = make_project(app, slug, CohortSpec(participants=10, women=2))
    practice_id, published_id = publish(app, slug, project_id=project_id)
    with app.app_context():
        entry = db.session.get(PublishedPractice, published_id)
        assert {r["key"]: r["cell"] for r in entry.figures["rows"]}["participants_total"] == {"value": 10}
    # more people join the project; the owner's look at the practice refreshes the catalogue entry
    with app.app_context(), tenant_scope(institution_id(app, slug)):
        project = db.session.execute(select(Project).where(Project.id == project_id)).scalar_one()
        do_create_project_records(project, CohortSpec(participants=5, women=5,
                                                      entry=today_in_poland() - timedelta(days=90)), seed=3)
        db.session.commit()
    auth.login_as(slug)
    assert client.get(f"/i/{slug}/practices/{practice_id}").status_code == 200
    with app.app_context():
        db.session.expire_all()
        cells = {r["key"]: r["cell"] for r in db.session.get(PublishedPractice, published_id).figures["rows"]}
    assert cells["participants_total"] == {"value": 15} and cells["participants_women"] == {"value": 7}
    # no copy readable outside the institution stores a small count: the coordinator role reads them all
    engine = create_engine(pg_database["coordinator"])
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
        stored = {table: conn.execute(text(f"SELECT figures FROM {table}")).scalars().all()
                  for table in ("published_practices", "practice_submissions")}
    engine.dispose()
    cells = [row["cell"] for documents in stored.values() for doc in documents for row in doc["rows"]]
    assert cells and all(c.get("value") is None or c["value"] == 0 or c["value"] >= 3 for c in cells
                         if not c.get("percent")), cells
    submitted = {r["key"]: r["cell"] for r in stored["practice_submissions"][0]["rows"]}
    assert submitted["participants_women"] == HIDDEN


def test_a_part_beside_the_total_never_tells_a_small_rest():
    """Issue 11: total 12 and women 10 gave men = 2. Parts and total are protected together."""
    from regionet.platform.coordinator.linked import Line, LinkedSet, audit
    from regionet.tenants.practices.figures import PARTS_OF_TOTAL, _hidden_results

    counts = {"participants_total": 12, "participants_women": 10, "participants_disability": 0,
              "participants_long_term_unemployed": 12, "participants_50_plus": 7, "support_episodes": 30,
              "employed": 11, "qualified": 4, "independent_of_assistance": 0}
    hidden = _hidden_results(counts, RULE)
    assert "participants_women" in hidden and "employed" in hidden    # their rests (2 men, 1 not employed)
    assert "participants_total" not in hidden and "participants_50_plus" not in hidden
    assert "participants_long_term_unemployed" not in hidden           # a rest of 0 tells nothing new
    # the attacker: every printed part against the printed total; each small rest keeps two values at least
    cells = dict(counts)
    lines = []
    for key in PARTS_OF_TOTAL:
        cells[("rest", key)] = counts["participants_total"] - counts[key]
        lines.append(Line("participants_total", (key, ("rest", key))))
    rests = {("rest", key) for key in PARTS_OF_TOTAL if 0 < cells[("rest", key)] < 3}
    ranges = audit(LinkedSet(cells, lines, zero_floor=lambda key: 0), hidden | rests)
    assert all(high > low for low, high in ranges.values()), ranges
