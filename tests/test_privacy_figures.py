"""Anonymisation keeps the figures: an accepted reporting period counts the same people, episodes
and participations before and after a person is anonymised (the pseudonym leaves the frozen facts,
the record's own id takes its place), and the figures recounted afterwards agree."""
from sqlalchemy import select

from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.figures.models import FigureParticipation
from regionet.tenants.participants.models import Participant
from regionet.tenants.privacy.erasure import do_anonymise_participant

from .coordinator_data import clean_region_tables, refresh_figures  # noqa: F401 (fixture)
from .test_coordinator_periods import MOPS, YEAR, _headline, _id, _open_period, _submission_url, _world


def test_an_accepted_periods_figures_are_the_same_after_an_anonymisation(app, client, auth):
    _world(app)
    period_id = _open_period(client, auth)
    auth.login_as(MOPS, "staff")
    assert client.post(_submission_url(client, MOPS) + "/submit").status_code == 302
    auth.logout()
    auth.login_coordinator()
    assert client.post(f"/r/swietokrzyskie/periods/{period_id}/institutions/{_id(app, MOPS)}/accept",
                       data={}).status_code == 302
    with app.app_context():
        refresh_figures()
        key = db.session.execute(select(ReportingPeriod.period_key)).scalar_one()
    accepted, year = _headline(client, key, "accepted"), _headline(client, str(YEAR))
    assert accepted["people"] != "—" and accepted["participations"] == "6"

    tenant = _id(app, MOPS)
    with app.app_context(), tenant_scope(tenant):
        person = db.session.execute(select(Participant).where(Participant.first_name == "Mops0")).scalar_one()
        pseudonym, person_id = person.pseudonym, person.id
        do_anonymise_participant(person)
        db.session.commit()
    with app.app_context():
        refresh_figures()
        with tenant_scope(tenant):
            keys = set(db.session.execute(select(FigureParticipation.person_key).where(
                FigureParticipation.participant_id == person_id)).scalars())
            assert keys == {f"p:{person_id}"}, "the pseudonym is gone from every period's facts, frozen ones too"
            assert pseudonym not in set(db.session.execute(select(FigureParticipation.person_key)).scalars())
    assert _headline(client, key, "accepted") == accepted, "the accepted period's figures changed"
    assert _headline(client, str(YEAR)) == year, "the recounted figures count the person once, as before"
