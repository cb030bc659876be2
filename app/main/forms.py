from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import AnyOf, DataRequired


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[DataRequired(), AnyOf(["zh_CN", "en"])])
    next = HiddenField()
    submit = SubmitField()
