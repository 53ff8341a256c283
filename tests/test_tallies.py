"""Tallies kept by triggers (migration 0010): the participant list's total and the records version
that the project page's counts are reused under, followed through every kind of write."""
import re
from datetime import date

from sqlalchemy import delete, func, insert, literal, null, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.support.models import Enrolment, Outcome, OutcomeKind
from regionet.tenants.tallies.queries import participant_total_for_tenant, records_version_for_tenant

from .helpers import visible_text
from .participant_helpers import BASE, add_participant
from .test_isolation import TENANT_A, TENANT_B, _institution_id
from .workspace_data import participant, project


def _total_shown(client, query: str = "") -> str:
    html = client.get(f"{BASE}/{query}").get_data(as_text=True)
    return re.search(r'class="pager__summary">([^<]*)<', html).group(1).split()[-1]


def _tally_and_count(app, slug=TENANT_A) -> tuple[int, int]:
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        return (participant_total_for_tenant(),
                db.session.execute(select(func.count()).select_from(Participant)).scalar_one())


def test_the_list_total_follows_registrations_bulk_inserts_deletions_and_rollbacks(app, client, auth):
    auth.login_as(TENANT_A, "staff")
    assert _total_shown(client) == "0"
    first = add_participant(app, last_name="Adamska", sex=Sex.FEMALE)
    add_participant(app, last_name="Nowak")
    add_participant(app, TENANT_B, last_name="Obca")            # another institution's count
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        # A bulk INSERT ... SELECT as imports and the generator write: one statement, three rows.
        source = select(Participant.__table__).where(Participant.id == first.id).subquery()
        columns = [c.name for c in Participant.__table__.columns if c.computed is None]  # the database computes the rest
        for n in range(3):
            values = {c: source.c[c] for c in columns}
            values.update(id=func.gen_random_uuid(), pesel=null(), last_name=literal(f"Kopia{n}"))
            db.session.execute(insert(Participant).from_select(list(values), select(*values.values())))
        db.session.commit()
        db.session.add(participant(last="Wycofany", serial=77))
        db.session.flush()
        db.session.rollback()                                    # never committed: never counted
    assert _tally_and_count(app) == (5, 5) and _tally_and_count(app, TENANT_B) == (1, 1)
    assert _total_shown(client) == "5"
    assert _total_shown(client, "?sex=female") == "4"              # filtered lists are counted (copies of Adamska)
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(delete(Participant).where(Participant.last_name.like("Kopia%")))
        db.session.commit()
    assert _tally_and_count(app) == (2, 2)
    assert _total_shown(client) == "2"


def test_the_project_page_counts_again_after_any_change_to_its_records(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context(), tenant_scope(tenant):
        kis = project()
        person = participant()
        enrolment = Enrolment(project=kis, participant=person, entry_date=date(2013, 7, 1),
                              exit_date=date(2014, 3, 31), status_at_entry=person.labour_status)
        db.session.add_all([kis, enrolment])
        db.session.commit()
        project_id, enrolment_id = kis.id, enrolment.id
        before = records_version_for_tenant()
    auth.login_as(TENANT_A)

    def employed() -> str:
        html = client.get(f"/i/{TENANT_A}/projects/{project_id}").get_data(as_text=True)
        return visible_text(re.search(r'id="stat-employed">(.*?)</p>', html, re.DOTALL).group(1)).split()[0]

    assert employed() == "0" and employed() == "0"                 # the second view reuses the counts
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Outcome(tenant_id=tenant, enrolment_id=enrolment_id, kind=OutcomeKind.EMPLOYMENT_CONTRACT,
                               achieved_on=date(2014, 4, 10)))
        db.session.commit()
        assert records_version_for_tenant() > before
    assert employed() == "1"
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(delete(Outcome).where(Outcome.enrolment_id == enrolment_id))
        db.session.commit()
    assert employed() == "0"
