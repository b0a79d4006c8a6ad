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
        if hasattr(error, "error_dict"):
            fields = {
                f"{prefix}{key}": [str(m) for e in errs for m in e.messages] for key, errs in error.error_dict.items()
            }
        else:
            fields = {f"{prefix}__all__": [str(m) for m in error.messages]}
        return cls(message, fields)

    def as_dict(self) -> dict[str, object]:
        return {"message": self.message, "fields": self.fields}
