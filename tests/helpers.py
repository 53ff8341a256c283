"""Test helpers shared by the suites."""
import re
from contextlib import contextmanager

from regionet.platform.demo.seed import demo_login, institution_login


class AuthActions:
    def __init__(self, client, password: str):
        self._client = client
        self._password = password

    def login(self, email: str, password: str | None = None, **kwargs):
        return self._client.post("/login", data={"email": email, "password": password or self._password}, **kwargs)

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
