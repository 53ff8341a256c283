from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..accounts.passwords import MIN_PASSWORD_LENGTH
from ..forms import select_choices
from ..institutions.labels import KIND_LABELS


class RegionForm(FlaskForm):
    teryt_code = StringField(_l("Voivodeship TERYT code"), validators=[
        DataRequired(_l("Enter the two-digit TERYT code of a voivodeship, e.g. 26 for Świętokrzyskie.")),
        Length(min=2, max=2, message=_l("Enter the two-digit TERYT code of a voivodeship, e.g. 26 for Świętokrzyskie."))])


class InstitutionForm(FlaskForm):
    region_code = SelectField(_l("Region"), validators=[DataRequired(_l("Choose an existing region."))])
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the institution's full name.")),
                                                     Length(max=250)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=80)])
    kind = SelectField(_l("Type"), choices=select_choices((k.value, v) for k, v in KIND_LABELS.items()))
    teryt_code = StringField(_l("TERYT code of the commune or county"), validators=[
        DataRequired(_l("Enter the TERYT code of a commune (7 digits) or a county (4 digits)."))])
    nip = StringField("NIP", validators=[Optional()])
    regon = StringField("REGON", validators=[Optional()])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address."))])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name.")),
                                                          Length(max=200)])
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("The password must have at least %(n)s characters.",
                                                   n=MIN_PASSWORD_LENGTH))])
    place = SelectField(_l("Access"))
    role = SelectField(_l("Role in the institution"), choices=select_choices([
        ("staff", _l("Staff member")), ("admin", _l("Institution administrator")),
        ("readonly", _l("Read-only access"))]))


class AccountLookupForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address."))])


class ThresholdsForm(FlaskForm):
    """A region's disclosure thresholds (the operator's; every change with its reason in the trail)."""

    suppression_threshold = IntegerField(_l("Smallest count published"), validators=[
        InputRequired(_l("Enter a whole number, at least 3.")),
        NumberRange(min=3, max=100, message=_l("Enter a whole number from 3 to 100."))])
    sensitive_threshold = IntegerField(_l("Smallest count published for sensitive data (disability)"), validators=[
        InputRequired(_l("Enter a whole number, at least 5.")),
        NumberRange(min=5, max=100, message=_l("Enter a whole number from 5 to 100."))])
    reason = TextAreaField(_l("Reason for the change"), validators=[
        DataRequired(_l("Say why the thresholds change; the reason is kept in the trail.")), Length(max=500)])
