"""Estimating the model from the people themselves, without knowing who is who (as Splink does).

- ``u``: the levels of pairs drawn at random, nearly all of them two different people.
- ``m``: expectation–maximisation in sessions, each on the pairs one blocking rule finds, each
  learning only the features that are independent of its rule among non-matches, so that ``u``
  from random pairs holds inside the session:

  - same name (a name key, any year): teaches birth, phone and document. Not name, nor sex,
    nationality and place of birth, which go with a name (Fatima is a woman, Ahmadzai Afghan).
  - same exact date of birth: teaches name, sex, nationality, place of birth, phone, document.
  - same phone: teaches name, birth and sex. Not nationality or place: a family shares a phone.
  - same document number: teaches name, birth and sex.

  Each feature's ``m`` is the average over the sessions that teach it.
- how common each name word is (``name_frequencies``): its share of all the words of all names,
  for the model to weigh a match on a rare name above one on Mohammad.
- the prior (that two records drawn at random are one person): the name session's share of
  matches times the number of pairs its rule finds, over all pairs. The rule misses the few
  re-registrations with a changed word in every name pair, so it is a slight underestimate.

Rules with big blocks are sampled (``max_pairs``), weighting each pair by how many blocks it is
in, so every distinct pair counts once.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from homeward.matching import keys
from homeward.matching.compare import FEATURES, LEVELS, Vector, compare
from homeward.matching.model import FLOOR, NameFrequencies, Parameters, Session, estimate_u
from homeward.matching.profile import Profile

ALL = frozenset(FEATURES)
# What goes with a name among different people: a given name tells the sex, a family name the
# nationality and town, and a family shares a phone. Their ``u`` is taken among same-name pairs.
WITH_NAME = ("sex", "nationality", "place_of_birth", "phone")
# Name words rarer than this share of all words are not listed (the parameters stay small) and
# weigh as this: a word seen a handful of times may be a typo, and must not outweigh the rest.
NAME_FLOOR = 1e-4
# Levels estimated from the size of a rule's blocks may be far rarer than one pair in the sample.
RARE_FLOOR = 1e-9


def _birth_date_keys(p: Profile) -> list[str]:
    return [f"b:{p.birth_date}"] if p.birth_date and p.birth_precision == "exact" else []


def _document_keys(p: Profile) -> list[str]:
    return [f"d:{d}" for d in p.documents]


def random_vectors(profiles: dict[int, Profile], n: int, rng: random.Random) -> Iterable[Vector]:
    ids = list(profiles)
    for _ in range(n):
        a, b = rng.sample(ids, 2)
        yield compare(profiles[a], profiles[b])


def blocked_vectors(
    profiles: dict[int, Profile], keys_of: Callable[[Profile], Iterable[str]], max_pairs: int, rng: random.Random
) -> tuple[Counter[Vector], float]:
    """The levels of (a sample of) the distinct pairs sharing a key, weighted so that each distinct
    pair counts once whatever the number of keys it shares; and how many distinct pairs there are."""
    blocks: dict[str, list[int]] = defaultdict(list)
    of: dict[int, set[str]] = {}
    for pid, p in profiles.items():
        found = set(keys_of(p))
        if found:
            of[pid] = found
            for key in found:
                blocks[key].append(pid)
    total = sum(len(b) * (len(b) - 1) // 2 for b in blocks.values())
    share = min(1.0, max_pairs / total) if total else 1.0
    counts: Counter[Vector] = Counter()
    distinct = 0.0
    for members in blocks.values():
        n = len(members)
        pairs = n * (n - 1) // 2
        if pairs == 0:
            continue
        if share >= 1.0:
            drawn = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        else:
            k = int(pairs * share) + (rng.random() < pairs * share % 1)
            drawn = [tuple(rng.sample(members, 2)) for _ in range(k)]
        for a, b in drawn:
            weight = 1 / len(of[a] & of[b])
            counts[compare(profiles[a], profiles[b])] += weight
            distinct += weight
    return counts, distinct / share


def _levels(vectors: Counter[Vector], feature: str) -> dict[int, float]:
    """The share of each level of ``feature`` among ``vectors`` that have it."""
    i = FEATURES.index(feature)
    counts: Counter[int] = Counter()
    for vector, n in vectors.items():
        if vector[i] is not None:
            counts[vector[i]] += n
    total = sum(counts.values())
    return {level: counts[level] / total for level in counts} if total else {}


def _with_rare(u: dict[int, float], rare: dict[int, float]) -> dict[int, float]:
    """``u`` with the rare levels' shares replaced by better estimates and the others rescaled."""
    rest = 1 - sum(rare.values())
    common = sum(v for level, v in u.items() if level not in rare)
    table = {level: (rare[level] if level in rare else v * rest / common) for level, v in u.items()}
    return {level: max(RARE_FLOOR, v) for level, v in table.items()}


