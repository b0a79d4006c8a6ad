"""API tokens get a scope and an expiry; those that exist keep writing, for a year from now."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_expire_in_a_year(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        scope="write", expires_at=timezone.now() + dt.timedelta(days=365)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "read only"), ("write", "read and write")],
                default="write",
                max_length=8,
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(existing_tokens_expire_in_a_year, migrations.RunPython.noop),
    ]
