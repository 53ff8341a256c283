"""PESEL numbers: checksum, birth date and sex (python-stdnum does the arithmetic).

A PESEL encodes the birth date (the month carries the century: +80 for the 1800s,
+0, +20, +40, +60 for 1900–2299), a serial number whose last digit is odd for men
and even for women, and a check digit. The weights 1-3-7-9 are all coprime to 10,
so any single mistyped digit changes the checksum and is caught.
"""
from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.pl import pesel as stdnum_pesel

from .models import Sex

_CENTURY_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


class InvalidPesel(ValueError):
    """`reason` is one of: format, length, checksum, date."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PeselData:
    number: str
    birth_date: date
    sex: Sex


def normalise_pesel(text: str) -> str:
    """Digits only, as typed with spaces or dashes; what spreadsheets do to numbers is undone elsewhere."""
    return stdnum_pesel.compact(text or "")


def parse_pesel(text: str) -> PeselData:
    """The number with its birth date and sex, or InvalidPesel saying what is wrong."""
    number = normalise_pesel(text)
    try:
        stdnum_pesel.validate(number)
    except InvalidLength as error:  # a subclass of InvalidFormat: catch it first
        raise InvalidPesel("length") from error
    except InvalidFormat as error:
        raise InvalidPesel("format") from error
    except InvalidChecksum as error:
        raise InvalidPesel("checksum") from error
    except (InvalidComponent, ValidationError) as error:
        raise InvalidPesel("date") from error
    sex = Sex.FEMALE if stdnum_pesel.get_gender(number) == "F" else Sex.MALE
    return PeselData(number=number, birth_date=stdnum_pesel.get_birth_date(number), sex=sex)


def make_pesel(birth_date: date, sex: Sex, serial: int) -> str:
    """A valid PESEL for synthetic data (demo, benchmarks): `serial` 0–4999 picks one of the
    5,000 numbers of that day and sex."""
    century = birth_date.year // 100
    if century not in _CENTURY_OFFSET:
        raise ValueError("PESEL encodes birth years 1800–2299 only")
    month = birth_date.month + _CENTURY_OFFSET[century]
    sex_digit = (serial % 5) * 2 + (1 if sex is Sex.MALE else 0)
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial // 5 % 1000:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)
