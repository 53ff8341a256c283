"""Forms of partners and agreements. Format checks live here; rules that need the database
live in services.py and come back as ValidationFailed, shown next to the same fields."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from stdnum.pl import nip as nip_number
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from regionet.platform.forms import select_choices
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.attachments.services import check_document

from .labels import AGREEMENT_KIND_LABELS, EXTERNAL_KINDS, PARTNER_KIND_LABELS


def valid_nip(form, field) -> None:
    if field.data and not nip_number.is_valid(nip_number.compact(field.data)):
        raise ValidationError(_l("This NIP number is not valid: check the ten digits."))


class ContactFields(FlaskForm):
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        Optional(), Email(_l("Enter a valid e-mail address, e.g. biuro@example.pl.")), Length(max=254)])
    phone = TelField(_l("Phone"), validators=[
        Optional(), Length(max=30),
        Regexp(r"^[0-9 +()\-./]{6,30}$", message=_l("Enter a phone number using digits (spaces, + and - allowed)."))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class ExternalPartnerForm(ContactFields):
    """An organisation outside the platform: its own name, type and registration details."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name.")), Length(max=250)])
    kind = SelectField(_l("Type"), choices=select_choices((k.value, PARTNER_KIND_LABELS[k]) for k in EXTERNAL_KINDS),
                       validators=[DataRequired(_l("Choose the type of organisation."))])
    nip = StringField(_l("NIP"), validators=[Optional(), valid_nip])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])


class PlatformPartnerForm(ContactFields):
    """Another institution on the platform: name and type come from its platform record."""

    institution_id = SelectField(_l("Institution"), coerce=int, validate_choice=False,
                                 validators=[DataRequired(_l("Choose an institution of the region."))])


def not_in_future(form, field) -> None:
    if field.data and field.data > today_in_poland():
        raise ValidationError(_l("The agreement cannot be signed on a future date."))


def not_before_valid_from(form, field) -> None:
    if field.data and form.valid_from.data and field.data < form.valid_from.data:
        raise ValidationError(_l("The end of validity cannot be earlier than its start."))


def checked_document(form, field) -> None:
    if field.data and getattr(field.data, "filename", None):
        try:
            check_document(field.data, current_app.config["MAX_CONTENT_LENGTH"])
        except ValueError as problem:
            raise ValidationError(str(problem)) from None
        finally:
            field.data.stream.seek(0)


class AgreementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the title of the agreement.")),
                                                 Length(max=300)])
    number = StringField(_l("Number"), validators=[Optional(), Length(max=60)])
    kind = SelectField(_l("Type of agreement"),
                       choices=select_choices((k.value, label) for k, label in AGREEMENT_KIND_LABELS.items()))
    parties = SelectMultipleField(_l("Parties"), validate_choice=False, validators=[
        DataRequired(_l("Choose at least one party to the agreement."))])
    scope = TextAreaField(_l("Scope of cooperation"), validators=[
        DataRequired(_l("Describe what the parties agree to do together.")), Length(max=10000)])
    signed_on = DateField(_l("Signed on"), validators=[Optional(), not_in_future])
    valid_from = DateField(_l("In force from"), validators=[DataRequired(_l("Enter the date the agreement comes "
                                                                           "into force."))])
    valid_to = DateField(_l("In force until"), validators=[Optional(), not_before_valid_from])
    document_file = FileField(_l("File"), validators=[Optional(), checked_document])
    remove_document = BooleanField(_l("Remove the attached document"))


class ConfirmForm(FlaskForm):
    """A bare form for a confirmed action (delete): the CSRF token only."""
