"""Referrals between institutions: the minimum data set, the closed loop, who sees what (ORM, HTTP
and row-level security), consent and its withdrawal, waiting too long, mail and the access trail."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text, update

from regionet.platform.extensions import db
from regionet.platform.mail.models import OutgoingMail
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import AccessRecord
from regionet.tenants.participants.models import Participant
from regionet.tenants.privacy.models import Consent
from regionet.tenants.referrals.models import Referral, ReferralEvent

from .helpers import visible_text
from .participant_helpers import ANNA_PESEL, add_participant
from .referral_support import MOPR, MOPS, OWES, PUP, anna, seed_catalogue, send, service_id, step
from .test_isolation import _institution_id

STAZ, DORADZTWO = "Staż u pracodawcy", "Doradztwo dla zakładających spółdzielnię socjalną"


@pytest.fixture
def catalogue(app):
    seed_catalogue(app)


def _referral_id(response) -> str:
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))[:1500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def _stored(app, slug, referral_id) -> Referral:
    with app.app_context(), tenant_scope(_institution_id(app, slug)):
        referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
        db.session.expunge(referral)
        return referral


def test_a_referral_to_the_pup_goes_round_the_whole_loop(app, client, auth, catalogue):
    person = anna(app)
    pup_anna = add_participant(app, PUP, first_name="Anna", last_name="Kowalska", pesel=ANNA_PESEL)
    auth.login_as(MOPS, "staff")
    preview = visible_text(client.get(f"/i/{MOPS}/referrals/new/{person.id}",
                                      query_string={"service_id": service_id(app, PUP, STAZ)}).get_data(as_text=True))
    assert ANNA_PESEL in preview and "600 100 200" in preview           # the data set, shown before sending
    assert "Słoneczna" not in preview and "wywiadu" not in preview       # nothing the service does not need
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    sent = _stored(app, MOPS, referral_id)
    assert sent.payload == {"first_name": "Anna", "last_name": "Kowalska", "pesel": ANNA_PESEL,
                            "phone": "600 100 200", "email": "anna.kowalska@example.pl",
                            "labour_status": "inactive"}
    assert sent.legal_basis == "statute" and "rynku pracy" in sent.legal_reference
    assert sent.due_on == today_in_poland() + timedelta(days=7)
    auth.logout()

    auth.login_as(PUP, "staff")
    inbox = visible_text(client.get(f"/i/{PUP}/referrals/").get_data(as_text=True))
    assert STAZ in inbox and "MOPS Skarżysko-Kamienna" in inbox
    page = visible_text(client.get(f"/i/{PUP}/referrals/{referral_id}").get_data(as_text=True))
    assert ANNA_PESEL in page and "wywiadu" not in page
    assert _stored(app, MOPS, referral_id).state == "received"
    # the receiver never sees the sender's file
    assert client.get(f"/i/{PUP}/participants/{person.id}").status_code == 404
    assert step(client, PUP, referral_id, "accept").status_code == 302
    assert step(client, PUP, referral_id, "start", on_day=today_in_poland().isoformat()).status_code == 302
    started = _stored(app, PUP, referral_id)
    assert started.state == "started" and started.receiver_participant_id == pup_anna.id   # linked by PESEL
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 1
    assert step(client, PUP, referral_id, "complete", result="employment_contract").status_code == 302
    auth.logout()

    auth.login_as(MOPS, "staff")
    record = visible_text(client.get(f"/i/{MOPS}/participants/{person.id}").get_data(as_text=True))
    assert STAZ in record and "umowa o pracę" in record.lower()
    for state in ("Wysłano", "Wpłynęło", "Zaakceptowane", "Rozpoczęte", "Zakończone"):
        assert state in record, state
    assert f"Skierowanie do usługi {STAZ} (PUP Skarżysko-Kamienna): Zakończone" in record   # the timeline
    # the sender sees the state and the result, never the receiver's record of the person
    assert client.get(f"/i/{MOPS}/participants/{pup_anna.id}").status_code == 404
    assert step(client, MOPS, referral_id, "close").status_code == 302
    assert _stored(app, MOPS, referral_id).state == "closed"
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        events = db.session.execute(select(ReferralEvent.state).where(ReferralEvent.referral_id == referral_id)
                                    .order_by(ReferralEvent.at)).scalars().all()
    assert events == ["sent", "received", "accepted", "started", "completed", "closed"]


def test_steps_are_taken_only_by_their_side_and_in_order(app, client, auth, catalogue):
    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    assert step(client, MOPS, referral_id, "accept").status_code == 422      # the sender cannot accept
    response = step(client, MOPS, referral_id, "close")
    assert response.status_code == 422 and "nie jest możliwy" in response.get_data(as_text=True)
    auth.logout()
    auth.login_as(PUP, "staff")
    assert step(client, PUP, referral_id, "complete", result="employment_contract").status_code == 422
    response = step(client, PUP, referral_id, "decline", reason="")
    assert response.status_code == 422
    found = re.search(r'id="decline-reason-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert found and "Wybierz powód" in found.group(1)
    assert _stored(app, MOPS, referral_id).state == "sent"   # nothing was changed by the refused steps


def test_a_third_institution_sees_nothing_of_a_referral(app, client, auth, catalogue, pg_database):
    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    auth.logout()
    auth.login_as(OWES, "staff")
    assert client.get(f"/i/{OWES}/referrals/{referral_id}").status_code == 404
    assert step(client, OWES, referral_id, "accept").status_code == 404
    for path in ("/referrals/", "/referrals/outgoing"):
        assert STAZ not in client.get(f"/i/{OWES}{path}").get_data(as_text=True)
    with app.app_context(), tenant_scope(_institution_id(app, OWES)):
        assert db.session.execute(select(Referral)).first() is None
        assert db.session.execute(select(ReferralEvent)).first() is None
    # PostgreSQL on its own: the parties see the row, a third institution and no institution nothing.
    engine = create_engine(pg_database["app"])
    try:
        for slug, expected in ((MOPS, 1), (PUP, 1), (OWES, 0), (None, 0)):
            with engine.begin() as conn:
                if slug:
                    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"),
                                 {"t": str(_institution_id(app, slug))})
                assert conn.execute(text("SELECT count(*) FROM referrals")).scalar_one() == expected, slug
                assert conn.execute(text("SELECT count(*) FROM referral_events")).scalar_one() == expected, slug
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(_institution_id(app, OWES))})
            assert conn.execute(text("UPDATE referrals SET state = 'closed'")).rowcount == 0
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text(
                    "INSERT INTO referral_events (tenant_id, id, receiver_tenant_id, referral_id, state,"
                    " actor_tenant_id) VALUES (:s, gen_random_uuid(), :r, :ref, 'closed', :o)"),
                    {"s": _institution_id(app, MOPS), "r": _institution_id(app, PUP), "ref": referral_id,
                     "o": _institution_id(app, OWES)})
        with engine.begin() as conn:  # the receiver may change the referral, not delete it
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(_institution_id(app, PUP))})
            assert conn.execute(text("DELETE FROM referrals")).rowcount == 0
    finally:
        engine.dispose()


def test_a_consent_service_needs_a_recorded_consent_and_withdrawing_it_stops_the_sharing(app, client, auth,
                                                                                         catalogue):
    person = anna(app)
    advice = service_id(app, OWES, DORADZTWO)
    auth.login_as(MOPS, "staff")
    response = send(client, person.id, advice, reason="", eligibility="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("reason", "eligibility", "consent_given_on", "consent_notice", "consent_evidence"):
        assert re.search(rf'id="{field}-error">', html), field
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        assert db.session.execute(select(Referral)).first() is None
        assert db.session.execute(select(Consent)).first() is None
    referral_id = _referral_id(send(client, person.id, advice, consent_given_on=today_in_poland().isoformat(),
                                    consent_notice="Klauzula 2026/1", consent_evidence="formularz nr 12/2026"))
    sent = _stored(app, MOPS, referral_id)
    assert sent.legal_basis == "consent" and sent.consent_id is not None
    assert sent.consent_notice == "Klauzula 2026/1" and sent.consent_evidence == "formularz nr 12/2026"
    assert set(sent.payload) == {"first_name", "last_name", "phone", "email", "eligibility"}
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        consent = db.session.execute(select(Consent)).scalar_one()
        assert consent.purpose == "referral" and consent.basis == "consent" and consent.withdrawn_on is None
    response = step(client, MOPS, referral_id, "withdraw_consent", comment="Telefonicznie, 4.12.2026")
    assert response.status_code == 302
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        assert db.session.execute(select(Consent.withdrawn_on)).scalar_one() == today_in_poland()
    withdrawn = _stored(app, MOPS, referral_id)
    assert withdrawn.state == "withdrawn" and withdrawn.payload == {}
    auth.logout()
    auth.login_as(OWES, "staff")
    page = visible_text(client.get(f"/i/{OWES}/referrals/{referral_id}").get_data(as_text=True))
    assert "Kowalska" not in page and "nie są już udostępniane" in page


def test_a_declined_referral_can_point_to_another_service(app, client, auth, catalogue):
    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    auth.logout()
    auth.login_as(PUP, "staff")
    kis = service_id(app, MOPR, "Warsztaty Klubu Integracji Społecznej")
    assert step(client, PUP, referral_id, "decline", reason="not_eligible", comment="Najpierw KIS.",
                redirect_service_id=str(kis)).status_code == 302
    auth.logout()
    auth.login_as(MOPS, "staff")
    html = client.get(f"/i/{MOPS}/referrals/{referral_id}").get_data(as_text=True)
    assert "Najpierw KIS." in html and f"service_id={kis}" in html


def test_waiting_too_long_is_flagged_on_both_sides_and_can_be_escalated(app, client, auth, catalogue):
    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        db.session.execute(update(Referral).values(due_on=today_in_poland() - timedelta(days=1)))
        db.session.commit()
    outgoing = visible_text(client.get(f"/i/{MOPS}/referrals/outgoing").get_data(as_text=True))
    assert "czeka zbyt długo" in outgoing
    assert step(client, MOPS, referral_id, "escalate", comment="Proszę o decyzję.").status_code == 302
    assert _stored(app, MOPS, referral_id).escalated_at is not None
    auth.logout()
    auth.login_as(PUP, "staff")
    home = client.get(f"/i/{PUP}/").get_data(as_text=True)
    assert re.search(r'badge--count">1<', home)                       # the count in the top bar
    listed = visible_text(client.get(f"/i/{PUP}/referrals/", query_string={"waiting": "overdue"})
                          .get_data(as_text=True))
    assert STAZ in listed and "eskalowane" in listed


def test_mail_names_the_service_never_the_person_and_views_are_in_both_trails(app, client, auth, catalogue):
    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    with app.app_context():
        mail = db.session.execute(select(OutgoingMail).where(
            OutgoingMail.body_text.contains(referral_id))).scalar_one()
        assert mail.to_address == "aktywizacja@pup-skarzysko.example.pl"
        assert STAZ in mail.subject and referral_id in mail.body_text
        assert "Kowalska" not in mail.body_text and ANNA_PESEL not in mail.body_text
    auth.logout()
    auth.login_as(PUP, "staff")
    client.get(f"/i/{PUP}/referrals/{referral_id}")
    for slug in (MOPS, PUP):
        with app.app_context(), tenant_scope(_institution_id(app, slug)):
            details = db.session.execute(select(AccessRecord.detail).where(
                AccessRecord.subject_type == "referral", AccessRecord.subject_id == referral_id)).scalars().all()
        assert f"{STAZ} · PUP Skarżysko-Kamienna" in details, slug


def test_withdrawing_the_consent_elsewhere_or_anonymising_the_person_stops_the_sharing(app, client, auth, catalogue):
    from regionet.tenants.privacy.erasure import do_anonymise_participant

    first, second = anna(app), anna(app, first_name="Ewa", last_name="Nowak", pesel=None)
    advice = service_id(app, OWES, DORADZTWO)
    consent = {"consent_given_on": today_in_poland().isoformat(), "consent_notice": "Klauzula 2026/1",
               "consent_evidence": "formularz nr 12/2026"}
    auth.login_as(MOPS, "staff")
    by_consent = _referral_id(send(client, first.id, advice, **consent))
    by_person = _referral_id(send(client, second.id, advice, **consent))
    mops = _institution_id(app, MOPS)
    with app.app_context(), tenant_scope(mops):   # as the privacy pages record a withdrawal
        db.session.execute(select(Consent).where(Consent.participant_id == first.id)).scalar_one() \
            .withdrawn_on = today_in_poland()
        db.session.commit()
        do_anonymise_participant(db.session.get(Participant, (mops, second.id)))
        db.session.commit()
    assert _stored(app, MOPS, by_consent).state == "withdrawn" and _stored(app, MOPS, by_consent).payload == {}
    assert _stored(app, OWES, by_person).payload == {}


def test_the_demo_has_referrals_in_every_state_and_seeds_them_once(app, client, auth):
    from regionet.platform.demo.referrals import do_seed_demo_referrals
    from regionet.platform.demo.workspace import do_seed_demo_workspaces

    with app.app_context():
        do_seed_demo_workspaces(today_in_poland())
    seed_catalogue(app)
    with app.app_context():
        assert do_seed_demo_referrals(today_in_poland()) == ["9 referrals between the demo institutions"]
        assert do_seed_demo_referrals(today_in_poland()) == []
    states = set()
    for slug in (MOPS, "gops-blizyn"):
        with app.app_context(), tenant_scope(_institution_id(app, slug)):
            states |= set(db.session.execute(select(Referral.state).where(
                Referral.tenant_id == _institution_id(app, slug))).scalars())
    assert states == {"received", "accepted", "declined", "started", "ended_early", "closed", "withdrawn", "sent"}
    auth.login_as(MOPR, "staff")
    listed = visible_text(client.get(f"/i/{MOPR}/referrals/", query_string={"waiting": "overdue"})
                          .get_data(as_text=True))
    assert "GOPS Bliżyn" in listed and "czeka zbyt długo" in listed


def test_the_receiver_changes_only_what_it_records(app, client, auth, catalogue):
    from regionet.platform.tenancy import CrossTenantWrite

    person = anna(app)
    auth.login_as(MOPS, "staff")
    referral_id = _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    with app.app_context(), tenant_scope(_institution_id(app, PUP)):
        referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
        referral.payload = {"first_name": "Zmieniona"}
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()
        referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
        db.session.delete(referral)
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()
        referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
        referral.stop_comment = "Brak miejsc do stycznia."     # what the receiver records: allowed
        db.session.commit()
    assert _stored(app, MOPS, referral_id).payload["first_name"] == "Anna"


def _badge_on_participant_list(client, slug: str) -> str | None:
    html = client.get(f"/i/{slug}/participants/").get_data(as_text=True)
    found = re.search(r'badge--count">(\d+)<', html)
    return found.group(1) if found else None


def test_the_participant_list_shows_a_new_referral_in_the_badge_at_once(app, client, auth, catalogue):
    """The list reads the badge's counts in the round trip of its own total: never a stale count."""
    person = anna(app)
    auth.login_as(PUP, "staff")
    assert _badge_on_participant_list(client, PUP) is None
    auth.logout()
    auth.login_as(MOPS, "staff")
    _referral_id(send(client, person.id, service_id(app, PUP, STAZ)))
    auth.logout()
    auth.login_as(PUP, "staff")
    assert _badge_on_participant_list(client, PUP) == "1"          # the very next page, no cache to wait for
    assert _badge_on_participant_list(client, PUP) == "1"
    auth.logout()
    auth.login_as(MOPS, "staff")                                     # the sender has nothing waiting for it
    assert _badge_on_participant_list(client, MOPS) is None
