from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired


class ReportRequestForm(FlaskForm):
    period = SelectField(_l("Period"), validators=[DataRequired(_l("Choose a period."))])
