"""Encrypt the most sensitive fields at rest, and redact their values in the audit log (decision 0013)."""

from django.db import migrations

import homeward.core.fields
from homeward.core.fields import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("safeguarding", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="checklistitem",
            name="evidence",
            field=homeward.core.fields.EncryptedTextField(verbose_name="evidence"),
        ),
        encrypt_columns("safeguarding", {"ChecklistItem": ["evidence"]}),
    ]
