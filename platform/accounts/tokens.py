"""Secrets sent to people (links, cookies): random, and stored only as their SHA-256."""
import hashlib
import secrets


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(token for the person, digest for the database)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)
