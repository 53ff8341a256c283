"""Forms of individual plans. They only read the typed text (dates, lengths); what is required
and every rule are the services', so one answer lists every problem, next to its field."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from regionet.platform.forms import select_choices
from regionet.platform.ui.fields import PolishDateField
from regionet.tenants.support.labels import OUTCOME_LABELS

from .labels import PLAN_KIND_LABELS, PLAN_RESULT_LABELS

TEXT_LIMIT = Length(max=10000, message=_l("At most 10 000 characters."))


class PlanContentForm(FlaskForm):
    """What an amendment may change."""

    number = StringField(_l("Number"), validators=[Optional(), Length(max=60, message=_l("At most 60 characters."))])
    case_worker_id = SelectField(_l("Case worker"), validate_choice=False)
    other_parties = TextAreaField(_l("Other parties"), validators=[Optional(), TEXT_LIMIT])
    planned_end_date = PolishDateField(_l("Planned end"), validators=[Optional()])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), TEXT_LIMIT])
    institution_obligations = TextAreaField(_l("Obligations of the institution"), validators=[Optional(), TEXT_LIMIT])
    participant_obligations = TextAreaField(_l("Obligations of the person"), validators=[Optional(), TEXT_LIMIT])


class PlanForm(PlanContentForm):
    kind = SelectField(_l("Type of plan"), choices=select_choices(
        [("", _l("— choose —"))] + [(k.value, v) for k, v in PLAN_KIND_LABELS.items()]))
    enrolment_id = SelectField(_l("Project"), validate_choice=False)
    start_date = PolishDateField(_l("Start date"), validators=[Optional()])
    first_review_on = PolishDateField(_l("First review"), validators=[Optional()])


class AmendForm(PlanContentForm):
    reason = TextAreaField(_l("Reason for the amendment"), validators=[Optional(), TEXT_LIMIT])


class StepForm(FlaskForm):
    description = StringField(_l("Step"), validators=[
        Optional(), Length(max=500, message=_l("At most 500 characters."))])
    owner = StringField(_l("Who does it"), validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))])
    due_on = PolishDateField(_l("Due"), validators=[Optional()])


class ReviewForm(FlaskForm):
    due_on = PolishDateField(_l("Review date"), validators=[InputRequired(_l("Enter the date of the review."))])


class ReviewRecordForm(FlaskForm):
    held_on = PolishDateField(_l("Held on"), validators=[InputRequired(_l("Enter the date the review took place."))])
    notes = TextAreaField(_l("Notes"), validators=[DataRequired(_l("Write down what the review found.")), TEXT_LIMIT])


class EndForm(FlaskForm):
    ended_on = PolishDateField(_l("Ended on"), validators=[Optional()])
    result = SelectField(_l("Result"), choices=select_choices(
        [("", _l("— choose —"))] + [(k.value, v) for k, v in PLAN_RESULT_LABELS.items()]))
    outcome_kind = SelectField(_l("Outcome to record in the project"), choices=select_choices(
        [("", _l("None"))] + [(k.value, v) for k, v in OUTCOME_LABELS.items()]))
    result_note = TextAreaField(_l("About the result"), validators=[Optional(), TEXT_LIMIT])


class ScanForm(FlaskForm):
    scan = FileField(_l("Signed scan"))
