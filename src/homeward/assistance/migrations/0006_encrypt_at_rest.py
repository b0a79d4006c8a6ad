"""Encrypt the most sensitive fields at rest, and redact their values in the audit log (decision 0013)."""

from django.db import migrations

import homeward.core.fields
from homeward.core.fields import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("assistance", "0005_invoice_override_reason"),
    ]

    operations = [
        migrations.AlterField(
            model_name="provider",
            name="account_holder",
            field=homeward.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="account holder"),
        ),
        migrations.AlterField(
            model_name="provider",
            name="account_number",
            field=homeward.core.fields.EncryptedCharField(
                blank=True, max_length=40, verbose_name="IBAN or account number"
            ),
        ),
        migrations.AlterField(
            model_name="provider",
            name="bank_name",
            field=homeward.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="bank"),
        ),
        migrations.AlterField(
            model_name="provider",
            name="swift_bic",
            field=homeward.core.fields.EncryptedCharField(blank=True, max_length=11, verbose_name="SWIFT/BIC"),
        ),
        encrypt_columns("assistance", {"Provider": ["account_holder", "bank_name", "account_number", "swift_bic"]}),
    ]
