"""Keeping each person's match record and blocking keys in step with the person.

Called by the people services after every write to a person or its documents, inside their
transaction, so a person is never findable by stale keys. A merged record is taken out.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeward.matching import keys, profile
from homeward.matching.models import MatchKey, MatchRecord
from homeward.people.models import Person


def rows_for(person: Person, documents: list[str] | None = None) -> tuple[MatchRecord, list[MatchKey]]:
    p = profile.of_person(person, documents)
    record = MatchRecord(person=person, **p.as_row())
    year = p.birth_year
    found = [MatchKey(person=person, key=k, birth_year=year) for k in sorted(keys.name_keys(p))]
    found += [MatchKey(person=person, key=k, birth_year=None) for k in sorted(keys.identity_keys(p))]
    return record, found


def index_person(person: Person) -> None:
    unindex([person.pk])
    if person.merged_into_id is not None:
        return
    record, found = rows_for(person)
    record.save(force_insert=True)
    MatchKey.objects.bulk_create(found)


def unindex(person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    MatchKey.objects.filter(person_id__in=ids).delete()
    MatchRecord.objects.filter(person_id__in=ids).delete()


def index_all(*, batch: int = 2000) -> int:
    """Rebuild every record and key (after an upgrade changed the rules); returns how many persons."""
    MatchKey.objects.all().delete()
    MatchRecord.objects.all().delete()
    # Neither merged records nor anonymised persons (nobody can be recognised in them any more).
    people = Person.objects.filter(merged_into__isnull=True, anonymisation__isnull=True)
    people = people.order_by("pk").prefetch_related("documents")
    count = 0
    records: list[MatchRecord] = []
    found: list[MatchKey] = []
    for person in people.iterator(chunk_size=batch):
        record, person_keys = rows_for(person, [d.number for d in person.documents.all()])
        records.append(record)
        found += person_keys
        count += 1
        if len(records) >= batch:
            MatchRecord.objects.bulk_create(records)
            MatchKey.objects.bulk_create(found)
            records, found = [], []
    MatchRecord.objects.bulk_create(records)
    MatchKey.objects.bulk_create(found)
    return count
