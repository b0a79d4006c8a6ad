"""Synthetic persons for matching, with planted re-registrations and the truth about them.

Names come from origin-country lists with the spellings counsellors really produce (Mohammad,
Mohammed, Muhammad, Mohamed, Md.; Al-Hassan, Alhassan, El Hassan; Məmmədov, Mammadov, Mamedov)
and the original script. A re-registration is the same person typed again, in another mission or
years later: another spelling or script, given and family name swapped, a birth year off by one
or known to the year only, a new phone, no document. ``generate`` is deterministic for a seed and
scales to 1,000,000 persons.

Run it to see what blocking on name skeletons (``homeward.matching.names``) finds:
``.venv/bin/python bench/persons.py --persons 100000``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# Each name: its spellings in Latin letters (the first is the commonest), then the original script.
GIVEN_MALE = {
    "AR": [(["Mohammad", "Mohammed", "Muhammad", "Mohamed", "Mohamad", "Muhammed", "Md"], "محمد"),
           (["Ahmad", "Ahmed", "Ahmet"], "احمد"), (["Ali", "Aly"], "علي"), (["Hassan", "Hasan", "Hassen"], "حسن"),
           (["Hussein", "Husain", "Hussain", "Hosein", "Husein"], "حسين"), (["Omar", "Umar", "Omer"], "عمر"),
           (["Youssef", "Yusuf", "Yousef", "Yousif", "Yusef"], "يوسف"), (["Khaled", "Khalid", "Kaled"], "خالد"),
           (["Abdulrahman", "Abdel Rahman", "Abd al-Rahman", "Abdurrahman"], "عبد الرحمن"),
           (["Abdullah", "Abdallah", "Abdulla"], "عبدالله"), (["Ibrahim", "Ebrahim", "Ibraheem"], "ابراهيم"),
           (["Mustafa", "Mostafa", "Moustafa"], "مصطفى"), (["Karim", "Kareem", "Karem"], "كريم"),
           (["Walid", "Waleed", "Oualid"], "وليد"), (["Qasim", "Kasim", "Qassim", "Kassem"], "قاسم"),
           (["Hamza", "Hamzah", "Hamsa"], "حمزة"), (["Bilal", "Belal"], "بلال"), (["Jawad", "Javad", "Jawwad"], "جواد"),
           (["Farid", "Fareed"], "فريد"), (["Hamid", "Hameed", "Hamed"], "حميد"), (["Rahim", "Raheem"], "رحيم"),
           (["Usman", "Osman", "Othman", "Uthman"], "عثمان"), (["Imran", "Emran"], "عمران"),
           (["Haidar", "Haider", "Hyder"], "حيدر"), (["Mahmoud", "Mahmood", "Mahmud"], "محمود")],
}  # fmt: skip
GIVEN_FEMALE = {
    "AR": [(["Fatima", "Fatimah", "Fatma", "Fatema"], "فاطمة"), (["Ayesha", "Aisha", "Aysha", "Aicha"], "عائشة"),
           (["Zainab", "Zaynab", "Zeinab"], "زينب"), (["Maryam", "Mariam", "Meryem"], "مريم"),
           (["Khadija", "Khadijah", "Khadidja"], "خديجة"), (["Noor", "Nour", "Nur"], "نور"),
           (["Huda", "Houda", "Hoda"], "هدى"), (["Zahra", "Zahraa", "Zehra"], "زهراء"), (["Amina", "Aminah", "Ameena"], "آمنة"),
           (["Nasrin", "Nasreen", "Nesrin"], "نسرين"), (["Salma", "Selma"], "سلمى"), (["Sana", "Sanaa"], "سناء")],
}  # fmt: skip
FAMILY = {
    "IQ": [(["Al-Jubouri", "Al Jabouri", "Aljuburi", "Jubouri"], "الجبوري"), (["Al-Obaidi", "Al Ubaidi", "Alobaidi"], "العبيدي"),
           (["Hassan", "Hasan"], "حسن"), (["Kadhim", "Kazim", "Kadim"], "كاظم"), (["Al-Rubaie", "Al Rubaiee", "Rubaie"], "الربيعي"),
           (["Al-Hassan", "Al Hasan", "Alhassan", "El Hassan"], "الحسن"), (["Al-Tamimi", "Altamimi", "Tamimi"], "التميمي")],
    "AF": [(["Ahmadzai", "Ahmadzay", "Ahmedzai"], "احمدزی"), (["Karimi", "Kareemi"], "کریمی"), (["Hakimi", "Hakeemi"], "حکیمی"),
           (["Rahimi", "Raheemi"], "رحیمی"), (["Popal", "Popalzai"], "پوپل"), (["Noori", "Nouri", "Nuri"], "نوری"),
           (["Mohammadi", "Mohammady", "Muhammadi"], "محمدی"), (["Sultani", "Soltani"], "سلطانی")],
    "PK": [(["Khan"], "خان"), (["Hussain", "Hussein", "Husain"], "حسین"), (["Malik", "Malick"], "ملک"),
           (["Chaudhry", "Chaudhary", "Choudhry", "Chaudhari"], "چودھری"), (["Qureshi", "Quraishi", "Kureshi"], "قریشی"),
           (["Butt", "Bhatt"], "بٹ"), (["Rehman", "Rahman"], "رحمان")],
    "MA": [(["El Amrani", "Elamrani", "Amrani"], "العمراني"), (["Bennani", "Benani"], "بناني"),
           (["El Idrissi", "Idrissi", "Elidrissi"], "الإدريسي"), (["Tazi", "Tazzi"], "التازي"), (["Alaoui", "El Alaoui"], "العلوي")],
    "AZ": [(["Mammadov", "Mamedov", "Məmmədov", "Mammadli"], "Мамедов"), (["Aliyev", "Aliev", "Əliyev"], "Алиев"),
           (["Huseynov", "Guseinov", "Hüseynov"], "Гусейнов"), (["Hasanov", "Gasanov", "Həsənov"], "Гасанов")],
}  # fmt: skip
COUNTRIES = list(FAMILY)


@dataclass(frozen=True)
class Record:
    id: int
    person: int  # the truth: records of one person share it
    given: str
    family: str
    sex: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    nationality: str
    phone: str


def _spelling(rng: random.Random, name: tuple[list[str], str], script: float = 0.1) -> str:
    spellings, original = name
    if rng.random() < script:
        return original
    return spellings[0] if rng.random() < 0.5 else rng.choice(spellings)


def _person(rng: random.Random, rid: int) -> Record:
    country = rng.choice(COUNTRIES)
    female = rng.random() < 0.3
    pool = GIVEN_FEMALE["AR"] if female else GIVEN_MALE["AR"]
    given = _spelling(rng, rng.choice(pool))
    if rng.random() < 0.25:  # a second given name
        given = f"{given} {_spelling(rng, rng.choice(pool), script=0)}"
    year = rng.randint(1950, 2020)
    precision = rng.random()
    return Record(
        id=rid, person=rid, given=given, family=_spelling(rng, rng.choice(FAMILY[country])), sex="F" if female else "M",
        birth_year=year if precision < 0.95 else None,
        birth_month=rng.randint(1, 12) if precision < 0.6 else None,
        birth_day=rng.randint(1, 28) if precision < 0.5 else None,
        nationality=country, phone=f"+{rng.randint(10**10, 10**11 - 1)}" if rng.random() < 0.6 else "",
    )  # fmt: skip


def _reregistered(rng: random.Random, original: Record, rid: int) -> Record:
    """The same person typed again, with two or three of the usual differences."""
    again = replace(original, id=rid)
    for change in rng.sample(
        ["spelling", "script", "swap", "year", "year_only", "phone", "second_name"], k=rng.randint(2, 3)
    ):
        if change == "spelling":
            again = replace(again, given=_respell(rng, again.given), family=_respell(rng, again.family))
        elif change == "script":
            again = replace(again, family=_respell(rng, again.family, script=1.0))
        elif change == "swap":
            again = replace(again, given=again.family, family=again.given)
        elif change == "year" and again.birth_year:
            again = replace(again, birth_year=again.birth_year + rng.choice((-1, 1)))
        elif change == "year_only":
            again = replace(again, birth_month=None, birth_day=None)
        elif change == "phone":
            again = replace(again, phone="" if rng.random() < 0.5 else f"+{rng.randint(10**10, 10**11 - 1)}")
        elif change == "second_name" and " " in again.given:
            again = replace(again, given=again.given.split(" ")[0])
    return again  # fmt: skip


_BY_SPELLING = {s: name for pool in (GIVEN_MALE, GIVEN_FEMALE, FAMILY) for names in pool.values() for name in names
                for s in (*name[0], name[1])}  # fmt: skip


def _respell(rng: random.Random, text: str, script: float = 0.0) -> str:
    """Another spelling of each known name in ``text``."""
    words, out, i = text.split(" "), [], 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        key = two if two in _BY_SPELLING else words[i]
        name = _BY_SPELLING.get(key)
        out.append(_spelling(rng, name, script) if name else key)
        i += 2 if key == two and two in _BY_SPELLING else 1
    return " ".join(out)


def generate(persons: int, *, rereg: float = 0.1, seed: int = 2026) -> list[Record]:
    """``persons`` records; a share ``rereg`` of them are re-registrations of earlier ones."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    records: list[Record] = []
    for rid in range(persons):
        if records and rng.random() < rereg:
            records.append(_reregistered(rng, rng.choice(records), rid))
        else:
            records.append(_person(rng, rid))
    return records


