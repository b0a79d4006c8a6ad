"""Match records and keys hold document numbers as blind indexes, never in clear (decision 0013): file everyone again."""

from django.db import migrations


def reindex(apps, schema_editor):
    from homeward.matching import keys, profile

    Person = apps.get_model("people", "Person")
    MatchRecord = apps.get_model("matching", "MatchRecord")
    MatchKey = apps.get_model("matching", "MatchKey")
    MatchKey.objects.all().delete()
    MatchRecord.objects.all().delete()
    records, found = [], []
    people = Person.objects.filter(merged_into__isnull=True).order_by("pk").prefetch_related("documents")
    for person in people.iterator(chunk_size=2000):
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
    dependencies = [("matching", "0002_index_existing_people"), ("people", "0006_encrypt_at_rest")]
    # Backwards, the records keep their digests: `homeward matching index` files everyone again.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
