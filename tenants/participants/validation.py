"""The one set of rules for a participant record, used by the form and by the import alike.

Input values are already typed (dates as dates, choices as enum values or their string
keys): the form and the spreadsheet reader each turn their own text into values, and
report what they could not read. Everything else — what is required, what a PESEL
implies, what may not lie in the future, which commune exists — is decided here, so
the two ways in cannot drift apart. Duplicate PESEL numbers need the database and are
checked by the services, with the message from `duplicate_pesel_message`.
"""
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from .communes import CommuneCatalogue, UnknownCommune
from .labels import ESF_PLUS_FIELDS, SENSITIVE_FIELDS
from .models import Citizenship, Isced, LabourStatus, LegalBasis, SensitiveAnswer, Sex
from .pesel import InvalidPesel, normalise_pesel, parse_pesel

EARLIEST_DATE = date(1900, 1, 1)
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")
_POSTAL = re.compile(r"^(\d{2})-?(\d{3})$")
_PHONE = re.compile(r"^\+?[\d\s()-]+$")
TEXT_LIMITS = {"first_name": 100, "last_name": 100, "street": 200, "locality": 100, "notes": 5000}
CHOICES: dict[str, type[enum.Enum]] = {
    "sex": Sex, "education": Isced, "labour_status": LabourStatus, "legal_basis": LegalBasis,
    **{name: SensitiveAnswer for name in SENSITIVE_FIELDS},
    "citizenship": Citizenship, **{name: SensitiveAnswer for name in ESF_PLUS_FIELDS},
}
# Every field the record stores from what a person typed (pseudonym and bookkeeping are derived).
FIELDS = ("first_name", "last_name", "pesel", "birth_date", "sex", "street", "postal_code", "locality",
          "commune_code", "phone", "email", "education", "labour_status", *SENSITIVE_FIELDS, "citizenship", *ESF_PLUS_FIELDS, "legal_basis",
          "legal_basis_date", "consent_given", "consent_date", "notes")


@dataclass
class CheckResult:
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def check_participant(data: Mapping, communes: CommuneCatalogue, today: date,
                      already_failed: frozenset[str] = frozenset()) -> CheckResult:
    """Clean and check one participant. `already_failed` names fields whose text could not be
    read at all (their reader reported it), so they are not reported a second time."""
    result = CheckResult()
    skip = set(already_failed)

    def report(name: str, message: str) -> None:
        if name not in skip:
            result.fail(name, message)

    for name, limit in TEXT_LIMITS.items():
        value = _text(data.get(name)) if name != "notes" else (str(data.get(name) or "").strip() or None)
        if value and len(value) > limit:
            report(name, _("Enter at most %(n)s characters.", n=limit))
        result.values[name] = value
    for name, message in (("first_name", _("Enter the first name.")), ("last_name", _("Enter the last name."))):
        value = result.values[name]
        if not value:
            report(name, message)
        elif not _NAME.match(value):
            report(name, _("A name may contain letters, spaces, hyphens and apostrophes only."))

    _check_identity(data, result, report, today)
    _check_address(data, result, report, communes)
    _check_choices(data, result, report)
    _check_legal_basis(data, result, report, today)
    return result


def _check_identity(data, result, report, today) -> None:
    pesel_text = normalise_pesel(_text(data.get("pesel")) or "")
    if data.get("no_pesel"):
        if pesel_text:
            report("pesel", _("You marked that the person has no PESEL: clear this field or unmark that option."))
        result.values["pesel"] = None
        birth_date, sex = data.get("birth_date"), _choice(data.get("sex"), Sex)
        if birth_date is None:
            report("birth_date", _("Enter the date of birth (required when there is no PESEL)."))
        else:
            _check_past_date("birth_date", birth_date, report, today)
        if sex is None:
            report("sex", _("Choose the sex (required when there is no PESEL)."))
        result.values.update(birth_date=birth_date, sex=sex)
        return
    if not pesel_text:
        report("pesel", _("Enter the PESEL number, or mark that the person has no PESEL."))
        result.values.update(pesel=None, birth_date=None, sex=None)
        return
    try:
        parsed = parse_pesel(pesel_text)
    except InvalidPesel as error:
        report("pesel", pesel_error_message(error.reason))
        result.values.update(pesel=pesel_text, birth_date=None, sex=None)
        return
    if parsed.birth_date > today:
        report("pesel", _("This PESEL gives a date of birth in the future. Check the number."))
    # A PESEL decides the birth date and sex: whatever else was typed gives way to it.
    result.values.update(pesel=parsed.number, birth_date=parsed.birth_date, sex=parsed.sex)


