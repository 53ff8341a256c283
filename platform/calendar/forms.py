"""The operator's form of one statutory reporting deadline."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import select_choices
from ..institutions.labels import KIND_LABELS
from ..ui.fields import PolishDateField
from .models import Frequency

FREQUENCY_LABELS = {Frequency.MONTHLY: _l("Every month"), Frequency.YEARLY: _l("Every year")}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DeadlineForm(FlaskForm):
    form_code = StringField(_l("Form"), validators=[DataRequired(_l("Enter the form's code, e.g. MRPiPS-03.")),
                                                    Length(max=40)])
    name = StringField(_l("Report"), validators=[DataRequired(_l("Enter the name of the report.")), Length(max=250)])
    reporter_kinds = CheckboxesField(_l("Who reports"), choices=select_choices(
        (k.value, label) for k, label in KIND_LABELS.items()),
        validators=[DataRequired(_l("Choose at least one type of institution."))])
    recipient = StringField(_l("To whom"), validators=[DataRequired(_l("Enter who receives the report.")),
                                                       Length(max=250)])
    frequency = SelectField(_l("How often"), choices=select_choices(
        (k.value, label) for k, label in FREQUENCY_LABELS.items()))
    due_month = IntegerField(_l("Month of the deadline"), validators=[
        Optional(), NumberRange(1, 12, _l("Enter a month from 1 to 12."))])
    due_day = IntegerField(_l("Day of the deadline"), validators=[
        Optional(), NumberRange(1, 31, _l("Enter a day from 1 to 31."))])
    period_note = StringField(_l("Period covered"), validators=[Optional(), Length(max=250)])
    source = TextAreaField(_l("Source"), validators=[Optional(), Length(max=5000)])
    verified_on = PolishDateField(_l("Checked against the law on"), validators=[Optional()])
    active = BooleanField(_l("On the calendars"), default=True)

    def validate_due_month(self, field) -> None:
        if self.frequency.data == Frequency.YEARLY.value and self.due_day.data and not field.data:
            raise ValidationError(_l("A yearly deadline needs its month."))
