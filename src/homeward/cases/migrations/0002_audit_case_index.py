"""Index the audit log by the case an entry was written through (PostgreSQL).

The case history filters ``additional_data -> 'case_id'``; without this index
every case page would scan the whole audit log. SQLite deployments are small
and compile the lookup to an expression no index matches, so they go without.
"""

from django.db import migrations

INDEX = "homeward_logentry_case_id"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auditlog_logentry ((additional_data -> 'case_id'))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(create, drop)]
