from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the institution"), validators=[Optional(), Length(max=8000)])
