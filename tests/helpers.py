"""Test helpers shared by the suites."""
import re
import time
from contextlib import contextmanager

import pyotp

from regionet.platform.demo.seed import demo_login, institution_login


class TotpClock:
    """The clock the second factor reads in tests (installed by conftest for the whole run).

    A code is accepted once per 30-second step, and many tests sign the same demo administrator
    in: each second-factor sign-in of the helpers moves this clock on by one step, as waiting
    would.
    """

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def next_code(self, secret: str) -> str:
        self.offset += 30
        return pyotp.TOTP(secret).at(self())


TOTP_CLOCK = TotpClock()


def totp_secret(app, email: str) -> str | None:
    """The user's authenticator secret, as their phone holds it."""
    from sqlalchemy import select

    from regionet.platform.accounts.models import User
    from regionet.platform.accounts.second_factor import SecondFactor
    from regionet.platform.extensions import db

    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == email.strip().lower())).scalar_one()
        factor = db.session.get(SecondFactor, user_id)
        return factor.secret if factor is not None else None


def complete_second_factor(client, email: str, response):
    """Finish a sign-in that stopped at the second factor (or at its forced setup)."""
    app = client.application
    if "/login/second-factor/setup" in response.location:
        client.get("/login/second-factor/setup")
        return client.post("/login/second-factor/setup",
                           data={"code": TOTP_CLOCK.next_code(totp_secret(app, email))})
    return client.post("/login/second-factor", data={"code": TOTP_CLOCK.next_code(totp_secret(app, email))})


class AuthActions:
    def __init__(self, client, password: str):
        self._client = client
        self._password = password

    def login(self, email: str, password: str | None = None, **kwargs):
        """Sign in, giving the second factor when the account asks for it (the final response)."""
        response = self._client.post("/login", data={"email": email, "password": password or self._password},
                                     **kwargs)
        if response.status_code == 302 and "/login/second-factor" in response.location:
            response = complete_second_factor(self._client, email, response)
        return response

    def login_as(self, slug: str, role: str = "admin"):
        response = self.login(institution_login(slug, role, 1))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def login_coordinator(self):
        return self.login(demo_login("koordynator.rops"))

    def login_operator(self):
        return self.login(demo_login("operator"))

    def logout(self):
        return self._client.post("/logout")


@contextmanager
def fast_password_hashing():
    """Argon2 with minimal cost while seeding many test accounts (the algorithm stays the same)."""
    from argon2 import PasswordHasher

    from regionet.platform.accounts import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        yield
    finally:
        passwords._hasher = original


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
