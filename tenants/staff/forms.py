from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from regionet.platform.accounts.passwords import MIN_PASSWORD_LENGTH
from regionet.platform.accounts.workspaces import ROLE_LABELS
from regionet.platform.forms import select_choices


def role_choices():
    return select_choices((role.value, label) for role, label in ROLE_LABELS.items())


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address.")), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name.")),
                                                          Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices(), default="staff")


class MemberActionForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])
    action = HiddenField(validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=role_choices(), validate_choice=False)


class AcceptForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name.")),
                                                          Length(max=200)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("The password must have at least %(n)s characters.",
                                                            n=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(_l("Enter the new password again.")), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})
