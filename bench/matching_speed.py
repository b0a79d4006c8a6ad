"""Speed of matching on PostgreSQL: the duplicate check of one new registration against N persons
(one client, then 8 at once), the batch duplicate run, and Splink 5 (DuckDB) deduplicating the
same records, side by side.

``.venv/bin/python bench/matching_speed.py --persons 1000000`` starts a throw-away PostgreSQL
(or uses DATABASE_URL), migrates, bulk-loads the generated persons with their match records and
blocking keys by COPY (the same rows ``indexing.rows_for`` writes), then measures. Look-ups are
records generated after the loaded ones and held out of the load: new persons, and about one in
ten a re-registration of a loaded person (counted as found when it comes back among the matches).
Figures are printed, not asserted. Target (issue 9): p95 at or under 20 ms at 1,000,000 persons,
with 8 concurrent clients.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import logging
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import bench_environment  # noqa: E402
from bench.persons import generate  # noqa: E402

CHUNK = 10_000


def _birth(record) -> tuple[dt.date | None, str]:
    if record.birth_year is None:
        return None, ""
    if record.birth_day:
        return dt.date(record.birth_year, record.birth_month, record.birth_day), "exact"
    if record.birth_month:
        return dt.date(record.birth_year, record.birth_month, 1), "month"
    return dt.date(record.birth_year, 1, 1), "year"


def _rows(records: list) -> tuple[list, list, list]:
    """Person, MatchRecord and MatchKey rows of a chunk of records (run in a worker process)."""
    from bench.matching_core import profile_of
    from homeward.core.text import search_key
    from homeward.matching import keys

    now = dt.datetime.now(dt.UTC)
    persons, matches, found = [], [], []
    for r in records:
        pid = r.id + 1
        born, precision = _birth(r)
        persons.append((pid, r.given, r.family, search_key(r.given, r.family), r.sex, born, precision,
                        r.nationality, r.phone, now, now))  # fmt: skip
        p = profile_of(r)
        row = p.as_row()
        matches.append((pid, json.dumps(row["names"]), row["sex"], row["birth_date"], row["birth_precision"],
                        row["nationality"], row["place_of_birth"], row["phone"], json.dumps(row["documents"])))  # fmt: skip
        year = p.birth_year
        found += [(pid, k, year) for k in sorted(keys.name_keys(p))]
        found += [(pid, k, None) for k in sorted(keys.identity_keys(p))]
    return persons, matches, found


def load(records: list) -> None:
    """COPY the persons, match records and keys, indexes built afterwards (minutes for a million)."""
    from django.db import connection, connections

    from homeward.matching.models import MatchKey, MatchRecord
    from homeward.people.models import Person

    start = time.perf_counter()
    tables = [Person._meta.db_table, MatchRecord._meta.db_table, MatchKey._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT LIKE %s",
            [tables, "%pkey"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    connections.close_all()  # the workers fork without the parent's connection
    chunks = [records[i : i + CHUNK] for i in range(0, len(records), CHUNK)]
    person_sql = (f"COPY {tables[0]} (id, given_names, family_name, search_name, sex, birth_date, "
                  "birth_date_precision, nationality, phone, created_at, updated_at, given_names_original, "
                  "family_name_original, place_of_birth, country_of_origin, languages) FROM STDIN")  # fmt: skip
    record_sql = (f"COPY {tables[1]} (person_id, names, sex, birth_date, birth_precision, nationality, "
                  "place_of_birth, phone, documents) FROM STDIN")  # fmt: skip
    key_sql = f"COPY {tables[2]} (person_id, key, birth_year) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, multiprocessing.get_context("fork").Pool(2) as pool:
        cursor.execute("SET session_replication_role = replica")  # no per-row foreign-key checks
        raw = cursor.cursor
        for persons, matches, found in pool.imap(_rows, chunks):
            with raw.copy(person_sql) as copy:
                for row in persons:
                    copy.write_row((*row, "", "", "", "", "[]"))
            with raw.copy(record_sql) as copy:
                for row in matches:
                    copy.write_row(row)
            with raw.copy(key_sql) as copy:
                for row in found:
                    copy.write_row(row)
            count += len(persons)
            if count % 200_000 < CHUNK:
                print(f"  loaded {count} persons ({time.perf_counter() - start:.0f} s)", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        loaded = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{tables[0]}', 'id'), {len(records) + 1})")
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(f"SELECT count(*) FROM {tables[2]}")  # noqa: S608 - our table's name
        keys = cursor.fetchone()[0]
    print(f"loaded {count} persons, {keys} keys: COPY {loaded - start:.0f} s, indexes and ANALYZE "
          f"{time.perf_counter() - loaded:.0f} s")  # fmt: skip


def _check(record) -> tuple[float, list[int]]:
    from bench.matching_core import profile_of
    from homeward.matching import selectors

    start = time.perf_counter()
    found = selectors.find(profile_of(record))
    return (time.perf_counter() - start) * 1000, [m.person_id for m in found]


def _client(lookups: list) -> list[float]:
    from django.db import connection

    connection.ensure_connection()
    _check(lookups[0])  # warm: the parameters, the connection
    return [_check(r)[0] for r in lookups]


def _figures(label: str, times: list[float], wall: float | None = None) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    rate = f"   {len(times) / wall:6.0f} checks/s" if wall else ""
    print(f"{label:<44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {times[-1]:7.1f} ms   (n={len(times)}){rate}")  # fmt: skip


def lookups(held_out: list, loaded: int, clients: int) -> None:
    from django.db import connections

    from bench.matching_core import profile_of
    from homeward.matching import selectors

    _check(held_out[0])
    times, found, planted = [], 0, 0
    for record in held_out:
        ms, ids = _check(record)
        times.append(ms)
        if record.person != record.id and record.person < loaded:
            planted += 1
            found += (record.person + 1) in ids
    _figures("duplicate check, 1 client", times)
    print(f"  re-registrations among the look-ups: {planted}, original found for {found}")
    diagnose(held_out)
    connections.close_all()
    share = [held_out[i::clients] for i in range(clients)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, share)
    _figures(f"duplicate check, {clients} concurrent clients", [t for r in results for t in r],
             time.perf_counter() - start)  # fmt: skip
    slowest = held_out[max(range(len(times)), key=times.__getitem__)]
    explain(profile_of(slowest), selectors)


def _pct(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * len(values)) - 1)]


def diagnose(held_out: list) -> None:
    """Where a check's time goes: the candidate ids (SQL), reading their records, scoring them;
    and the same with the records read as tuples rather than model instances."""
    from bench.matching_core import profile_of
    from homeward.matching import selectors
    from homeward.matching.compare import compare
    from homeward.matching.models import MatchKey, MatchRecord
    from homeward.matching.profile import of_row

    fields = ("names", "sex", "birth_date", "birth_precision", "nationality", "place_of_birth", "phone", "documents")
    model = selectors.parameters()
    sizes, ids_ms, read_ms, score_ms, tuples_ms = [], [], [], [], []
    for record in held_out:
        p = profile_of(record)
        t0 = time.perf_counter()
        ids = MatchKey.objects.filter(selectors._candidate_ids(p)).values_list("person_id", flat=True).distinct()
        ids = list(ids[: selectors.MAX_CANDIDATES])
        t1 = time.perf_counter()
        rows = list(MatchRecord.objects.filter(person_id__in=ids))
        t2 = time.perf_counter()
        for row in rows:
            model.probability(compare(p, selectors.record_profile(row)))
        t3 = time.perf_counter()
        for row in MatchRecord.objects.filter(person_id__in=ids).values_list(*fields):
            model.probability(compare(p, of_row(*row)))
        t4 = time.perf_counter()
        sizes.append(len(ids))
        ids_ms.append((t1 - t0) * 1000)
        read_ms.append((t2 - t1) * 1000)
        score_ms.append((t3 - t2) * 1000)
        tuples_ms.append((t4 - t3) * 1000)
    print("where a check's time goes (median / p95):")
    print(f"  candidates per check         {_pct(sizes, 0.5):7.0f} / {_pct(sizes, 0.95):7.0f}   "
          f"(max {max(sizes)}, capped at {selectors.MAX_CANDIDATES})")  # fmt: skip
    for label, values in (("candidate ids (SQL)", ids_ms), ("reading the records (ORM)", read_ms),
                          ("scoring them", score_ms), ("read as tuples + scoring", tuples_ms)):  # fmt: skip
        print(f"  {label:<28} {_pct(values, 0.5):7.1f} / {_pct(values, 0.95):7.1f} ms")
    per = sum(score_ms) / max(sum(sizes), 1) * 1000
    print(f"  scoring: {per:.0f} µs per candidate")


def explain(profile, selectors) -> None:
    """The plan of the look-up's two queries, for the slowest check."""
    from homeward.matching.models import MatchKey, MatchRecord

    ids = MatchKey.objects.filter(selectors._candidate_ids(profile)).values("person_id").distinct()
    ids = ids[: selectors.MAX_CANDIDATES]
    plan = MatchRecord.objects.filter(person_id__in=ids).explain(analyze=True, buffers=True)
    print("EXPLAIN ANALYZE of the slowest check's candidate query:")
    print("\n".join("    " + line for line in plan.splitlines()))


