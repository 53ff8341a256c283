"""The MOPS's data-protection desk in the demo: its data-protection officer (the `iod` account of
seed.py) finds three requests of people of the MOPS's projects, one in each state a desk sees: a
rectification just received and assigned to a social worker, an erasure whose deadline was extended
with the reason (the ESF project's documents must be kept), and an access request answered with the
person's access file, whose export is in the access trail as the web page would have recorded it.

Through the requests' own writes (tenants/privacy/requests.py); once: nothing when the MOPS has any
request."""
from datetime import date, timedelta

from flask import g
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import Membership, MembershipRole, User
from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope

MOPS = "mops-skarzysko-kamienna"


def _member(institution: Institution, role: MembershipRole) -> User:
    return db.session.execute(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.institution_id == institution.id, Membership.role == role).order_by(User.id)).scalars().first()


def do_seed_demo_privacy(today: date) -> list[str]:
    from regionet.tenants.audit.models import AccessAction
    from regionet.tenants.audit.recording import record_access
    from regionet.tenants.participants.models import Participant
    from regionet.tenants.privacy import requests
    from regionet.tenants.privacy.models import SubjectRequest

    mops = db.session.execute(select(Institution).where(Institution.slug == MOPS)).scalar_one_or_none()
    if mops is None:
        return []
    with tenant_scope(mops.id):
        if db.session.execute(select(func.count()).select_from(SubjectRequest)).scalar_one():
            return []
        people = list(db.session.execute(select(Participant).order_by(Participant.last_name, Participant.first_name)
                                         .limit(3)).scalars())
        if len(people) < 3:
            return []
        worker, admin = _member(mops, MembershipRole.STAFF), _member(mops, MembershipRole.ADMIN)
        officer = _member(mops, MembershipRole.IOD) or admin

        def name(person):
            return f"{person.first_name} {person.last_name}"

        requests.do_register_request(
            name(people[0]), people[0].id, "rectification", today - timedelta(days=4),
            "Zmiana nazwiska po zawarciu związku małżeńskiego; osoba przedstawiła odpis aktu małżeństwa.",
            worker.id, officer.id)
        received = today - timedelta(days=40)
        erasure = requests.do_register_request(
            name(people[1]), people[1].id, "erasure", received,
            "Wniosek o usunięcie danych po zakończeniu udziału w projekcie „Nowe Szanse w MOPS”.",
            officer.id, officer.id)
        requests.do_extend_request(
            erasure, requests.add_months(received, 2),
            "Dokumentację projektu współfinansowanego z EFS trzeba przechowywać do końca okresu wskazanego w "
            "umowie o dofinansowanie: MOPS ustala go z instytucją pośredniczącą i wtedy wskaże, które dane "
            "usunie od razu, a które po upływie tego okresu.")
        access = requests.do_register_request(
            name(people[2]), people[2].id, "access", today - timedelta(days=20),
            "Prośba o informację, jakie dane MOPS przetwarza w związku z udziałem w projektach, i o ich kopię.",
            admin.id, officer.id)
        # The administrator prepared the access file: the page records the export in the access trail.
        g.acting_user_id = admin.id
        try:
            record_access(AccessAction.EXPORT, "participant", people[2].id, detail=_("Subject access file (PDF)"))
        finally:
            g.pop("acting_user_id", None)
        requests.do_close_request(access, "Przekazano osobie plik z jej danymi (PDF) za potwierdzeniem odbioru, z "
                                          "informacją o celach, podstawach prawnych i okresie przechowywania.")
    return [f"subject requests: {MOPS} (3)"]
