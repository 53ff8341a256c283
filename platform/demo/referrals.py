"""Demo referrals between the demo institutions, in every state of the loop: the MOPS and the GOPS
send people to the PUP's internship and training, the OWES's advice and the MOPR's KIS workshops;
some are waiting (one too long), accepted, declined with another service suggested, started,
completed with a result, ended early, closed and withdrawn. Made through the same services as the
pages (tenants/referrals/services.py), each step in the scope of the side that takes it."""
from datetime import date, timedelta

from flask import g
from sqlalchemy import func, select, update

from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope

# (sender, receiver, service name, steps after sending; a step is (name, days after sending))
PLAN = (
    ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "Staż u pracodawcy",
     (("receive", 1), ("accept", 2), ("start", 10), ("complete", 120), ("close", 125))),
    ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "Szkolenie zawodowe (bon szkoleniowy)",
     (("receive", 1), ("accept", 3), ("start", 14))),
    ("mops-skarzysko-kamienna", "owes-kielce", "Doradztwo dla zakładających spółdzielnię socjalną",
     (("receive", 2), ("accept", 4))),
    ("mops-skarzysko-kamienna", "mopr-kielce", "Warsztaty Klubu Integracji Społecznej",
     (("receive", 1), ("decline", 3))),
    ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "Pośrednictwo pracy i poradnictwo zawodowe",
     (("receive", 1), ("accept", 1), ("start", 5), ("end", 40))),
    ("mops-skarzysko-kamienna", "owes-kielce", "Dotacja na utworzenie miejsca pracy w przedsiębiorstwie społecznym",
     ()),
    ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "Staż u pracodawcy", (("receive", 2),)),
    ("gops-blizyn", "pup-skarzysko-kamienna", "Staż u pracodawcy", (("withdraw", 3),)),
    ("gops-blizyn", "mopr-kielce", "Warsztaty Klubu Integracji Społecznej", ()),   # waiting too long
)
SENT_DAYS_AGO = (160, 60, 6, 20, 70, 2, 3, 30, 25)


def do_seed_demo_referrals(today: date) -> list[str]:
    """Seed the demo referrals once (when no demo institution has sent any)."""
    from regionet.tenants.referrals.models import Referral

    institutions = {i.slug: i for i in db.session.execute(select(Institution)).scalars()}
    if any(slug not in institutions for plan in PLAN for slug in plan[:2]):
        return []
    with tenant_scope(institutions[PLAN[0][0]].id):
        if db.session.execute(select(func.count()).select_from(Referral)).scalar_one():
            return []
    g.quiet_referrals = True
    try:
        made = [_referral(institutions, plan, n, today) for n, plan in enumerate(PLAN)]
    finally:
        g.quiet_referrals = False
    return [f"{len([m for m in made if m])} referrals between the demo institutions"]


def _referral(institutions, plan, n, today):
    from regionet.tenants.participants.models import Participant
    from regionet.tenants.referrals import services
    from regionet.tenants.referrals.models import Referral, ReferralEvent
    from regionet.tenants.service_catalogue.models import Service

    sender, receiver, service_name, steps = institutions[plan[0]], institutions[plan[1]], plan[2], plan[3]
    sent_on = today - timedelta(days=SENT_DAYS_AGO[n])
    with tenant_scope(sender.id):
        service = db.session.execute(select(Service).where(Service.tenant_id == receiver.id,
                                                           Service.name == service_name)).scalar_one_or_none()
        people = db.session.execute(select(Participant).where(Participant.tenant_id == sender.id)
                                    .order_by(Participant.created_at, Participant.id).offset(n).limit(1)).scalars()
        person = next(iter(people), None)
        if service is None or person is None:
            return None
        referral = services.do_send_referral(person, service.id, services.Request(
            "Osoba długotrwale bezrobotna, gotowa do aktywizacji.", "urgent" if n == 5 else "normal",
            "osoba długotrwale bezrobotna korzystająca z pomocy społecznej",
            services.ConsentGiven(sent_on, "Klauzula informacyjna 2026/1", f"formularz zgody nr {n + 1}/2026")))
        referral_id, person_data = referral.id, {c: getattr(person, c) for c in _COPIED}
        accept_days = service.accept_within_days
        db.session.commit()
    _backdate(sender.id, referral_id, sent_on, accept_days, today)
    for step, days in steps:
        side = sender if step in ("close", "withdraw") else receiver
        with tenant_scope(side.id):
            referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
            if step == "receive":
                services.do_mark_received(referral)
            else:
                given = services.StepInput(on_day=sent_on + timedelta(days=days))
                if step == "decline":
                    given.reason, given.comment = "not_eligible", "Klub przyjmuje mieszkańców Kielc; proponujemy doradztwo OWES."
                    given.redirect_service_id = _service_id(
                        sender.region_code, "Doradztwo dla zakładających spółdzielnię socjalną", exclude=receiver.id)
                if step == "start":
                    given.participant_id = _receivers_record(receiver.id, person_data, today)
                if step == "complete":
                    given.result = "employment_contract"
                if step == "end":
                    given.reason = "dropped_out"
                services.do_step(referral, step, given)
            db.session.flush()
            db.session.execute(update(ReferralEvent).where(
                ReferralEvent.referral_id == referral_id, ReferralEvent.at > func.now() - timedelta(minutes=1),
                ReferralEvent.state != "sent").values(at=func.now() - timedelta(days=SENT_DAYS_AGO[n] - days)))
            db.session.commit()
    return referral_id


_COPIED = ("first_name", "last_name", "pesel", "birth_date", "sex", "commune_code", "education", "labour_status",
           "disability", "migrant_or_minority", "homeless", "jobless_household")


def _backdate(sender_id, referral_id, sent_on, accept_days, today) -> None:
    from regionet.tenants.referrals.models import Referral, ReferralEvent

    with tenant_scope(sender_id):
        days = (today - sent_on).days
        db.session.execute(update(Referral).where(Referral.id == referral_id).values(
            sent_at=func.now() - timedelta(days=days), due_on=sent_on + timedelta(days=accept_days)))
        db.session.execute(update(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
                           .values(at=func.now() - timedelta(days=days)))
        db.session.commit()


def _service_id(region_code, name, exclude):
    from regionet.tenants.service_catalogue.models import Service

    return db.session.execute(select(Service.id).where(Service.region_code == region_code, Service.name == name,
                                                       Service.tenant_id != exclude)).scalars().first()


def _receivers_record(receiver_id, data, today):
    """The receiver's record of the person: the same PESEL if it has one, else registered now (as the
    receiver's staff would before recording the start)."""
    from regionet.tenants.participants.models import LegalBasis, Participant
    from regionet.tenants.participants.pseudonym import pseudonym_for

    found = db.session.execute(select(Participant.id).where(
        Participant.tenant_id == receiver_id, Participant.pesel == data["pesel"])).scalar_one_or_none() \
        if data["pesel"] else None
    if found:
        return found
    person = Participant(**data, pseudonym=pseudonym_for(data["pesel"], "26"), legal_basis=LegalBasis.CONSENT,
                         legal_basis_date=today, consent_given=True, consent_date=today)
    db.session.add(person)
    db.session.flush()
    return person.id
