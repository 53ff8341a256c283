"""Forms of the practices pages. Polish messages; what the user typed is always kept."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from regionet.platform.forms import select_choices
from regionet.tenants.partners.models import PartnerKind
from regionet.tenants.projects.catalogues import FUNDING_SOURCES
from regionet.tenants.support.labels import INSTRUMENT_LABELS

from .labels import PARTNER_KIND_LABELS, TARGET_GROUP_LABELS


class PolishAmountField(Field):
    """An amount in złoty typed the Polish way: "904 150,00", "904150", "904 150,00 zł"."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:,.2f}".replace(",", "\u00a0").replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].lower().replace("zł", "").replace("pln", "")
        text = "".join(text.split()).replace("\u00a0", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(str(_l("Enter an amount in złoty, e.g. 904 150,00."))) from None
        if value < 0 or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e12"):
            raise ValueError(str(_l("Enter an amount in złoty, e.g. 904 150,00.")))
        self.data = value.quantize(Decimal("0.01"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PartnerLinkForm(Form):
    partner_id = HiddenField()
    selected = BooleanField(_l("Partner in this practice"))
    role = StringField(_l("Role in the cooperation"), validators=[Optional(), Length(max=300)])


def _date_order(form, field):
    if field.data and form.period_start.data and field.data < form.period_start.data:
        raise ValidationError(_l("The end of the period cannot be before its start."))


class PracticeForm(FlaskForm):
    title = StringField(_l("Title of the practice"), validators=[
        DataRequired(_l("Give the practice a title.")), Length(max=300)])
    period_start = DateField(_l("Start of the period"), validators=[Optional()],
                             render_kw={"type": "date"})
    period_end = DateField(_l("End of the period"), validators=[Optional(), _date_order],
                           render_kw={"type": "date"})
    problem = TextAreaField(_l("The problem it answers"), validators=[Optional(), Length(max=8000)])
    local_figures = TextAreaField(_l("Local figures describing the problem"), validators=[Optional(),
                                                                                         Length(max=4000)])
    target_group_description = TextAreaField(_l("Target group"), validators=[Optional(), Length(max=4000)])
    target_group_size = IntegerField(_l("Size of the target group (people)"), validators=[
        Optional(), NumberRange(min=0, max=10_000_000, message=_l("Enter a number of people, 0 or more."))])
    target_groups = MultiCheckboxField(_l("Groups the practice is for"), choices=select_choices(
        (key.value, label) for key, label in TARGET_GROUP_LABELS.items()))
    instruments = MultiCheckboxField(_l("Instruments used"), choices=select_choices(
        (key.value, label) for key, label in INSTRUMENT_LABELS.items()))
    cooperation = TextAreaField(_l("How the cooperation was organised"), validators=[Optional(), Length(max=8000)])
    partners = FieldList(FormField(PartnerLinkForm))
    # Checked by the service (tenants/practices/sources.py), with a Polish message next to the field.
    sources = MultiCheckboxField(_l("Working groups, meetings and agreements it came from"), validate_choice=False)
    new_partner_name = StringField(_l("Name of a new partner organisation"), validators=[Optional(),
                                                                                         Length(max=250)])
    new_partner_kind = SelectField(_l("Type of the new partner"), choices=select_choices(
        (key.value, label) for key, label in PARTNER_KIND_LABELS.items()
        if key is not PartnerKind.PLATFORM_INSTITUTION))
    new_partner_institution = SelectField(_l("…or an institution on the platform"), validators=[Optional()])
    new_partner_role = StringField(_l("Role of the new partner"), validators=[Optional(), Length(max=300)])
    funding_source = SelectField(_l("Source of funding (programme and measure)"), validators=[Optional()])
    funding_total = PolishAmountField(_l("Total value (zł)"))
    funding_eu = PolishAmountField(_l("of which EU funds (zł)"))
    funding_own = PolishAmountField(_l("Own contribution (zł)"))
    project_id = SelectField(_l("Project whose records give the results"), validators=[Optional()])
    results_narrative = TextAreaField(_l("Results in words"), validators=[Optional(), Length(max=8000)])
    success_factors = TextAreaField(_l("Success factors"), validators=[Optional(), Length(max=4000)])
    barriers = TextAreaField(_l("Barriers"), validators=[Optional(), Length(max=4000)])
    sustainability = TextAreaField(_l("Sustainability"), validators=[Optional(), Length(max=4000)])
    transferability = TextAreaField(_l("Transferability to other places"), validators=[Optional(), Length(max=4000)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[
        Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=30)])

    def set_choices(self, projects, institutions, sources=()) -> None:
        self.funding_source.choices = select_choices(
            [("", _l("— not given —"))]
            + [(key, f"{s.programme} · {s.measure}" if s.measure else s.programme)
               for key, s in FUNDING_SOURCES.items()])
        self.project_id.choices = select_choices(
            [("", _l("— no linked project —"))] + [(str(p.id), f"{p.title} ({p.code})") for p in projects])
        self.sources.choices = [(key, label) for key, label in sources]
        self.new_partner_institution.choices = select_choices(
            [("", _l("— none —"))] + [(str(i.id), i.name) for i in institutions])


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG or PNG)"))
    caption = StringField(_l("Description of the photo"), validators=[
        DataRequired(_l("Describe what the photo shows (it is read to people who cannot see it).")),
        Length(max=300)])

