"""Encrypt the most sensitive fields at rest, and redact their values in the audit log (decision 0013)."""

from django.db import migrations

import homeward.core.fields
from homeward.core.fields import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("travel", "0002_traveldocumentrequest_embassy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="traveldocumentrequest",
            name="number",
            field=homeward.core.fields.EncryptedCharField(blank=True, max_length=40, verbose_name="document number"),
        ),
        encrypt_columns("travel", {"TravelDocumentRequest": ["number"]}),
    ]
