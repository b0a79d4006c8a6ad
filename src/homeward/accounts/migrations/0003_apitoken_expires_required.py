# A migration of its own: on PostgreSQL a table cannot be altered in the transaction that just updated it.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_apitoken_scope_expiry")]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
