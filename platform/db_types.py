"""Column types shared by the models."""
import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def str_enum(enum_class: type[enum.Enum], name: str, length: int = 32) -> Enum:
    """A Python enum stored as its string values, with a CHECK constraint (portable across databases)."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True, name=name)


class NaiveTimestamp(ValueError):
    """A datetime without a time zone was given where a point in time is stored or compared."""


class Timestamp(TypeDecorator):
    """A point in time: `timestamptz` in PostgreSQL, an aware datetime in Python.

    Every stored timestamp uses it (tests/test_timestamps.py checks the models and the schema).
    A naive datetime is refused when bound, whether it is written or compared, because its
    meaning depends on the clock of whoever made it: use `datetime.now(UTC)`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise NaiveTimestamp(f"naive datetime {value.isoformat()} where an aware one is required")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.utcoffset() is None:
            raise NaiveTimestamp(f"the database returned a naive timestamp {value.isoformat()}")
        return value
