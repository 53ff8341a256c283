"""Column types shared by the models."""
import enum

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.Enum], name: str, length: int = 32) -> Enum:
    """A Python enum stored as its string values, with a CHECK constraint (portable across databases)."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e],
                validate_strings=True, create_constraint=True, name=name)


def as_utc(value):
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive ones, stored in UTC)."""
    from datetime import UTC

    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)
