"""Comparing two profiles: the same person across spellings and scripts, different people apart,
dates by their precision, and the properties every comparison must keep."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.matching.compare import FEATURES, birth_level, compare, name_level, name_match, reasons
from homeward.matching.model import shipped
from homeward.matching.profile import of_values


def _name(given_: str, family: str = "") -> object:
    return of_values(given=given_, family=family)


# The same person's name as different counsellors, passports and scripts write it.
SAME = [
    (("Mohammad", "Hassan"), ("Muhammad", "Hasan")),
    (("Mohamed", "Al-Hassan"), ("Mohammad", "Alhassan")),
    (("Ali", "El Hassan"), ("Ali", "Al-Hasan")),
    (("Elchin", "Məmmədov"), ("Elchin", "Mammadov")),
    (("Elchin", "Mamedov"), ("Эльчин", "Мамедов")),
    (("Xəlil", "Hüseynov"), ("Khalil", "Guseynov")),  # Azerbaijani x and ü, Russian g
    (("Cavid", "Əliyev"), ("Javid", "Aliyev")),  # Azerbaijani c is j
    (("Mohammad", "Al-Hassan"), ("محمد", "الحسن")),  # Arabic script
    (("Youssef", "Al-Obaidi"), ("يوسف", "العبيدي")),
    (("Muntadhar", "Al-Mousavi"), ("Muntadhar", "الموسوي")),
    (("Hossein", "Karimi"), ("حسین", "کریمی")),  # Persian letters
    (("Ahmad Shah", "Ahmadzai"), ("Ahmed Shah", "Ahmadzay")),  # Pashto family name
    (("Abdulrahman", "Al-Tamimi"), ("Abd al-Rahman", "Tamimi")),
    (("Qasim", "Kadhim"), ("Kasim", "Kazim")),
    (("Walid", "El Amrani"), ("Oualid", "Elamrani")),  # French spelling in Morocco
    (("Fatima", "Nouri"), ("Nouri", "Fatimah")),  # given and family name swapped
    (("Giorgi", "Beridze"), ("გიორგი", "ბერიძე")),  # Georgian
]


@pytest.mark.parametrize(("one", "other"), SAME, ids=[" / ".join(a + b) for a, b in SAME])
def test_spellings_and_scripts_of_one_name_match(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert name_level(_name(*one), _name(*other)) >= 3


def test_a_dropped_second_given_name_still_matches_every_word_of_the_shorter_name() -> None:
    assert name_level(_name("Ahmad Karim", "Noorzai"), _name("Ahmad", "Noorzai")) == 3


def test_a_typo_in_a_long_name_is_a_spelling() -> None:
    assert name_level(_name("Abdulkareem", "Hakimi"), _name("Abdulkareen", "Hakimi")) >= 3


# Different people who share a word or consonants: never more than "one name in common".
DIFFERENT = [
    (("Hassan", "Karimi"), ("Hussein", "Karimi")),
    (("Hasan", "Popal"), ("Husain", "Popal")),
    (("Ali", "Karimi"), ("Alia", "Karimi")),
    (("Ahmad", "Noori"), ("Mahmoud", "Noori")),
    (("Karim", "Popal"), ("Rahim", "Popal")),
    (("Omar", "Hakimi"), ("Amir", "Hakimi")),
    (("Samir", "Aliyev"), ("Samira", "Aliyeva")),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT, ids=[" / ".join(a + b) for a, b in DIFFERENT])
def test_different_names_do_not_match(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert name_level(_name(*one), _name(*other)) <= 1


def test_no_word_in_common_is_level_zero() -> None:
    assert name_level(_name("Youssef", "Tamimi"), _name("Parisa", "Ahmadzai")) == 0


def test_a_name_that_cannot_be_compared_is_unknown() -> None:
    assert name_level(_name("👍"), _name("Mohammad", "Khan")) is None
    assert name_level(_name("a"), _name("a")) is None


def _born(year: int, month: int = 1, day: int = 1, precision: str = "exact") -> object:
    return of_values(given="Ali", birth_date=dt.date(year, month, day), birth_precision=precision)


def test_birth_levels_follow_the_precision_of_each_date() -> None:
    assert birth_level(_born(1990, 5, 17), _born(1990, 5, 17)) == 5
    assert birth_level(_born(1990, 5, 17), _born(1990, 5, precision="month")) == 4
    assert birth_level(_born(1990, 5, 17), _born(1990, precision="year")) == 3  # a year-only date fits
    assert birth_level(_born(1990, 5, precision="month"), _born(1990, precision="estimated")) == 3
    assert birth_level(_born(1990, 5, 17), _born(1990, 6, precision="month")) == 2
    assert birth_level(_born(1990, 5, 17), _born(1990, 8, 2)) == 2
    assert birth_level(_born(1990, precision="estimated"), _born(1991, 3, 3)) == 1
    assert birth_level(_born(1990, 5, 17), _born(1993, 5, 17)) == 0
    assert birth_level(_born(1990), of_values(given="Ali")) is None


def test_missing_values_weigh_nothing_and_known_ones_are_compared() -> None:
    a = of_values(given="Ali", family="Karimi", sex="M", nationality="af", phone="+4912345", documents=["P 123-456"])
    b = of_values(given="Ali", family="Karimi", sex="U", nationality="AF", phone="+4912345", documents=["p123456"])
    levels = dict(zip(FEATURES, compare(a, b), strict=True))
    assert levels == {"name": 5, "birth": None, "sex": None, "nationality": 1, "place_of_birth": None,
                      "phone": 1, "document": 1}  # fmt: skip
    assert [f for f, _words in reasons(compare(a, b))] == ["name", "nationality", "phone", "document"]


# --- Properties ------------------------------------------------------------------------------

NAMES = [n for pair in SAME + DIFFERENT for side in pair for n in side] + ["Md", "Ali Reza", "Abdul", "Zalmai"]


def _profile(given_, family, year, exact, sex, nationality, place, phone):
    born = dt.date(year, 6, 15) if year else None
    precision = ("exact" if exact else "year") if year else ""
    return of_values(given=given_, family=family, birth_date=born, birth_precision=precision, sex=sex,
                     nationality=nationality, place_of_birth=place, phone=phone)  # fmt: skip


profiles = st.builds(
    _profile,
    st.sampled_from(NAMES),
    st.sampled_from([*NAMES, ""]),
    st.one_of(st.none(), st.integers(1950, 1955)),
    st.booleans(),
    st.sampled_from(["", "M", "F"]),
    st.sampled_from(["", "AF", "IQ"]),
    st.sampled_from(["", "Kabul", "Herat"]),
    st.sampled_from(["", "+1", "+2"]),
)


@given(profiles, profiles)
def test_comparison_is_symmetric(a, b) -> None:
    assert compare(a, b) == compare(b, a)


@given(profiles, profiles)
def test_a_record_matches_itself_best(a, b) -> None:
    model = shipped()
    assert model.probability(compare(a, a)) >= model.probability(compare(a, b))


@given(st.text(max_size=30), st.text(max_size=30))
def test_any_text_compares_without_crashing(one: str, other: str) -> None:
    vector = compare(of_values(given=one), of_values(given=other))
    assert len(vector) == len(FEATURES)


def test_the_words_paired_up_are_told_for_the_model_to_weigh() -> None:
    level, pairings = name_match(_name("Mohamad", "Alhasan"), _name("Muhammad", "Al-Hassan"))
    assert level == 5
    assert [[(x[0][0], y[0][0]) for x, y in pairs] for pairs in pairings] == [
        [("muhamad", "muhamad"), ("alhasan", "hasan")]
    ]
    assert name_match(_name("Ali"), _name("👍")) == (None, ())


@given(profiles, profiles)
def test_the_words_paired_up_are_the_same_either_way_round(a, b) -> None:
    level, pairings = name_match(a, b)
    again, pairings_again = name_match(b, a)
    assert level == again
    flip = {frozenset(frozenset((x, y)) for x, y in pairs) for pairs in pairings}
    assert flip == {frozenset(frozenset((x, y)) for x, y in pairs) for pairs in pairings_again}
