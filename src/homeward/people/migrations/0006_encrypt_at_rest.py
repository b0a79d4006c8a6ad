"""Encrypt document numbers and vulnerability notes at rest; documents are unique by the blind index of their
number (decision 0013). The audit log's values of those fields are redacted."""

import contextlib

from django.db import migrations, models

import homeward.core.fields
from homeward.core import crypto
from homeward.core.fields import encrypt_columns


def digests(apps, schema_editor):
    """The blind index of every number, computed before the numbers are encrypted."""
    connection = schema_editor.connection
    seen = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, person_id, kind, issuing_country, number FROM people_identitydocument ORDER BY id")
        rows = cursor.fetchall()
    updates = []
    for pk, person, kind, country, number in rows:
        with contextlib.suppress(crypto.InvalidToken):
            number = crypto.decrypt(number) if number.startswith(crypto.TOKEN_PREFIX) else number
        digest = crypto.document_digest(number)
        key = (person, kind, country, digest)
        if key in seen:
            # Written differently (spaces, dashes) but one document: the new constraint would refuse it.
            raise RuntimeError(
                f"Identity documents {seen[key]} and {pk} are the same document of person {person}: "
                "remove one of them, then migrate again."
            )
        seen[key] = pk
        updates.append((digest, pk))
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE people_identitydocument SET number_digest = %s WHERE id = %s", updates)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_merged_into_person_place_of_birth"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="identitydocument",
            name="document_once_per_person",
        ),
        migrations.AddField(
            model_name="identitydocument",
            name="number_digest",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="identitydocument",
            name="number",
            field=homeward.core.fields.EncryptedCharField(max_length=40, verbose_name="number"),
        ),
        migrations.AlterField(
            model_name="personvulnerability",
            name="note",
            field=homeward.core.fields.EncryptedCharField(blank=True, max_length=300, verbose_name="note"),
        ),
        migrations.RunPython(digests, migrations.RunPython.noop),
        encrypt_columns("people", {"IdentityDocument": ["number"], "PersonVulnerability": ["note"]}),
        migrations.AddConstraint(
            model_name="identitydocument",
            constraint=models.UniqueConstraint(
                fields=("person", "kind", "issuing_country", "number_digest"), name="document_once_per_person"
            ),
        ),
    ]
