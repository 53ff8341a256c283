"""The participant form. It only turns text into values; the rules live in `validation`."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TelField, TextAreaField

from regionet.platform.forms import select_choices

from .labels import (
    CITIZENSHIP_LABELS,
    FIELD_LABELS,
    ISCED_LABELS,
    LABOUR_STATUS_LABELS,
    LEGAL_BASIS_LABELS,
    SENSITIVE_LABELS,
    SEX_LABELS,
)
from .validation import FIELDS

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class DayField(DateField):
    """A date from the browser's date input (ISO) or typed the Polish way (dd.mm.yyyy)."""

    def process_formdata(self, valuelist):
        text = " ".join(valuelist).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        for pattern in DATE_FORMATS:
            try:
                self.data = datetime.strptime(text, pattern).date()
                return
            except ValueError:
                continue
        raise ValueError(_l("Enter the date as dd.mm.yyyy, e.g. 21.07.2026."))


class RequiredMark:
    """Marks a field as required for the page (label, aria) while the rule itself lives in
    `validation`, so that the form and the import apply the same one."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


CHOOSE = _l("— choose —")


def _choices(labels, blank=CHOOSE):
    return select_choices([("", blank)] + [(key.value, label) for key, label in labels.items()])


def _select(name, labels, required=True, blank=CHOOSE):
    return SelectField(FIELD_LABELS[name], choices=_choices(labels, blank), default="",
                       validators=[RequiredMark()] if required else [])


class ParticipantForm(FlaskForm):
    first_name = StringField(FIELD_LABELS["first_name"], validators=[RequiredMark()])
    last_name = StringField(FIELD_LABELS["last_name"], validators=[RequiredMark()])
    pesel = StringField(FIELD_LABELS["pesel"], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    no_pesel = BooleanField(_l("The person has no PESEL number"))
    birth_date = DayField(FIELD_LABELS["birth_date"])
    sex = _select("sex", SEX_LABELS, required=False)
    street = StringField(FIELD_LABELS["street"])
    postal_code = StringField(FIELD_LABELS["postal_code"], render_kw={"autocomplete": "postal-code"})
    locality = StringField(FIELD_LABELS["locality"])
    commune_code = SelectField(FIELD_LABELS["commune_code"], validators=[RequiredMark()], validate_choice=False,
                               default="")
    phone = TelField(FIELD_LABELS["phone"])
    email = EmailField(FIELD_LABELS["email"])
    education = _select("education", ISCED_LABELS, required=False, blank=_l("— not given —"))
    labour_status = _select("labour_status", LABOUR_STATUS_LABELS)
    disability = _select("disability", SENSITIVE_LABELS)
    migrant_or_minority = _select("migrant_or_minority", SENSITIVE_LABELS)
    homeless = _select("homeless", SENSITIVE_LABELS)
    jobless_household = _select("jobless_household", SENSITIVE_LABELS)
    citizenship = _select("citizenship", CITIZENSHIP_LABELS, required=False, blank=_l("— not asked yet —"))
    foreign_origin = _select("foreign_origin", SENSITIVE_LABELS, required=False, blank=_l("— not asked yet —"))
    third_country_national = _select("third_country_national", SENSITIVE_LABELS, required=False,
                                     blank=_l("— not asked yet —"))
    minority = _select("minority", SENSITIVE_LABELS, required=False, blank=_l("— not asked yet —"))
    legal_basis = _select("legal_basis", LEGAL_BASIS_LABELS)
    legal_basis_date = DayField(FIELD_LABELS["legal_basis_date"], validators=[RequiredMark()])
    consent_given = BooleanField(_l("The person gave consent to processing their data"))
    consent_date = DayField(FIELD_LABELS["consent_date"])
    notes = TextAreaField(FIELD_LABELS["notes"], render_kw={"rows": 3})

    def fill_from(self, participant) -> None:
        """Put a stored participant into an empty form (for editing)."""
        for name in FIELDS:
            value = getattr(participant, name)
            getattr(self, name).data = value.value if hasattr(value, "value") else value
        self.no_pesel.data = participant.pesel is None

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (*FIELDS, "no_pesel")}

    def unreadable_fields(self) -> frozenset[str]:
        """Fields whose text could not be turned into a value (they already show why)."""
        return frozenset(name for name in FIELDS if getattr(self, name).errors)

