"""The IBAN check (ISO 13616 mod-97), account numbers and SWIFT/BIC codes."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.assistance import rules


def with_check_digits(country: str, bban: str) -> str:
    """An IBAN built the way banks build them: check digits = 98 - (BBAN + country + 00 as digits) mod 97."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "PK36SCBL0000001123456702",
        "fr14 2004 1010 0505 0001 3m02 606",  # typed in lower case, with spaces
        "NL91ABNA0417164300",
    ],
)
def test_published_example_ibans_pass(iban: str) -> None:
    assert rules.looks_like_iban(iban)
    assert rules.iban_checksum_ok(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 33",  # last digit mistyped
        "GB28 WEST 1234 5698 7654 32",  # check digits swapped
        "DE89370400440532031000",  # two digits swapped
    ],
)
def test_mistyped_ibans_fail(iban: str) -> None:
    assert rules.looks_like_iban(iban)
    assert not rules.iban_checksum_ok(iban)


@pytest.mark.parametrize("value", ["0123456789", "12-345-678/9", "XX12345678901234", "GB82", "AB", ""])
def test_plain_account_numbers_and_unknown_countries_do_not_look_like_ibans(value: str) -> None:
    assert not rules.looks_like_iban(value)


def test_nothing_but_letters_and_digits_passes_the_checksum() -> None:
    assert not rules.iban_checksum_ok("GB82-WEST-1234-5698-7654-32")
    assert not rules.iban_checksum_ok("GB82WÉST12345698765432")
    assert not rules.iban_checksum_ok("")


_BBAN = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=11, max_size=30)


@given(country=st.sampled_from(["PK", "GB", "DE", "AF", "IQ", "GR"]), bban=_BBAN)
def test_an_iban_with_correct_check_digits_passes(country: str, bban: str) -> None:
    iban = with_check_digits(country, bban)
    assert rules.looks_like_iban(iban)
    assert rules.iban_checksum_ok(iban)
    assert rules.iban_checksum_ok(rules.iban_grouped(iban))


@given(
    country=st.sampled_from(["PK", "GB", "DE"]),
    bban=st.text(alphabet=string.digits, min_size=11, max_size=30),
    data=st.data(),
)
def test_any_single_mistyped_digit_is_caught(country: str, bban: str, data: st.DataObject) -> None:
    iban = with_check_digits(country, bban)
    position = data.draw(st.integers(min_value=2, max_value=len(iban) - 1))
    wrong = data.draw(st.sampled_from([d for d in string.digits if d != iban[position]]))
    assert not rules.iban_checksum_ok(iban[:position] + wrong + iban[position + 1 :])


def test_an_iban_is_shown_in_groups_of_four() -> None:
    assert rules.iban_grouped("pk36scbl0000001123456702") == "PK36 SCBL 0000 0011 2345 6702"


@pytest.mark.parametrize(("value", "ok"), [("0123456789", True), ("12-345 678/9", True), ("123", False),
                                           ("12#45", False), ("-1234", False), ("1" * 41, False)])  # fmt: skip
def test_plain_account_numbers(value: str, ok: bool) -> None:
    assert rules.account_number_ok(value) is ok


@pytest.mark.parametrize(("value", "ok"), [("SCBLPKKX", True), ("habbpkka001", True), ("HABB PK KA", True),
                                           ("HABBXXKA", False), ("HABBPKK", False), ("HABBPKKA00", False),
                                           ("1ABBPKKA", False)])  # fmt: skip
def test_swift_bic_codes(value: str, ok: bool) -> None:
    assert rules.bic_ok(value) is ok
