"""``homeward encryption newkey|rotate``: make keys; re-encrypt every field and file under the first key.

Rotation, step by step (docs/decisions/0013-encryption-at-rest.md):
  1. ``homeward encryption newkey``, put the new key first: HOMEWARD_ENCRYPTION_KEYS=new,old; restart.
  2. ``homeward encryption rotate``: every encrypted value and file is re-encrypted with the new key.
  3. Drop the old key from HOMEWARD_ENCRYPTION_KEYS; restart.
Rotating runs in batches, each in its own transaction, and can be run again at any time: what is already
under the first key is left alone, so a second run reports nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from homeward.core import crypto
from homeward.core.fields import encrypted_fields, transform_column
from homeward.core.files import EncryptedFileSystemStorage


def _rotated(value: str) -> str | None:
    token = value.encode("ascii")
    if crypto.under_first_key(token):
        return None
    return crypto.rotate_token(token).decode("ascii")


def rotate_fields(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column under the first key; ``{"app.Model.field": rows changed}``."""
    counts = {}
    for model in apps.get_models():
        for field in encrypted_fields(model):
            with transaction.atomic():
                counts[f"{model._meta.label}.{field.name}"] = transform_column(
                    connection, model._meta.db_table, model._meta.pk.column, field.column, _rotated, batch=batch
                )
    return counts


def refresh_digests() -> int:
    """Recompute the documents' blind indexes (after a change of HOMEWARD_INDEX_KEY) and refile those people."""
    from homeward.matching import indexing
    from homeward.people.models import IdentityDocument, Person

    stale: set[int] = set()
    with transaction.atomic():
        for document in IdentityDocument.objects.only("pk", "person_id", "number", "number_digest").iterator():
            digest = crypto.document_digest(document.number)
            if digest != document.number_digest:
                IdentityDocument.objects.filter(pk=document.pk).update(number_digest=digest)
                stale.add(document.person_id)
        for person in Person.objects.filter(pk__in=stale):
            indexing.index_person(person)
    return len(stale)


def rotate_files() -> tuple[int, int]:
    """(files re-encrypted or encrypted for the first time, files in all)."""
    wrapped = storages["private"]
    if not isinstance(wrapped, EncryptedFileSystemStorage):
        raise CommandError(
            "STORAGES['private'] does not encrypt: it must be homeward.core.files.EncryptedFileSystemStorage."
        )
    changed = total = 0
    for name in list(wrapped.all_names()):
        total += 1
        changed += wrapped.reencrypt(name)
    return changed, total


class Command(BaseCommand):
    help = "Encryption at rest: make a key (newkey), or re-encrypt every field and file with the first key (rotate)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        newkey = sub.add_parser("newkey", help="Print a new key for HOMEWARD_ENCRYPTION_KEYS.")
        newkey.add_argument("--index", action="store_true", help="A key for HOMEWARD_INDEX_KEY instead.")
        rotate = sub.add_parser("rotate", help="Re-encrypt every encrypted field and file with the first key.")
        rotate.add_argument("--batch", type=int, default=500, help="Rows per query (default 500).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "newkey":
            self.stdout.write(crypto.new_index_key() if options["index"] else crypto.new_key())
            return
        counts = rotate_fields(batch=options["batch"])
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        refiled = refresh_digests()
        changed, total = rotate_files()
        self.stdout.write(f"Fields: {sum(counts.values())} values re-encrypted.")
        self.stdout.write(f"Documents: {refiled} people's blind indexes recomputed.")
        self.stdout.write(self.style.SUCCESS(f"Files: {changed} of {total} re-encrypted."))
