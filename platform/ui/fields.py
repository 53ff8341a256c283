"""Form fields for numbers written the Polish way: "904 150,00", "12,5".

People type amounts as they read them on paper: spaces (or non-breaking spaces)
between thousands and a decimal comma. WTForms' DecimalField accepts neither, so
this field normalises the text first and shows what the user typed back unchanged
when the form is redisplayed with an error.
"""
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms.fields import DateField, Field
from wtforms.widgets import TextInput

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_polish_decimal(text: str, places: int = 2) -> Decimal:
    """'904 150,00' → Decimal('904150.00'); raises ValueError for anything else."""
    compact = _SPACES.sub("", text or "")
    if "," in compact:
        # A comma is the decimal separator; dots before it can only be thousands separators.
        whole, _, fraction = compact.rpartition(",")
        compact = whole.replace(".", "") + "." + fraction
    pattern = rf"[0-9]+(\.[0-9]{{1,{places}}})?" if places else r"[0-9]+"
    if not re.fullmatch(pattern, compact):
        raise ValueError(text)
    try:
        return Decimal(compact)
    except InvalidOperation as error:  # pragma: no cover - the pattern above already rules this out
        raise ValueError(text) from error


class PolishDecimalField(Field):
    """A non-negative decimal typed with a comma and optional thousands spaces.

    `digits` is the precision of the column it is stored in (NUMERIC(digits, places)): a larger
    number is an error next to the field, not a database error.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, places: int = 2, message=None, digits: int = 12, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.limit = Decimal(10) ** (digits - places)
        self.message = message or _l("Enter a number such as 904 150,00 (digits, a comma before the decimals).")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        pattern = "#,##0." + "0" * self.places if self.places else "#,##0"
        return format_decimal(self.data, format=pattern, locale="pl").replace("\u00a0", " ")

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_polish_decimal(valuelist[0], self.places)
        except ValueError:
            self.data = None
            raise ValueError(str(self.message)) from None
        if self.data >= self.limit:
            self.data = None
            raise ValueError(str(_l("The number is too large: at most %(n)s digits before the comma.",
                                    n=len(str(self.limit)) - 1)))


class PolishDateField(DateField):
    """A date input (ISO from the browser's date picker) that also accepts dd.mm.rrrr typed by hand."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)
        self.message = message or _l("Enter a date as dd.mm.rrrr.")

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.message)) from None
