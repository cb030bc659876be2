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


DEGREE_CHOICES = [
    SelectChoice("", _l("Any")),
    SelectChoice("1", _l("High school")),
    SelectChoice("2", _l("Associate degree")),
    SelectChoice("3", _l("Bachelor's degree")),
    SelectChoice("4", _l("Master's degree")),
    SelectChoice("5", _l("Doctorate")),
]


class PreferencesForm(FlaskForm):
    """Mirrors ``MemberProfile``'s check constraints, with a message per field."""

    wants_gender = SelectField(
        _l("I am looking for"),
        choices=[SelectChoice("F", _l("A woman")), SelectChoice("M", _l("A man"))],
    )
    age_min = IntegerField(
        _l("Youngest age"),
        validators=[
            DataRequired(_l("Enter an age from 18 to 60.")),
            NumberRange(18, 60, _l("Enter an age from 18 to 60.")),
        ],
    )
    age_max = IntegerField(
        _l("Oldest age"),
        validators=[
            DataRequired(_l("Enter an age from 18 to 60.")),
            NumberRange(18, 60, _l("Enter an age from 18 to 60.")),
        ],
    )
    cities = SelectMultipleField(
        _l("Cities (none chosen: any city)"),
        choices=[SelectChoice(city, city) for city in CITIES],
        validate_choice=False,
    )
    min_education = SelectField(_l("Lowest degree"), choices=DEGREE_CHOICES)
    height_min = IntegerField(
        _l("Shortest height (cm)"),
        validators=[
            Optional(),
            NumberRange(HEIGHT_MIN, HEIGHT_MAX, _l("Height is between 140 and 210 cm.")),
        ],
    )
    height_max = IntegerField(
        _l("Tallest height (cm)"),
        validators=[
            Optional(),
            NumberRange(HEIGHT_MIN, HEIGHT_MAX, _l("Height is between 140 and 210 cm.")),
        ],
    )
    submit = SubmitField(_l("Save"))

    def validate_age_max(self, field: IntegerField) -> None:
        lowest, highest = self.age_min.data, field.data
        if lowest is not None and highest is not None and highest < lowest:
            raise ValidationError(_l("The oldest age cannot be below the youngest."))

    def validate_height_max(self, field: IntegerField) -> None:
        lowest, highest = self.height_min.data, field.data
        if lowest is not None and highest is not None and highest < lowest:
            raise ValidationError(_l("The tallest height cannot be below the shortest."))

    def validate_cities(self, field: SelectMultipleField) -> None:
        if any(city not in CITIES for city in field.data or []):
            raise ValidationError(_l("Choose cities from the list."))
