"""Validation errors raised by services: a field name and a message for the user."""
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
