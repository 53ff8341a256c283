"""The group-session form: the session and, in the same form, who attended."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from regionet.platform.forms import select_choices
from regionet.platform.ui.fields import PolishDateField, PolishDecimalField
from regionet.tenants.support.labels import INSTRUMENT_LABELS


class GroupSessionForm(FlaskForm):
    instrument = SelectField(_l("Form of support"), choices=select_choices(
        [("", _l("— choose —"))] + [(k.value, v) for k, v in INSTRUMENT_LABELS.items()]),
        validators=[DataRequired(_l("Choose the form of support."))])
    held_on = PolishDateField(_l("Date of the session"), validators=[
        InputRequired(_l("Enter the date of the session."))])
    hours = PolishDecimalField(_l("Duration in hours"), places=1, digits=5, validators=[
        InputRequired(_l("Enter how many hours the session lasted, e.g. 3 or 1,5."))],
        message=_l("Enter how many hours the session lasted, e.g. 3 or 1,5."))
    topic = StringField(_l("Topic"), validators=[
        DataRequired(_l("Enter the topic of the session.")), Length(max=300, message=_l("At most 300 characters."))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))])
    instructor = StringField(_l("Instructor"), validators=[
        Optional(), Length(max=200, message=_l("At most 200 characters."))])
    # Rendered by the template as one checkbox per enrolled person; the service checks each id.
    attendees = SelectMultipleField(_l("Attendance"), validate_choice=False)