def pesel_error_message(reason: str) -> str:
    return {
        "format": _("A PESEL consists of 11 digits."),
        "length": _("A PESEL consists of 11 digits."),
        "checksum": _("This PESEL is not valid: its check digit does not match. Check for a mistyped digit."),
        "date": _("This PESEL is not valid: it does not contain a possible date of birth."),
    }[reason]


def _check_address(data, result, report, communes: CommuneCatalogue) -> None:
    postal = _text(data.get("postal_code"))
    if postal:
        match = _POSTAL.match(postal)
        if match:
            postal = f"{match.group(1)}-{match.group(2)}"
        else:
            report("postal_code", _("Enter the postal code as 00-000."))
    result.values["postal_code"] = postal
    commune_text = data.get("commune_code")
    result.values["commune_code"] = None
    if commune_text in (None, ""):
        report("commune_code", _("Choose the commune of residence."))
    else:
        try:
            result.values["commune_code"] = communes.resolve(commune_text)
        except UnknownCommune as error:
            report("commune_code", unknown_commune_message(error, communes.region_name))
    phone = _text(data.get("phone"))
    if phone and not (_PHONE.match(phone) and 9 <= sum(ch.isdigit() for ch in phone) <= 15):
        report("phone", _("Enter a phone number of 9 to 15 digits (spaces, dashes and a leading + are allowed)."))
    result.values["phone"] = phone
    email = _text(data.get("email"))
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            report("email", _("Enter a valid e-mail address, e.g. jan.kowalski@example.pl."))
    result.values["email"] = email


def unknown_commune_message(error: UnknownCommune, region_name: str) -> str:
    if error.reason == "code":
        return _("There is no commune with TERYT code %(code)s in the region %(region)s.",
                 code=error.text, region=region_name)
    if error.reason == "ambiguous":
        return _("Several communes are named %(name)s: give the 7-digit TERYT code (%(codes)s).",
                 name=error.text, codes=", ".join(c.code for c in error.candidates))
    return _("There is no commune named %(name)s in the region %(region)s: give its 7-digit TERYT code.",
             name=error.text, region=region_name)


def _check_choices(data, result, report) -> None:
    required = {
        "labour_status": _("Choose the labour-market status at entry."),
        **{name: _("Choose yes, no or refused to answer.") for name in SENSITIVE_FIELDS},
    }
    for name, enum_class in CHOICES.items():
        if name in ("sex", "legal_basis"):
            continue  # decided with the PESEL and with the legal basis
        raw = data.get(name)
        value = _choice(raw, enum_class)
        if value is None and raw not in (None, ""):
            report(name, _("Choose one of the listed values."))
        elif value is None and name in required:
            report(name, required[name])
        result.values[name] = value


def _check_legal_basis(data, result, report, today) -> None:
    basis = _choice(data.get("legal_basis"), LegalBasis)
    if basis is None:
        report("legal_basis", _("Choose the legal basis of processing the person's data."))
    basis_date = data.get("legal_basis_date")
    if basis_date is None:
        report("legal_basis_date", _("Enter the date from which the legal basis applies."))
    else:
        _check_past_date("legal_basis_date", basis_date, report, today)
    consent, consent_date = bool(data.get("consent_given")), data.get("consent_date")
    if consent and consent_date is None:
        report("consent_date", _("Enter the date the consent was given."))
    elif not consent and consent_date is not None:
        report("consent_date", _("A consent date was entered, but the consent is not marked as given."))
    elif consent_date is not None:
        _check_past_date("consent_date", consent_date, report, today)
    if basis is LegalBasis.CONSENT and not consent:
        report("consent_given", _("The legal basis is consent: mark that the consent was given and enter its date."))
    result.values.update(legal_basis=basis, legal_basis_date=basis_date, consent_given=consent,
                         consent_date=consent_date if consent else None)


def _check_past_date(name: str, value: date, report, today: date) -> None:
    if value > today:
        report(name, _("The date cannot be in the future."))
    elif value < EARLIEST_DATE:
        report(name, _("Enter a date after 1 January 1900."))


def _text(value) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _choice(value, enum_class: type[enum.Enum]):
    if value is None or value == "":
        return None
    if isinstance(value, enum_class):
        return value
    try:
        return enum_class(value)
    except ValueError:
        return None


def duplicate_pesel_message() -> str:
    return _("A participant with this PESEL is already registered in your institution.")
