"""Forms of the support module: enrolment, support episode, outcome."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from regionet.platform.forms import select_choices
from regionet.platform.ui.fields import PolishDateField, PolishDecimalField
from regionet.tenants.participants.labels import LABOUR_STATUS_LABELS

from .labels import EXIT_REASON_LABELS, EXIT_SITUATION_LABELS, INSTRUMENT_LABELS, OUTCOME_LABELS


class EnrolmentForm(FlaskForm):
    participant_id = RadioField(_l("Participant"), validate_choice=False, validators=[
        DataRequired(_l("Choose the participant to enrol (search by name or PESEL)."))])
    entry_date = PolishDateField(_l("Entry date"), validators=[
        InputRequired(_l("Enter the date the participant entered the project."))])
    exit_date = PolishDateField(_l("Exit date"), validators=[Optional()])
    status_at_entry = SelectField(_l("Status at entry"), choices=select_choices(
        [("", _l("As in the participant's record"))] + [(k.value, v) for k, v in LABOUR_STATUS_LABELS.items()]))


class PersonEnrolmentForm(FlaskForm):
    """Enrolling from the person's card: the project is chosen instead of the person."""

    project_id = SelectField(_l("Project"), validate_choice=False, validators=[
        DataRequired(_l("Choose the project."))])
    entry_date = PolishDateField(_l("Entry date"), validators=[
        InputRequired(_l("Enter the date the participant entered the project."))])
    exit_date = PolishDateField(_l("Exit date"), validators=[Optional()])
    status_at_entry = EnrolmentForm.status_at_entry


class EnrolmentEditForm(FlaskForm):
    entry_date = PolishDateField(_l("Entry date"), validators=[
        InputRequired(_l("Enter the date the participant entered the project."))])
    exit_date = PolishDateField(_l("Exit date"), validators=[Optional()])
    status_at_entry = SelectField(_l("Status at entry"), choices=select_choices(
        [(k.value, v) for k, v in LABOUR_STATUS_LABELS.items()]))
    # Not every client sends them (older forms, scripts): a missing or unknown value is "not recorded".
    exit_situation = SelectField(_l("Situation at exit"), validate_choice=False, choices=select_choices(
        [("", _l("— not recorded —"))] + [(k.value, v) for k, v in EXIT_SITUATION_LABELS.items()]))
    exit_reason = SelectField(_l("Reason for leaving"), validate_choice=False, choices=select_choices(
        [("", _l("— not recorded —"))] + [(k.value, v) for k, v in EXIT_REASON_LABELS.items()]))


class EpisodeForm(FlaskForm):
    instrument = SelectField(_l("Form of support"), choices=select_choices(
        [("", _l("— choose —"))] + [(k.value, v) for k, v in INSTRUMENT_LABELS.items()]),
        validators=[DataRequired(_l("Choose the form of support."))])
    start_date = PolishDateField(_l("Start date"), validators=[InputRequired(_l("Enter the date the support started."))])
    end_date = PolishDateField(_l("End date"), validators=[Optional()])
    hours = PolishDecimalField(_l("Hours"), places=1, digits=7, validators=[Optional()],
                               message=_l("Enter the number of hours, e.g. 120 or 7,5."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Outcome"), choices=select_choices(
        [("", _l("— choose —"))] + [(k.value, v) for k, v in OUTCOME_LABELS.items()]),
        validators=[DataRequired(_l("Choose the kind of outcome."))])
    achieved_on = PolishDateField(_l("Date achieved"), validators=[InputRequired(_l("Enter the date of the outcome."))])
    evidence = TextAreaField(_l("Evidence"), validators=[Optional(), Length(max=2000)],
                             description=_l("E.g. the employment contract of 15.10.2012, a certificate number."))
