"""File every person recorded before matching existed (``homeward matching index`` does it again)."""

from django.db import migrations


def index(apps, schema_editor):
    from homeward.matching import keys, profile

    Person = apps.get_model("people", "Person")
    MatchRecord = apps.get_model("matching", "MatchRecord")
    MatchKey = apps.get_model("matching", "MatchKey")
    records, found = [], []
    for person in (
        Person.objects.filter(merged_into__isnull=True).prefetch_related("documents").iterator(chunk_size=2000)
    ):
        p = profile.of_person(person, [d.number for d in person.documents.all()])
        records.append(MatchRecord(person_id=person.pk, **p.as_row()))
        found += [MatchKey(person_id=person.pk, key=k, birth_year=p.birth_year) for k in keys.name_keys(p)]
        found += [MatchKey(person_id=person.pk, key=k) for k in keys.identity_keys(p)]
        if len(records) >= 2000:
            MatchRecord.objects.bulk_create(records)
            MatchKey.objects.bulk_create(found)
            records, found = [], []
    MatchRecord.objects.bulk_create(records)
    MatchKey.objects.bulk_create(found)


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]
    operations = [migrations.RunPython(index, migrations.RunPython.noop)]
