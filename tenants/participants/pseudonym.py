"""Keyed pseudonyms of PESEL numbers, to count a person once across institutions.

pseudonym = HMAC-SHA256(region key, PESEL), where the region key is derived from the
server's PSEUDONYM_SECRET and the region's TERYT code. The secret never leaves the
server (it is not in the database), so the pseudonyms cannot be reversed by trying
every PESEL without it. Pseudonyms are never shown on a page or exported.
"""
import hashlib
import hmac

from flask import current_app


def region_key(region_code: str) -> bytes:
    master = current_app.config["PSEUDONYM_SECRET"].encode()
    return hmac.new(master, b"regionet/pseudonym/region/" + region_code.encode(), hashlib.sha256).digest()


def pseudonym_for(pesel: str | None, region_code: str) -> str | None:
    if not pesel:
        return None
    return hmac.new(region_key(region_code), pesel.encode(), hashlib.sha256).hexdigest()
