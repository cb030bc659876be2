"""Introduction forms: the shape of input only; the pair's rules are the operations'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.introductions.models import NOTE_MAX, NOTE_MIN


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    q = StringField(_l("Nickname or city"), filters=[_strip], validators=[Length(max=32)])


class ProposeForm(FlaskForm):
    a = IntegerField(validators=[InputRequired(message=_l("Choose the first member."))])
    b = IntegerField(validators=[InputRequired(message=_l("Choose the second member."))])
    note = TextAreaField(
        _l("A note to both: why you think they would get on"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write a note to both members.")),
            Length(min=NOTE_MIN, message=_l("Write at least %(n)d characters.", n=NOTE_MIN)),
            Length(max=NOTE_MAX, message=_l("Write at most %(n)d characters.", n=NOTE_MAX)),
        ],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )


class AnswerForm(FlaskForm):
    answer = HiddenField(validators=[DataRequired()])

    def validate_answer(self, field: HiddenField) -> None:
        if field.data not in ("accept", "decline"):
            raise ValidationError(_l("Choose to accept or decline."))
