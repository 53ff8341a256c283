"""The form of one service of the catalogue. Format checks here; the service area is checked
against the region in services.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from regionet.platform.forms import select_choices

from .labels import BASIS_LABELS, DATA_ITEM_LABELS, SERVICE_TYPE_LABELS, STATUS_LABELS
from .models import ReferralBasis


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _age(label):
    return IntegerField(label, validators=[Optional(), NumberRange(0, 120, _l("Enter an age from 0 to 120."))])


class ServiceForm(FlaskForm):
    name = StringField(_l("Name of the service"), validators=[
        DataRequired(_l("Enter the name of the service.")), Length(max=200)])
    service_type = SelectField(_l("Type of service"), choices=select_choices(
        (k.value, label) for k, label in SERVICE_TYPE_LABELS.items()),
        validators=[DataRequired(_l("Choose the type of service."))])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Describe the service.")), Length(max=5000)])
    status = SelectField(_l("Status"), choices=select_choices((k.value, label) for k, label in STATUS_LABELS.items()))
    eligibility_description = TextAreaField(_l("Who it is for"), validators=[Optional(), Length(max=2000)])
    minimum_age = _age(_l("Minimum age"))
    maximum_age = _age(_l("Maximum age"))
    required_documents = TextAreaField(_l("Documents needed"), validators=[Optional(), Length(max=2000)])
    application_process = TextAreaField(_l("How to get it"), validators=[Optional(), Length(max=2000)])
    area_codes = SelectMultipleField(_l("Service area"), validate_choice=False)
    location_name = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    schedule = StringField(_l("Opening hours"), validators=[Optional(), Length(max=300)])
    contact_name = StringField(_l("Contact (a team or a role)"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Phone"), validators=[
        Optional(), Length(max=30),
        Regexp(r"^[0-9 +()\-./]{6,30}$", message=_l("Enter a phone number using digits (spaces, + and - allowed)."))])
    email = EmailField(_l("E-mail address"), validators=[
        Optional(), Email(_l("Enter a valid e-mail address, e.g. biuro@example.pl.")), Length(max=254)])
    capacity = IntegerField(_l("Places"), validators=[
        Optional(), NumberRange(0, 30000, _l("Enter a number of places from 0 to 30 000."))])
    waiting_days = IntegerField(_l("Usual waiting time (days)"), validators=[
        Optional(), NumberRange(0, 3650, _l("Enter a number of days from 0 to 3650."))])
    accepts_referrals = BooleanField(_l("Accepts referrals through the platform"))
    referral_basis = SelectField(_l("Legal basis of a referral"), choices=select_choices(
        (k.value, label) for k, label in BASIS_LABELS.items()))
    legal_reference = StringField(_l("Statute and article"), validators=[Length(max=300)])
    data_set = CheckboxesField(_l("What a referral carries"), choices=select_choices(
        (k.value, label) for k, label in DATA_ITEM_LABELS.items()))
    accept_within_days = IntegerField(_l("Days to accept a referral"), default=7, validators=[
        DataRequired(_l("Enter the number of days to accept a referral.")),
        NumberRange(1, 90, _l("Enter a number of days from 1 to 90."))])
    assured_date = DateField(_l("Information checked on"), validators=[Optional()])
    published = BooleanField(_l("Published to the region's institutions"))

    def validate_maximum_age(self, field) -> None:
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError(_l("The maximum age cannot be lower than the minimum age."))

    def validate_legal_reference(self, field) -> None:
        if self.referral_basis.data == ReferralBasis.STATUTE.value and not (field.data or "").strip():
            raise ValidationError(_l("Name the statute and article a referral rests on."))

    def validate_data_set(self, field) -> None:
        if self.accepts_referrals.data and "name" not in (field.data or []):
            raise ValidationError(_l("A referral carries at least the person's name."))
