"""Encrypt the most sensitive fields at rest, and redact their values in the audit log (decision 0013)."""

from django.db import migrations

import homeward.core.fields
from homeward.core.fields import encrypt_columns


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("health", "0002_member_kept"),
    ]

    operations = [
        migrations.AlterField(
            model_name="fittotravelexam",
            name="notes",
            field=homeward.core.fields.EncryptedTextField(blank=True, verbose_name="conditions and notes"),
        ),
        migrations.AlterField(
            model_name="medicalappointment",
            name="outcome",
            field=homeward.core.fields.EncryptedTextField(blank=True, verbose_name="outcome"),
        ),
        migrations.AlterField(
            model_name="medicalreferral",
            name="answer",
            field=homeward.core.fields.EncryptedTextField(blank=True, verbose_name="answer"),
        ),
        migrations.AlterField(
            model_name="medicalreferral",
            name="reason",
            field=homeward.core.fields.EncryptedTextField(verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="medicine",
            name="note",
            field=homeward.core.fields.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        encrypt_columns(
            "health",
            {
                "FitToTravelExam": ["notes"],
                "MedicalAppointment": ["outcome"],
                "MedicalReferral": ["reason", "answer"],
                "Medicine": ["note"],
            },
        ),
    ]
