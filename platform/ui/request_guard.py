"""One gate for what a request may carry, before any view (or extension) reads it.

A NUL byte in a search parameter reached PostgreSQL ("text fields cannot contain NUL") and gave a
500 on every list page; bytes that are not UTF-8 were silently turned into other characters; an
oversized field or header reached the views. Instead of each page defending itself, every
request passes here first and gets the Polish 400 page when:

* its path, query string or form fields are not valid UTF-8 (also a U+FFFD, which is what a
  decoder leaves of broken bytes), or hold a NUL or another control character (forms may hold
  line breaks and tabs; the other control characters, which Word pastes as line breaks, are
  turned into line breaks or dropped, so what people typed is kept);
* a header, the address, a query value or a form field is longer than any real one (the limits
  below; a whole upload over MAX_CONTENT_LENGTH stays the 413 page).

File contents are judged by the pages that accept files; file names are checked here.
"""
import re
from urllib.parse import parse_qsl

from flask import Flask, render_template, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

MAX_HEADER_BYTES = 8192          # one header (gunicorn.conf.py lets 16 KB through so that this page answers)
MAX_HEADERS_BYTES = 32768        # all of them
MAX_PATH_CHARS = 2048
MAX_QUERY_CHARS = 4096
MAX_QUERY_VALUE_CHARS = 1000     # a search, a filter, a page number
MAX_FIELD_BYTES = 100_000        # one form field (the longest text the forms accept is 10,000 characters)

FORBIDDEN_IN_ADDRESS = re.compile("[\x00-\x1f\x7f]")
FORBIDDEN_IN_FIELD = re.compile("\x00")
BROKEN = "\ufffd"   # what a decoder leaves of bytes that are not UTF-8
PASTED_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BadInput(BadRequest):
    """A request the platform does not read; `reason` picks the sentence of the Polish page."""

    def __init__(self, reason: str):
        super().__init__(description=reason)
        self.reason = reason


def init_request_guard(app: Flask) -> None:
    # First of all before-request functions: CSRF protection and the rate limiter read the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    app.register_error_handler(BadInput, _bad_input_page)


def _bad_input_page(error: BadInput):
    return render_template("errors/error.html", code=400, reason=error.reason), 400


def check_request() -> None:
    _check_headers()
    _check_address()
    if request.method in BODY_METHODS:
        _check_form()


def _check_headers() -> None:
    total = 0
    for name, value in request.headers.items():
        size = len(name) + len(value)
        if len(value) > MAX_HEADER_BYTES:
            raise BadInput("too_long")
        total += size
    if total > MAX_HEADERS_BYTES:
        raise BadInput("too_long")


def _wsgi_text(value: str) -> str:
    """A WSGI string (bytes as latin-1) as the UTF-8 text it must be."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise BadInput("encoding") from None


def _check_address() -> None:
    path = _wsgi_text(request.environ.get("PATH_INFO", ""))
    if len(path) > MAX_PATH_CHARS:
        raise BadInput("too_long")
    _check_text(path, FORBIDDEN_IN_ADDRESS)
    query = _wsgi_text(request.environ.get("QUERY_STRING", ""))
    if len(query) > MAX_QUERY_CHARS:
        raise BadInput("too_long")
    for name, value in _strict_pairs(query):
        if len(value) > MAX_QUERY_VALUE_CHARS or len(name) > MAX_QUERY_VALUE_CHARS:
            raise BadInput("too_long")
        _check_text(name, FORBIDDEN_IN_ADDRESS)
        _check_text(value, FORBIDDEN_IN_ADDRESS)


def _check_text(text: str, forbidden: re.Pattern) -> None:
    if BROKEN in text:
        raise BadInput("encoding")
    if forbidden.search(text):
        raise BadInput("characters")


def _strict_pairs(encoded: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(encoded, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadInput("encoding") from None


def _check_form() -> None:
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        raw = request.get_data(cache=True)   # the form is parsed again from the cached body
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput("encoding") from None
        _strict_pairs(body)   # percent-escapes that do not make UTF-8 (werkzeug would keep them as text)
    elif mimetype != "multipart/form-data":
        return
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        if request.content_length and request.content_length > (request.max_content_length or 0):
            raise   # the upload as a whole: the 413 page names the file size limit
        raise BadInput("too_long") from None
    cleaned, changed = [], False
    for name, value in form.items(multi=True):
        if len(value.encode("utf-8")) > MAX_FIELD_BYTES or len(name) > MAX_QUERY_VALUE_CHARS:
            raise BadInput("too_long")
        _check_text(name, FORBIDDEN_IN_ADDRESS)
        _check_text(value, FORBIDDEN_IN_FIELD)
        kept = PASTED_CONTROLS.sub(_pasted_control, value)
        changed = changed or kept != value
        cleaned.append((name, kept))
    for upload in files.values():
        _check_text(upload.filename or "", FORBIDDEN_IN_ADDRESS)
    if changed:
        request.__dict__["form"] = ImmutableMultiDict(cleaned)   # what the views and Flask-WTF read


def _pasted_control(match: re.Match) -> str:
    return "\n" if match.group() in "\x0b\x0c" else ""
