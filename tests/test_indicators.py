"""Indicators computed from records: the figures a KIS report quotes, rebuilt from people and outcomes.

"219 unemployed people, 42 of them with disabilities; 53 found work: 25 through internships,
28 on employment contracts" (MOPS Siemianowice Śląskie, KIS 2013–2015).
"""
import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import LabourStatus, SensitiveAnswer, Sex
from regionet.tenants.projects.models import ProjectTarget
from regionet.tenants.support.models import (
    Enrolment,
    Instrument,
    Outcome,
    OutcomeKind,
    SupportEpisode,
)

from .helpers import visible_text
from .test_isolation import TENANT_A, _institution_id
from .workspace_data import participant, project

ENTRY = date(2013, 7, 1)
EXIT = date(2014, 3, 31)


def _build_kis(app) -> str:
    """219 participants (42 with disabilities); 53 took up work: 25 after internships, 28 on contracts."""
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        kis = project()
        kis.targets = [ProjectTarget(indicator="participants_total", target_value=Decimal(200)),
                       ProjectTarget(indicator="employed", target_value=Decimal(60)),
                       ProjectTarget(indicator="employment_rate", target_value=Decimal(25))]
        other = project(code="INNY-1")
        db.session.add_all([kis, other])
        for i in range(219):
            female = i % 2 == 0
            person = participant(first="Anna" if female else "Jan", last=f"Osoba{i:03d}",
                                 birth=date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                                 sex=Sex.FEMALE if female else Sex.MALE, serial=i,
                                 status=LabourStatus.LONG_TERM_UNEMPLOYED if i % 3 else LabourStatus.REGISTERED_UNEMPLOYED,
                                 disability=SensitiveAnswer.YES if i < 42 else
                                 SensitiveAnswer.REFUSED if i < 49 else SensitiveAnswer.NO)
            enrolment = Enrolment(project=kis, participant=person, entry_date=ENTRY, exit_date=EXIT,
                                  status_at_entry=person.labour_status)
            db.session.add(enrolment)
            db.session.add(SupportEpisode(enrolment=enrolment, instrument=Instrument.KIS, start_date=ENTRY,
                                          end_date=EXIT, hours=Decimal(40)))
            if i < 25:
                db.session.add(SupportEpisode(enrolment=enrolment, instrument=Instrument.INTERNSHIP,
                                              start_date=date(2013, 9, 1), end_date=date(2014, 2, 28),
                                              hours=Decimal(960)))
                # 3 of them found the job later than 4 weeks after leaving, but within 6 months
                days = 60 if i < 3 else 10
                db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.INTERNSHIP_TO_JOB,
                                       achieved_on=EXIT + timedelta(days=days), evidence="umowa po stażu"))
            elif i < 53:
                db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.EMPLOYMENT_CONTRACT,
                                       achieved_on=EXIT + timedelta(days=20), evidence="umowa o pracę"))
                if i < 30:  # a second outcome of the same people must not count them twice
                    db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.QUALIFICATION,
                                           achieved_on=EXIT - timedelta(days=30)))
            if i < 5:  # the same people in another project, with work there: not this project's result
                other_enrolment = Enrolment(project=other, participant=person, entry_date=ENTRY,
                                            status_at_entry=person.labour_status)
                db.session.add(Outcome(enrolment=other_enrolment, kind=OutcomeKind.CIVIL_CONTRACT,
                                       achieved_on=date(2014, 1, 10)))
        db.session.commit()
        return str(kis.id)


