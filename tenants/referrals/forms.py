"""Forms of referrals: sending one, and one form for every step of the loop."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from regionet.platform.forms import select_choices
from regionet.tenants.support.labels import OUTCOME_LABELS

from .labels import STOP_REASON_LABELS, URGENCY_LABELS


class SendForm(FlaskForm):
    service_id = HiddenField()
    reason = TextAreaField(_l("Why you refer the person"), validators=[Length(max=2000)])
    urgency = SelectField(_l("Urgency"), choices=select_choices((k.value, v) for k, v in URGENCY_LABELS.items()))
    eligibility = StringField(_l("Eligibility category"), validators=[Length(max=200)])
    consent_given_on = DateField(_l("Consent given on"), validators=[Optional()])
    consent_notice = StringField(_l("Information notice given (version)"), validators=[Length(max=60)])
    consent_evidence = StringField(_l("Where the consent is kept"), validators=[Length(max=300)])


class StepForm(FlaskForm):
    step = HiddenField()
    reason = SelectField(_l("Reason"), choices=select_choices([("", "—")]) + select_choices(
        (k.value, v) for k, v in STOP_REASON_LABELS.items()), validate_choice=False)
    comment = TextAreaField(_l("Comment"), validators=[Length(max=500)])
    on_day = DateField(_l("Date"), validators=[Optional()])
    result = SelectField(_l("Result"), choices=select_choices([("", "—")]) + select_choices(
        (k.value, v) for k, v in OUTCOME_LABELS.items()), validate_choice=False)
    participant_id = SelectField(_l("The person's record in your institution"), validate_choice=False)
    redirect_service_id = SelectField(_l("Suggest another service instead"), validate_choice=False)
