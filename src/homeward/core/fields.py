"""Model fields whose values are encrypted at rest (``core.crypto``).

The column holds a Fernet token (a random IV each time: the same note twice is
two different tokens), so the database, its dumps and its backups show no
plaintext. The model, forms and validation see the plaintext and keep the
user-facing ``max_length``; the column itself is unbounded text, as a token is
longer than its plaintext. An empty value is stored empty.

An encrypted column cannot be searched, ordered or made unique in SQL: every
lookup but ``isnull`` raises, so a filter that would silently find nothing
fails loudly instead. Equality, where needed, goes through a blind index
(``IdentityDocument.number_digest``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from homeward.core import crypto

ALLOWED_LOOKUPS = {"isnull"}
# What the audit log keeps of an encrypted field's old and new value: that it changed, nothing else.
REDACTED = "••••"


class EncryptedMixin:
    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        value = super().get_db_prep_save(value, connection)  # type: ignore[misc]
        if value is None:
            return None
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched with "  # type: ignore[attr-defined]
                f"'{lookup_name}' (compare a blind index instead, see core/crypto.py)."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField encrypted at rest; ``max_length`` bounds the plaintext (forms, validation), not the column."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField encrypted at rest."""


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def is_encrypted(field: Any) -> bool:
    return bool(getattr(field, "encrypted", False))


# Migrations: encrypting the existing rows of a model's columns, and redacting their audit entries.


def _rows(connection: Any, table: str, pk: str, column: str, batch: int) -> Iterable[list[tuple[Any, str]]]:
    quote = connection.ops.quote_name
    last = None
    while True:
        with connection.cursor() as cursor:
            where = f"WHERE {quote(pk)} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} {where}"  # noqa: S608 - quoted names
                f"ORDER BY {quote(pk)} LIMIT {int(batch)}",
                [last] if last is not None else [],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def transform_column(connection: Any, table: str, pk: str, column: str, change: Any, *, batch: int = 500) -> int:
    """Apply ``change`` (token or plaintext in, new value or None for no change out) to every non-empty value."""
    quote = connection.ops.quote_name
    count = 0
    for rows in _rows(connection, table, pk, column, batch):
        updates = [(new, key) for key, value in rows if value and (new := change(value)) is not None]
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s",  # noqa: S608
                    updates,
                )
        count += len(updates)
    return count


def _encrypt_legacy(value: str) -> str | None:
    if value.startswith(crypto.TOKEN_PREFIX):
        try:
            crypto.decrypt(value)
            return None  # already encrypted (a migration run again)
        except crypto.InvalidToken:
            pass
    return crypto.encrypt(value)


def _decrypt(value: str) -> str | None:
    try:
        return crypto.decrypt(value)
    except crypto.InvalidToken:
        return None  # not a token: already plaintext


def encrypt_columns(app_label: str, fields: dict[str, list[str]]) -> Any:
    """A RunPython operation that encrypts ``{model: [field, …]}`` of ``app_label`` (reverse: decrypts), and
    redacts the values of those fields in the audit log (not undone: the log never gets its plaintext back)."""
    from django.db import migrations

    def run(apps: Any, schema_editor: Any, change: Any, redact: bool) -> None:
        connection = schema_editor.connection
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            table, pk = model._meta.db_table, model._meta.pk.column
            for name in names:
                transform_column(connection, table, pk, model._meta.get_field(name).column, change)
            if redact:
                redact_audit_log(apps, app_label, model_name, names)

    def forwards(apps: Any, schema_editor: Any) -> None:
        run(apps, schema_editor, _encrypt_legacy, True)

    def backwards(apps: Any, schema_editor: Any) -> None:
        run(apps, schema_editor, _decrypt, False)

    return migrations.RunPython(forwards, backwards, elidable=False)


def redact_audit_log(apps: Any, app_label: str, model_name: str, names: list[str]) -> int:
    """Replace the old and new values of ``names`` in the audit entries of a model by ``REDACTED``."""
    try:
        LogEntry = apps.get_model("auditlog", "LogEntry")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return 0
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name.lower()).first()
    if content_type is None:
        return 0
    count = 0
    for entry in LogEntry.objects.filter(content_type_id=content_type.pk).iterator(chunk_size=500):
        changes = entry.changes
        if isinstance(changes, str):  # auditlog before 3 kept JSON text
            import json

            changes = json.loads(changes or "{}")
        if not isinstance(changes, dict) or not set(names) & set(changes):
            continue
        for name in set(names) & set(changes):
            changes[name] = [REDACTED if v not in (None, "", "None") else v for v in changes[name]]
        entry.changes = changes
        text = entry.changes_text or ""
        if any(name in text for name in names):
            entry.changes_text = ""
        entry.save(update_fields=["changes", "changes_text"])
        count += 1
    return count


def redacted(value: str) -> str:
    """The audit log's mask of an encrypted field (``core.audit.register``): changed, no value."""
    return REDACTED if value not in ("", "None") else value
