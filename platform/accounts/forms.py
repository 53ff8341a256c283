from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, Length

from ..forms import select_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address.")),
        Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this computer"))
    next = HiddenField()


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=select_choices([("pl", "Polski"), ("en", "English")]))
    next = HiddenField()