def _cell(html: str, table_id: str, row_label: str) -> str:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.DOTALL).group(0)
    for row in re.findall(r"<tr>.*?</tr>", table, re.DOTALL):
        cells = [visible_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        if cells and cells[0] == row_label:
            return cells[1]
    raise AssertionError(f"no row {row_label!r} in #{table_id}")


def test_project_page_shows_the_kis_figures_computed_from_the_records(app, client, auth):
    project_id = _build_kis(app)
    auth.login_as(TENANT_A)
    html = client.get(f"/i/{TENANT_A}/projects/{project_id}").get_data(as_text=True)
    stat = {name: visible_text(re.search(rf'id="stat-{name}">(.*?)</p>', html, re.DOTALL).group(1)).split()[0]
            for name in ("participants", "disability", "employed")}
    assert stat == {"participants": "219", "disability": "42", "employed": "53"}
    assert _cell(html, "employment", "Zatrudnienie po stażu") == "25"
    assert _cell(html, "employment", "Podjęcie pracy: umowa o pracę") == "28"
    assert _cell(html, "employment", "Podjęcie pracy: umowa cywilnoprawna") == "0"
    assert _cell(html, "employment", "Osoby, które podjęły pracę (każda liczona raz)") == "53"
    assert _cell(html, "by-disability", "Tak") == "42"
    assert _cell(html, "by-disability", "Odmowa podania informacji") == "7"
    assert _cell(html, "by-disability", "Nie") == "170"
    assert _cell(html, "by-sex", "Kobiety") == "110" and _cell(html, "by-sex", "Mężczyźni") == "109"
    assert _cell(html, "by-status", "Osoba długotrwale bezrobotna") == "146"
    assert _cell(html, "by-instrument", "Staż") == "25"
    assert _cell(html, "by-instrument", "Klub integracji społecznej (KIS)") == "219"
    # 50 of the 219 who left were in work within 4 weeks: 22,8%; all 53 within 6 months.
    rate = visible_text(re.search(r'id="employment-rate">(.*?)</dl>', html, re.DOTALL).group(1))
    assert "do 4 tygodni od zakończenia udziału 50" in rate and "22,8%" in rate and "53 (24,2%)" in rate
    assert _cell(html, "targets", "Uczestnicy") == "219"
    targets = re.search(r'<table[^>]*id="targets".*?</table>', html, re.DOTALL).group(0)
    assert "109,5%" in visible_text(targets)   # 219 of 200
    assert "88,3%" in visible_text(targets)    # 53 of 60
    assert "91,3%" in visible_text(targets)    # 22,83% of 25%


def test_indicators_are_aggregated_by_the_database_not_loaded_row_by_row(app, client, auth):
    project_id = _build_kis(app)
    auth.login_as(TENANT_A)
    rows_returned = []

    def count_rows(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and cursor.description:
            rows_returned.append((cursor.rowcount, statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", count_rows)
    try:
        assert client.get(f"/i/{TENANT_A}/projects/{project_id}").status_code == 200
    finally:
        event.remove(engine, "after_cursor_execute", count_rows)
    assert rows_returned
    biggest = max(rows_returned)
    assert biggest[0] < 219 / 4, biggest  # no query returns a row per participant
    assert any("GROUP BY" in statement for _, statement in rows_returned)



def test_the_date_windows_in_sql_agree_with_the_python_rule(app):
    """Month ends included (31.03 + 6 months = 30.09), in the database as on the pages."""
    from regionet.tenants.indicators.queries import indicators_for_project

    from .workspace_data import participant as make_participant

    with app.app_context():
        with tenant_scope(_institution_id(app, TENANT_A)):
            kis = project()
            # exit 31.03.2014: within 4 weeks up to 28.04, within 6 months up to 30.09
            for n, achieved in enumerate((date(2014, 4, 28), date(2014, 9, 30), date(2014, 10, 1))):
                person = make_participant(last=f"Osoba{n}", serial=n, birth=date(1990 - 20 * n, 6, 15))
                enrolment = Enrolment(project=kis, participant=person, entry_date=ENTRY, exit_date=EXIT,
                                      status_at_entry=person.labour_status)
                db.session.add(Outcome(enrolment=enrolment, kind=OutcomeKind.EMPLOYMENT_CONTRACT,
                                       achieved_on=achieved))
            db.session.commit()
            result = indicators_for_project(kis, date(2026, 1, 1))
            windows = [(o.within_four_weeks_of_exit, o.within_six_months_of_exit)
                       for o in db.session.execute(select(Outcome).order_by(Outcome.achieved_on)).scalars()]
    assert (result.participants, result.left, result.employed) == (3, 3, 3)
    assert (result.employed_within_4_weeks, result.employed_within_6_months) == (1, 2)
    assert windows == [(True, True), (False, True), (False, False)]  # the Python rule shown on pages agrees
    assert result.by_age == {"18_24": 1, "30_49": 1, "50_64": 1}  # born 1990, 1970, 1950; entry 01.07.2013
