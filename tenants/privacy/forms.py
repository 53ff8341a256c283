"""Forms of the privacy domain: consents, requests, retention, erasure."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from regionet.platform.forms import select_choices

from .labels import BASIS_LABELS, PURPOSE_LABELS, REQUEST_KIND_LABELS

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class ConsentForm(FlaskForm):
    purpose = SelectField(_l("Purpose"), choices=select_choices((p.value, t) for p, t in PURPOSE_LABELS.items()),
                          validators=[DataRequired(_l("Choose the purpose."))])
    basis = SelectField(_l("Legal basis"), choices=select_choices((b.value, t) for b, t in BASIS_LABELS.items()),
                        validators=[DataRequired(_l("Choose the legal basis."))])
    given_on = DateField(_l("Given on"), format=DATE_FORMATS,
                         validators=[DataRequired(_l("Enter the date in the form DD.MM.YYYY."))])
    valid_until = DateField(_l("Valid until"), format=DATE_FORMATS, validators=[Optional()])
    evidence = FileField(_l("Signed form (scan: PDF, JPEG or PNG)"))


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Withdrawn on"), format=DATE_FORMATS,
                             validators=[DataRequired(_l("Enter the date in the form DD.MM.YYYY."))])
    note = TextAreaField(_l("How the person withdrew it"), validators=[Optional(), Length(max=2000)])


class RequestForm(FlaskForm):
    requester = StringField(_l("Who asked"), validators=[DataRequired(_l("Enter who made the request.")),
                                                         Length(max=200)])
    participant_id = SelectField(_l("The person's record"), validate_choice=False)
    kind = SelectField(_l("Request"), choices=select_choices((k.value, t) for k, t in REQUEST_KIND_LABELS.items()),
                       validators=[DataRequired(_l("Choose what the person asks for."))])
    received_on = DateField(_l("Received on"), format=DATE_FORMATS,
                            validators=[DataRequired(_l("Enter the date in the form DD.MM.YYYY."))])
    assigned_to_id = SelectField(_l("Handled by"), validate_choice=False)
    details = TextAreaField(_l("What the person asks"), validators=[Optional(), Length(max=5000)])


class ExtendForm(FlaskForm):
    due_on = DateField(_l("New deadline"), format=DATE_FORMATS,
                       validators=[DataRequired(_l("Enter the date in the form DD.MM.YYYY."))])
    reason = TextAreaField(_l("Why more time is needed"), validators=[Optional(), Length(max=2000)])


class CloseForm(FlaskForm):
    answer = TextAreaField(_l("Answer given to the person"), validators=[Optional(), Length(max=5000)])


class EraseForm(FlaskForm):
    reason = StringField(_l("Request or reason"), validators=[DataRequired(_l("Say why the data is erased.")),
                                                            Length(max=300)])


class RetentionForm(FlaskForm):
    retention_until = DateField(_l("Keep the records until"), format=DATE_FORMATS,
                                validators=[Optional()])
    reason = TextAreaField(_l("Reason (e.g. the clause of the funding agreement)"),
                           validators=[Optional(), Length(max=2000)])


class PhotoLinkForm(FlaskForm):
    photo_id = SelectField(_l("Photo of a good practice"), validate_choice=False,
                           validators=[DataRequired(_l("Choose the photo."))])
