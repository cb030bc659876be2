"""The member's own profile form. Verified facts (gender, birth date, degree) have no
field here: a forged POST field for them is simply ignored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.profiles.vocabulary import BIO_MAX, CITIES, HEIGHT_MAX, HEIGHT_MIN, MAX_TAGS, TAGS


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ProfileForm(FlaskForm):
    nickname = StringField(
        _l("Nickname"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a nickname.")),
            Length(max=20, message=_l("A nickname has at most 20 characters.")),
        ],
    )
    city = SelectField(
        _l("City"),
        choices=[SelectChoice(city, city) for city in CITIES],
        validate_choice=True,
    )
    height_cm = IntegerField(
        _l("Height (cm)"),
        validators=[
            Optional(),
            NumberRange(HEIGHT_MIN, HEIGHT_MAX, _l("Height is between 140 and 210 cm.")),
        ],
    )
    occupation = StringField(
        _l("Occupation"),
        filters=[_strip],
        validators=[Optional(), Length(max=64, message=_l("At most 64 characters."))],
    )
    tags = SelectMultipleField(
        _l("Interests"), choices=[SelectChoice(tag, tag) for tag in TAGS], validate_choice=False
    )
    bio = TextAreaField(
        _l("About me"),
        validators=[Length(max=BIO_MAX, message=_l("The bio has at most 500 characters."))],
    )
    submit = SubmitField(_l("Save"))

    def validate_tags(self, field: SelectMultipleField) -> None:
        unknown = [tag for tag in field.data or [] if tag not in TAGS]
        if unknown:
            raise ValidationError(_l("Choose interests from the list."))
        if len(field.data or []) > MAX_TAGS:
            raise ValidationError(_l("Choose at most 8 interests."))
