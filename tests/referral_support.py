"""Shared steps of the referral tests: the demo catalogue, a person, sending and stepping."""
from sqlalchemy import select

from regionet.platform.demo.services import do_seed_demo_services
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.service_catalogue.models import Service

from .participant_helpers import ANNA_PESEL, add_participant
from .test_isolation import _institution_id

MOPS, PUP, OWES, MOPR = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce", "mopr-kielce"


def seed_catalogue(app) -> None:
    with app.app_context():
        do_seed_demo_services(today_in_poland())


def service_id(app, owner: str, name: str):
    with app.app_context(), tenant_scope(_institution_id(app, owner)):
        return db.session.execute(select(Service.id).where(
            Service.tenant_id == _institution_id(app, owner), Service.name == name)).scalar_one()


def anna(app, slug=MOPS, **fields):
    values = dict(first_name="Anna", last_name="Kowalska", pesel=ANNA_PESEL, street="ul. Słoneczna 4",
                  phone="600 100 200", email="anna.kowalska@example.pl", notes="Notatka z wywiadu środowiskowego")
    values.update(fields)
    return add_participant(app, slug, **values)


def send(client, participant_id, service, slug=MOPS, **fields):
    data = {"service_id": str(service), "reason": "Długotrwale bezrobotna, chce wrócić do pracy.",
            "urgency": "normal", "eligibility": "osoba długotrwale bezrobotna"}
    data.update(fields)
    return client.post(f"/i/{slug}/referrals/new/{participant_id}?service_id={service}", data=data)


def step(client, slug, referral_id, name, **fields):
    return client.post(f"/i/{slug}/referrals/{referral_id}/step", data={"step": name, **fields})
