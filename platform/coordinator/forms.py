"""Forms of the coordinator's pages (selections are GET forms, decisions are POST forms)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError


class PeriodForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the period a name, e.g. “First half-year 2026”.")),
                                               Length(max=120, message=_l("At most %(max)s characters."))])
    start_date = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day of the period."))])
    end_date = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day of the period."))])
    due_date = DateField(_l("Institutions should submit by"), validators=[Optional()])

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class AcceptForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the institution (optional)"),
                            validators=[Optional(), Length(max=2000, message=_l("At most %(max)s characters."))])


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("What should the institution correct?"), validators=[
        DataRequired(_l("Say what the institution should correct.")),
        Length(max=2000, message=_l("At most %(max)s characters."))])