def blocking_figures(records: list[Record]) -> None:
    """Recall of planted re-registrations and block sizes, blocking on pairs of name skeletons."""
    from homeward.matching.names import skeletons

    start = time.perf_counter()
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys_of: dict[int, set[tuple[str, str]]] = {}
    for r in records:
        keys = {tuple(sorted(p)) for p in itertools.combinations(skeletons(f"{r.given} {r.family}"), 2)}
        keys_of[r.id] = keys  # type: ignore[assignment]
        for key in keys:
            blocks[key].append(r.id)  # type: ignore[index]
    by_person: dict[int, list[int]] = defaultdict(list)
    for r in records:
        by_person[r.person].append(r.id)
    planted = [(ids[0], other) for ids in by_person.values() for other in ids[1:]]
    found = sum(1 for a, b in planted if keys_of[a] & keys_of[b])
    sizes = sorted(len(v) for v in blocks.values())
    print(
        f"{len(records)} records, {len(planted)} planted re-registrations; keys in {time.perf_counter() - start:.1f} s"
    )
    print(f"blocking on pairs of name skeletons: recall {found / max(len(planted), 1):.1%}; "
          f"{len(blocks)} blocks, median size {sizes[len(sizes) // 2]}, largest {sizes[-1]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    records = generate(args.persons)
    print(f"generated in {time.perf_counter() - start:.1f} s; for example:")
    for r in records[-3:]:
        print(f"  {r}")
    blocking_figures(records)


if __name__ == "__main__":
    main()
