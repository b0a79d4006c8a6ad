"""The one error type services raise, with the one shape pages and the API show."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A write was refused: ``message`` for the person, ``fields`` for the form.

    ``fields`` maps a field name (or ``members.2.birth_year`` for nested input)
    to a list of translated messages.
    """

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.fields = {key: [str(m) for m in msgs] for key, msgs in (fields or {}).items()}

    def in_one_line(self) -> str:
        """The refusal in one line, for a flash message: the summary and what each field says."""
        parts = [self.message]
        for messages in self.fields.values():
            parts += [m for m in messages if m not in parts]
        return " ".join(parts)

    @classmethod
    def from_validation_error(cls, message: str, error: ValidationError, prefix: str = "") -> ServiceError:
        """Re-key a Django ValidationError's messages, e.g. under ``members.2.``."""
        if hasattr(error, "error_dict"):
            return cls(message, {f"{prefix}{key}": msgs for key, msgs in error.message_dict.items()})
        return cls(message, {f"{prefix}__all__": error.messages})


class FieldErrors(dict[str, list[str]]):
    """What is wrong with a service's input, field by field, collected before anything is written."""

    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(str(message))

    def not_future(self, name: str, value: dt.date | None) -> None:
        if value is not None and value > timezone.localdate():
            self.add(name, _("The date cannot be in the future."))

    def raise_if_any(self) -> None:
        """Refuse with every message at its field; one thing wrong is said as it is, several are summed up."""
        messages = [m for msgs in self.values() for m in msgs]
        if len(messages) == 1:
            raise ServiceError(messages[0], dict(self))
        if messages:
            raise ServiceError(_("Nothing was saved: check the fields marked."), dict(self))
