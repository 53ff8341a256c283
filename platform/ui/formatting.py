"""Polish-first formats for numbers, money and dates (904 150,00 zł; 21.07.2026)."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_currency, format_decimal, get_locale, to_user_timezone

DATE_PATTERNS = {"pl": "%d.%m.%Y", "en": "%d/%m/%Y"}
DATETIME_PATTERNS = {"pl": "%d.%m.%Y, %H:%M", "en": "%d/%m/%Y, %H:%M"}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "pl"


def format_number(value: int | float | Decimal | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
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
        value = to_user_timezone(value).date()
    return value.strftime(DATE_PATTERNS[_language()])


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = to_user_timezone(value)
    return local.strftime(DATETIME_PATTERNS[_language()])


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        number=format_number, money=format_money, day=format_day, datetime=format_datetime)
