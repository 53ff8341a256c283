"""Forms of working groups and meetings. Format checks here; rules needing the database in services.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from regionet.platform.forms import select_choices
from regionet.platform.ui.fields import PolishDateField

from .labels import GROUP_KIND_LABELS, MEMBER_ROLE_LABELS, PRESENCE_LABELS, RSVP_LABELS
from .models import MemberRole


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name of the group.")), Length(max=250)])
    kind = SelectField(_l("Type of group"), choices=select_choices(
        (k.value, label) for k, label in GROUP_KIND_LABELS.items()))
    purpose = TextAreaField(_l("Purpose"), validators=[
        DataRequired(_l("Describe what the group is for.")), Length(max=5000)])
    link_note = StringField(_l("Project or agreement"), validators=[Optional(), Length(max=300)])


class InviteForm(FlaskForm):
    institution_id = SelectField(_l("Institution"), coerce=int, validate_choice=False,
                                 validators=[DataRequired(_l("Choose an institution of the region."))])


def _term_order(form, field) -> None:
    if field.data and form.term_from.data and field.data < form.term_from.data:
        raise ValidationError(_l("The end of the term cannot be earlier than its start."))


class MemberForm(FlaskForm):
    """A person of one of the group's institutions (an account), or a guest by name and organisation."""

    user_id = SelectField(_l("Person of a member institution"), coerce=str, validate_choice=False,
                          validators=[Optional()])
    full_name = StringField(_l("Guest's name"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Guest's organisation"), validators=[Optional(), Length(max=250)])
    role = SelectField(_l("Role"), choices=select_choices((k.value, label) for k, label in MEMBER_ROLE_LABELS.items()),
                       default=MemberRole.MEMBER.value)
    term_from = PolishDateField(_l("Term from"), validators=[Optional()])
    term_to = PolishDateField(_l("Term until"), validators=[Optional(), _term_order])


def _ends_after_start(form, field) -> None:
    if field.data and form.starts_at.data and field.data <= form.starts_at.data:
        raise ValidationError(_l("The meeting must end after it starts."))


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the title of the meeting.")), Length(max=250)])
    day = PolishDateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the meeting."))])
    starts_at = TimeField(_l("Starts at"), validators=[DataRequired(_l("Enter the time the meeting starts, e.g. 13:00."))])
    ends_at = TimeField(_l("Ends at"), validators=[Optional(), _ends_after_start])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    online_url = URLField(_l("Online meeting link"), validators=[
        Optional(), Length(max=500), URL(message=_l("Enter a full address starting with https://."))])

    def validate_place(self, field) -> None:
        if not (field.data or "").strip() and not (self.online_url.data or "").strip():
            raise ValidationError(_l("Enter the place of the meeting or a link to join online."))


class Prefixed(FlaskForm):
    """A form that shares a page with others: its fields' names and ids carry `PREFIX-`."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class AgendaItemForm(Prefixed):
    PREFIX = "agenda"
    title = StringField(_l("Agenda item"), validators=[DataRequired(_l("Enter the agenda item.")), Length(max=300)])
    presenter = StringField(_l("Presenter"), validators=[Optional(), Length(max=250)])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[
        Optional(), NumberRange(1, 600, _l("Enter a duration from 1 to 600 minutes."))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class GuestForm(FlaskForm):
    guest_name = StringField(_l("Guest's name"), validators=[DataRequired(_l("Enter the guest's name.")),
                                                            Length(max=200)])
    guest_organisation = StringField(_l("Organisation"), validators=[
        DataRequired(_l("Enter the guest's organisation.")), Length(max=250)])


class RsvpForm(FlaskForm):
    rsvp = SelectField(_l("Your answer"), choices=select_choices((k.value, label) for k, label in RSVP_LABELS.items()))


PRESENCE_CHOICES = [(k.value, label) for k, label in PRESENCE_LABELS.items()]


class MinutesForm(FlaskForm):
    body = TextAreaField(_l("Minutes"), validators=[DataRequired(_l("Write the minutes of the meeting.")),
                                                    Length(max=50000)])
    decisions = TextAreaField(_l("Decisions and votes"), validators=[Optional(), Length(max=20000)])


class ActionForm(Prefixed):
    PREFIX = "action"
    title = StringField(_l("Task"), validators=[DataRequired(_l("Describe the task.")), Length(max=500)])
    owner = SelectField(_l("Owner"), validate_choice=False,
                        validators=[DataRequired(_l("Choose who is responsible for the task."))])
    deadline = PolishDateField(_l("Deadline"), validators=[InputRequired(_l("Enter the deadline."))])