def _present(vectors: list[Vector], feature: str) -> float:
    i = FEATURES.index(feature)
    return sum(v[i] is not None for v in vectors) / len(vectors)


def name_frequencies(profiles: Iterable[Profile], floor: float = NAME_FLOOR) -> NameFrequencies:
    """The share of each word (its vowel form as written) among all the words of the names, in
    the Latin form; those at or above ``floor`` listed, and the chance two random words are one."""
    counts: Counter[str] = Counter()
    for p in profiles:
        if p.names:
            counts.update(token[0][0] for token in p.names[0])
    total = sum(counts.values())
    if not total:
        return NameFrequencies(words={}, floor=floor, mean=floor)
    shares = {form: n / total for form, n in counts.items()}
    mean = sum(s * s for s in shares.values())
    listed = {form: round(s, 7) for form, s in sorted(shares.items(), key=lambda x: -x[1]) if s >= floor}
    return NameFrequencies(words=listed, floor=floor, mean=mean)


def train(
    profiles: dict[int, Profile],
    *,
    random_pairs: int = 200_000,
    max_pairs: int = 200_000,
    seed: int = 7,
    trained_on: dict[str, object] | None = None,
) -> Parameters:
    """Parameters estimated from ``profiles`` (a few thousand at least) without any truth."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    count = len(profiles)
    if count < 100:
        raise ValueError("training needs at least a hundred persons")
    all_pairs = count * (count - 1) / 2
    sample = list(random_vectors(profiles, random_pairs, rng))
    u_random = estimate_u(sample)

    by_name, name_pairs = blocked_vectors(profiles, keys.name_keys, max_pairs, rng)
    by_birth, birth_pairs = blocked_vectors(profiles, _birth_date_keys, max_pairs, rng)
    by_document, _document_pairs = blocked_vectors(profiles, _document_keys, max_pairs, rng)

    # Same-name pairs born years apart are (nearly) never one person: among them, how often what
    # goes with a name agrees anyway, and how often names agree at each level.
    apart = Counter({v: n for v, n in by_name.items() if v[FEATURES.index("birth")] == 0})
    u = {f: dict(levels) for f, levels in u_random.items()}
    for feature in WITH_NAME:
        found = _levels(apart, feature)
        if found:
            u[feature] = {level: max(FLOOR, found.get(level, 0.0)) for level in LEVELS[feature]}
    # Levels too rare among random pairs to be counted there: from the share of pairs a rule finds.
    share_named = name_pairs / all_pairs / max(_present(sample, "name"), 1e-9)
    u["name"] = _with_rare(
        u["name"], {level: share_named * v for level, v in _levels(apart, "name").items() if level >= 2}
    )
    if birth_pairs:
        u["birth"] = _with_rare(
            u["birth"], {max(LEVELS["birth"]): birth_pairs / all_pairs / max(_present(sample, "birth"), 1e-9)}
        )

    runs: list[tuple[str, Session]] = []
    for name, pairs, teaches, u_session in (
        ("name", by_name, {"birth", "phone", "document"}, u),
        ("birth_date", by_birth, {"name", *WITH_NAME, "document"}, {**u_random, "name": u["name"]}),
        ("document", by_document, {"name", "birth", "sex"}, u),
    ):
        if sum(pairs.values()) >= 50:  # too few to learn from (no documents)
            runs.append((name, Session(pairs, ALL - teaches).run(u_session)))
    m: dict[str, dict[int, float]] = {}
    for feature in FEATURES:
        learnt = [s.m[feature] for _name, s in runs if feature not in s.blocked_on]
        if learnt:
            m[feature] = {level: sum(t[level] for t in learnt) / len(learnt) for level in LEVELS[feature]}
        else:  # never seen: a level says nothing either way
            m[feature] = dict(u[feature])
    name_run = next(s for n, s in runs if n == "name")
    prior = min(max(name_run.prior * name_pairs / all_pairs, 1e-12), 0.5)
    sizes = {"name": name_pairs, "birth_date": birth_pairs, "document": _document_pairs}
    return Parameters(
        prior=prior, m=m, u=u, names=name_frequencies(profiles.values()),
        trained_on={"records": count, **(trained_on or {}), "random_pairs": random_pairs,
                    "sessions": {n: {"pairs": round(sizes[n]), "share_of_matches": round(s.prior, 5)} for n, s in runs}},
    )  # fmt: skip
