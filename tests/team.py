"""A small institution of its own for the tests that change memberships and second factors
(the demo institutions' accounts are shared by the whole suite)."""
import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import pytest

from regionet.platform.accounts.models import MembershipRole
from regionet.platform.accounts.second_factor import SecondFactor
from regionet.platform.accounts.services import do_create_user, do_grant_membership
from regionet.platform.extensions import db
from regionet.platform.institutions.services import do_create_institution

from .helpers import fast_password_hashing

PASSWORD = "haslo-zespolu-2026"
_numbers = itertools.count(1)


@dataclass
class Team:
    slug: str
    institution_id: int
    admin: str
    staff: str
    admin_secret: str

    def login(self, client, email, password=PASSWORD):
        from .helpers import AuthActions

        return AuthActions(client, password).login(email)


def make_team(app, *, enrol_admin: bool = True) -> Team:
    tag = f"{next(_numbers)}{uuid.uuid4().hex[:6]}"
    with app.app_context(), fast_password_hashing():
        institution, _created = do_create_institution(
            region_code="26", name=f"Centrum Integracji Społecznej nr {tag}", short_name=f"CIS {tag}", kind="cis",
            teryt_code="2610032", slug=f"cis-{tag}")
        admin = do_create_user(f"admin-{tag}@cis.example", "Alicja Administratorka", PASSWORD)
        staff = do_create_user(f"pracownik-{tag}@cis.example", "Piotr Pracownik", PASSWORD)
        do_grant_membership(admin, institution.id, MembershipRole.ADMIN)
        do_grant_membership(staff, institution.id, MembershipRole.STAFF)
        secret = pyotp.random_base32()
        if enrol_admin:
            now = datetime.now(UTC)
            db.session.add(SecondFactor(user_id=admin.id, secret=secret, created_at=now, confirmed_at=now))
        db.session.commit()
        return Team(institution.slug, institution.id, admin.email, staff.email, secret)


@pytest.fixture
def team(app):
    return make_team(app)
