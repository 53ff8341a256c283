"""The PESEL validator, property-based: valid numbers give back their birth date and sex,
and any single mistyped digit is refused. The numbers are built here from the official
rules, independently of the code under test."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regionet.tenants.participants.models import Sex
from regionet.tenants.participants.pesel import InvalidPesel, make_pesel, parse_pesel

WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
MONTH_OFFSET = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}


def encode(birth: date, serial: int, male: bool) -> str:
    """A PESEL by the rules of the Act on population records: YYMMDD, serial, sex digit, check digit."""
    month = birth.month + MONTH_OFFSET[birth.year // 100 * 100]
    sex_digit = (serial % 5) * 2 + (1 if male else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial // 5:03d}{sex_digit}"
    check = (10 - sum(w * int(d) for w, d in zip(WEIGHTS, body, strict=True)) % 10) % 10
    return body + str(check)


people = st.tuples(st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31)),
                   st.integers(min_value=0, max_value=4999), st.booleans())


@given(people)
def test_valid_numbers_round_trip_birth_date_and_sex(person):
    birth, serial, male = person
    number = encode(birth, serial, male)
    parsed = parse_pesel(number)
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.sex is (Sex.MALE if male else Sex.FEMALE)


@given(people, st.integers(min_value=0, max_value=10), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_rejected(person, position, shift):
    number = encode(*person)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    assert changed != number
    with pytest.raises(InvalidPesel):
        parse_pesel(changed)


@given(people)
def test_spaces_and_dashes_typed_around_digits_are_ignored(person):
    number = encode(*person)
    assert parse_pesel(f" {number[:6]}-{number[6:]} ").number == number


@pytest.mark.parametrize("text, reason", [
    ("4405140135", "length"), ("440514013590", "length"), ("4405140135X", "format"), ("", "format"),
    ("44051401358", "checksum"), ("02381307589", "date"), ("00000000000", "date"),
])
def test_what_is_wrong_is_named(text, reason):
    with pytest.raises(InvalidPesel) as caught:
        parse_pesel(text)
    assert caught.value.reason == reason


@given(people)
def test_synthetic_numbers_for_demo_and_benchmarks_are_valid(person):
    birth, serial, male = person
    sex = Sex.MALE if male else Sex.FEMALE
    assert make_pesel(birth, sex, serial) == encode(birth, serial, male)
