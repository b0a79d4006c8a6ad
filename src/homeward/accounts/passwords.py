"""A password validator that estimates how guessable a password is (zxcvbn), not just its length.

zxcvbn knows common passwords, names, keyboard patterns, dates and l33t substitutions;
the user's own name, username and e-mail count as known words. Its English feedback is
not shown: our message is translated.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# zxcvbn's time grows quickly with length; the first characters decide whether it is guessable.
CHECKED_LENGTH = 72
USER_ATTRIBUTES = ("username", "first_name", "last_name", "email")


class ZxcvbnValidator:
    """Refuse passwords zxcvbn scores below ``min_score`` (0 to 4; 3: "safely unguessable" online)."""

    def __init__(self, min_score: int = 3, user_attributes: tuple[str, ...] = USER_ATTRIBUTES) -> None:
        self.min_score = min_score
        self.user_attributes = user_attributes

    def _user_inputs(self, user: Any) -> list[str]:
        inputs: list[str] = []
        for attribute in self.user_attributes:
            value = str(getattr(user, attribute, "") or "") if user is not None else ""
            if value:
                inputs.append(value)
                inputs.extend(part for part in value.replace("@", " ").replace(".", " ").split() if len(part) > 2)
        return inputs

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=self._user_inputs(user))
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess. Use a longer one, such as several unrelated "
                    "words, and avoid names, dates and keyboard patterns."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password must be hard to guess: several unrelated words are easier to remember and safer.")
