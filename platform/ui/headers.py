"""Security headers on every response.

* `Cache-Control: no-store` on everything but the static files: every page, export, file and photo
  of the platform may show personal data, and a browser that keeps one shows it again after
  sign-out to whoever uses the machine next (practice photos were kept for an hour);
* `Strict-Transport-Security` when the session cookie is HTTPS-only (`SESSION_COOKIE_SECURE`):
  the browser then never asks over plain HTTP again (`HSTS_MAX_AGE`, a year by default);
* a Content-Security-Policy that allows only the platform's own scripts, styles and images and
  no framing, `X-Frame-Options: DENY` for older browsers, `nosniff`, a same-origin referrer, no
  access to camera, microphone or location, and a browsing context of its own.
"""
from flask import Flask, current_app, request

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CSP,
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_security_headers(app: Flask) -> None:
    app.after_request(security_headers)


def security_headers(response):
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Whatever a view said (a photo asked for an hour): nothing personal stays in a browser's cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = f"max-age={int(current_app.config['HSTS_MAX_AGE'])}"
    return response
