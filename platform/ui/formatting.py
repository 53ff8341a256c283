"""Polish-first formats for numbers, money and dates (904 150,00 zł; 21.07.2026)."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import current_app, g, has_app_context
from flask_babel import format_currency, format_decimal, get_locale, get_translations

DATE_PATTERNS = {"pl": "%d.%m.%Y", "en": "%d/%m/%Y"}
DATETIME_PATTERNS = {"pl": "%d.%m.%Y, %H:%M", "en": "%d/%m/%Y, %H:%M"}


def current_language() -> str:
    """The language of the current request or job, cheaply: list pages format hundreds of values.

    Flask-Babel keeps the selected (or forced) locale on its per-context namespace in `g`.
    """
    if not has_app_context():
        return "pl"
    babel_context = g.get("_flask_babel")
    locale = getattr(babel_context, "babel_locale", None) if babel_context is not None else None
    if locale is None:
        locale = get_locale()
    return locale.language if locale is not None else "pl"


def to_local_time(value: datetime) -> datetime:
    """A stored time in the platform's time zone (naive values, as SQLite returns them, are UTC)."""
    zone_name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Warsaw") if has_app_context() \
        else "Europe/Warsaw"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(zone_name))  # ZoneInfo caches its instances


def today_in_poland() -> date:
    """Today where the institutions are (the platform's time zone), not the server's.

    The one source of "today" for rules and defaults: from 23:00 UTC (22:00 in summer) the
    server's date is still yesterday in Poland.
    """
    return to_local_time(datetime.now(UTC)).date()


_GROUP_SYMBOLS: dict[str, str] = {}
_DECIMAL_SYMBOLS: dict[str, str] = {}
_TRANSLATIONS: dict[str, object] = {}


def _group_symbol(language: str) -> str:
    symbol = _GROUP_SYMBOLS.get(language)
    if symbol is None:
        symbol = _GROUP_SYMBOLS[language] = get_group_symbol(language)
    return symbol


def _decimal_symbol(language: str) -> str:
    symbol = _DECIMAL_SYMBOLS.get(language)
    if symbol is None:
        symbol = _DECIMAL_SYMBOLS[language] = get_decimal_symbol(language)
    return symbol


def translations():
    """The current language's catalogue, looked up once per language (templates call `_` often)."""
    language = current_language()
    found = _TRANSLATIONS.get(language)
    if found is None:
        found = get_translations()
        if has_app_context():  # outside one Flask-Babel answers with empty translations
            _TRANSLATIONS[language] = found
    return found


def format_number(value: int | float | Decimal | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    if digits is None and type(value) is int:
        # Whole numbers (list totals, counts) grouped as Babel groups them, without its per-call
        # pattern and locale parsing: 20 154 (with a no-break space) in Polish, 20,154 in English.
        return f"{value:,}".replace(",", _group_symbol(current_language()))
    if digits is not None and isinstance(value, (int, Decimal)):
        # The same with a fixed number of decimal places (rates, amounts), rounded half to even
        # as Babel rounds: 42,9 / 1 234,50.
        language = current_language()
        text = f"{Decimal(value):,.{digits}f}"
        return text.replace(",", "\0").replace(".", _decimal_symbol(language)).replace("\0", _group_symbol(language))
    if digits is not None:
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(value)


def format_money(value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    return format_currency(value, "PLN")


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = to_local_time(value).date()
    return value.strftime(DATE_PATTERNS[current_language()])


def day_formatter():
    """`format_day` with the language and time zone looked up once: for a list's hundreds of dates."""
    pattern = DATE_PATTERNS[current_language()]
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Warsaw") if has_app_context()
                    else "Europe/Warsaw")

    def day(value: date | datetime | None) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone).date()
        return value.strftime(pattern)

    return day


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = to_local_time(value)
    return local.strftime(DATETIME_PATTERNS[current_language()])


def register_filters(app) -> None:
    from .urls import row_url

    app.jinja_env.filters.update(
        number=format_number, money=format_money, day=format_day, datetime=format_datetime)
    app.jinja_env.globals["row_url"] = row_url
