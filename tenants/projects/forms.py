"""The project form: title, code, funding source, period, budget, partners and indicator targets."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from regionet.platform.forms import select_choices
from regionet.platform.ui.fields import PolishDateField, PolishDecimalField

from .catalogues import FUNDING_SOURCES, INDICATORS


def funding_choices():
    return select_choices([("", _l("— choose —"))] + [(s.key, s.label) for s in FUNDING_SOURCES.values()])


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the project's title.")), Length(max=300)])
    code = StringField(_l("Code"), validators=[
        DataRequired(_l("Enter the project's code (e.g. the number of the funding agreement).")), Length(max=60)])
    funding_source = SelectField(_l("Funding source (programme and measure)"), choices=funding_choices(),
                                 validators=[DataRequired(_l("Choose the funding source from the list."))])
    start_date = PolishDateField(_l("Start date"), validators=[InputRequired(_l("Enter the date the project starts."))])
    end_date = PolishDateField(_l("End date"), validators=[InputRequired(_l("Enter the date the project ends."))])
    budget_total = PolishDecimalField(_l("Project budget (zł)"), digits=14, validators=[
        InputRequired(_l("Enter an amount in złoty, e.g. 904 150,00 (0 if none)."))])
    eu_cofinancing = PolishDecimalField(_l("EU co-financing (zł)"), digits=14, validators=[Optional()])
    own_contribution = PolishDecimalField(_l("Own contribution (zł)"), digits=14, validators=[Optional()])
    partners = SelectMultipleField(_l("Partners"), coerce=str, validate_choice=True)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])

    def targets(self) -> dict:
        return {key: getattr(self, f"target_{key}").data for key in INDICATORS}


for _key, _definition in INDICATORS.items():
    setattr(ProjectForm, f"target_{_key}", PolishDecimalField(
        _definition.label, places=2, validators=[Optional()],
        message=_l("Enter the target as a number, e.g. 120 or 25,5.")))