def truth(records: list) -> set[tuple[int, int]]:
    """Pairs of records of one person (record ids)."""
    from collections import defaultdict

    by_person: dict[int, list[int]] = defaultdict(list)
    for r in records:
        by_person[r.person].append(r.id)
    return {(a, b) for ids in by_person.values() for a, b in itertools.combinations(sorted(ids), 2)}


def _quality(found: set[tuple[int, int]], true: set[tuple[int, int]]) -> str:
    from bench.matching_core import quality

    precision, recall, f1 = quality(found, true)
    return f"precision {precision:.1%}, recall {recall:.1%}, F1 {f1:.3f} against {len(true)} true pairs"


def batch_run(loaded: int, sample: int, true: set[tuple[int, int]]) -> None:
    from homeward.matching import batch

    counts: dict[str, int] = {}
    start = time.perf_counter()
    if sample >= loaded:
        pairs = batch.likely_pairs(counts=counts)
        what = f"all {loaded} persons"
    else:
        scope = random.Random(7).sample(range(1, loaded + 1), sample)  # noqa: S311 - sampling, not secrets
        pairs = batch.likely_pairs(person_ids=scope, counts=counts)
        what = f"pairs with one of {sample} persons drawn at random among {loaded}"
    wall = time.perf_counter() - start
    print(f"batch run ({what}): {wall:.1f} s, {counts['blocks']} blocks, {counts['scored']} pairs scored, "
          f"{counts['left_out']} left out in windows over {batch.MAX_BLOCK}, {len(pairs)} likely duplicates")  # fmt: skip
    if sample >= loaded:
        print(f"  {_quality({(a - 1, b - 1) for a, b, _p, _v in pairs}, true)}")


