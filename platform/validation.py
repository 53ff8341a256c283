"""Validation errors raised by services: a field name and a message for the user."""
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ValidationFailed(Exception):
    """One or more fields are invalid; messages are already translated for the user."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())

    @classmethod
    def single(cls, field_name: str, message: str) -> "ValidationFailed":
        return cls({field_name: [message]})


def apply_to_form(form, failure: ValidationFailed) -> None:
    """Show service-level errors next to the form fields they concern."""
    for name, messages in failure.errors.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors = list(target.errors or []) + messages
        else:
            form.form_errors.extend(messages)


def violated_constraint(error) -> str | None:
    """The name of the constraint an IntegrityError from PostgreSQL broke."""
    diagnostics = getattr(getattr(error, "orig", None), "diag", None)
    return getattr(diagnostics, "constraint_name", None)


@contextmanager
def unique_or_error(constraints: dict[str, tuple[str, Callable[[], str]]]):
    """Run a flush or commit whose natural keys the database keeps unique; a violation of one of
    `constraints` ({name: (field, message)}) rolls the transaction back and becomes that field's
    error (the check before the write said it was free: someone else took it in the meantime)."""
    from sqlalchemy.exc import IntegrityError

    from .extensions import db

    try:
        yield
    except IntegrityError as error:
        found = constraints.get(violated_constraint(error))
        if found is None:
            raise
        db.session.rollback()
        raise ValidationFailed.single(found[0], found[1]()) from None
