"""The one error type services raise, with the one shape pages and the API show."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    """A write was refused: ``message`` for the person, ``fields`` for the form.

    ``fields`` maps a field name (or ``members.2.birth_year`` for nested input)
    to a list of translated messages.
    """

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.fields = {key: [str(m) for m in msgs] for key, msgs in (fields or {}).items()}

    @classmethod
    def from_validation_error(cls, message: str, error: ValidationError, prefix: str = "") -> ServiceError:
        """Re-key a Django ValidationError's messages, e.g. under ``members.2.``."""
        if hasattr(error, "error_dict"):
            return cls(message, {f"{prefix}{key}": msgs for key, msgs in error.message_dict.items()})
        return cls(message, {f"{prefix}__all__": error.messages})