def splink_run(records: list, true: set[tuple[int, int]]) -> None:
    """Splink 5 on DuckDB deduplicating the same records: train (u by sampling, m by EM) and predict."""
    import pandas as pd
    import splink.comparison_library as cl
    from anyascii import anyascii
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def latin(text: str) -> str:
        return anyascii(text).lower().replace("-", " ").strip()

    logging.getLogger("splink").setLevel(logging.ERROR)
    start = time.perf_counter()
    frame = pd.DataFrame(
        {
            "unique_id": [r.id for r in records],
            "given": [latin(r.given) for r in records],
            "family": [latin(r.family) for r in records],
            "sex": [r.sex for r in records],
            "birth_year": [r.birth_year for r in records],
            "birth_month": [r.birth_month for r in records],
            "nationality": [r.nationality for r in records],
            "phone": [r.phone or None for r in records],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given"),
            cl.NameComparison("family"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("birth_month"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family", "birth_year"),
            block_on("given", "birth_year"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )  # fmt: skip
    linker = Linker(DuckDBAPI().register(frame), settings, log_level=None)
    prepared = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match([block_on("family", "given")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family", "birth_year"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "birth_year"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "family"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    frame = predictions.as_pandas_dataframe()
    pairs = {(min(a, b), max(a, b)) for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)}
    found = len(pairs)
    done = time.perf_counter()
    print(f"Splink 5 (DuckDB) dedupe of {len(records)} records: {done - start:.1f} s in all "
          f"(data {prepared - start:.1f} s, training {trained - prepared:.1f} s, predict {done - trained:.1f} s), "
          f"{found} pairs at 0.5 or more")  # fmt: skip
    print(f"  {_quality(pairs, true)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch-all", type=int, default=200_000,
                        help="up to this many persons the batch run covers everyone; above, a sample")  # fmt: skip
    parser.add_argument("--batch-sample", type=int, default=10_000, help="persons whose pairs a sampled run lists")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    records = generate(args.persons + args.lookups)
    loaded, held_out = records[: args.persons], records[args.persons :]
    true = truth(loaded)
    print(f"generated {len(records)} records in {time.perf_counter() - start:.0f} s")
    with bench_environment(sqlite=False):
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} {connection.pg_version}; {os.cpu_count()} CPUs")
        load(loaded)
        lookups(held_out, len(loaded), args.clients)
        if not args.no_batch:
            batch_run(len(loaded), len(loaded) if len(loaded) <= args.batch_all else args.batch_sample, true)
    if not args.no_splink:
        splink_run(loaded, true)


if __name__ == "__main__":
    main()
