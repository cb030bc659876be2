"""The member's own profile form. Verified facts (gender, birth date, degree) have no
field here: a forged POST field for them is simply ignored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
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

from app.profiles.vocabulary import BIO_MAX, HEIGHT_MAX, HEIGHT_MIN, MAX_TAGS
from app.profiles.vocabulary_labels import city_choices, tag_choices
from matching.vocabulary import CITIES, QUESTIONS, TAGS


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
        choices=[SelectChoice(city, label) for city, label in city_choices()],
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
        _l("Interests"),
        choices=[SelectChoice(tag, label) for tag, label in tag_choices()],
        validate_choice=False,
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
        choices=[SelectChoice(city, label) for city, label in city_choices()],
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

    def validate(self, extra_validators: dict | None = None) -> bool:
        """The height slider's ends mean "no limit", kept as none: a lowest height of
        140 cm would leave out every member who gave no height."""
        if not super().validate(extra_validators):
            return False
        if self.height_min.data == HEIGHT_MIN:
            self.height_min.data = None
        if self.height_max.data == HEIGHT_MAX:
            self.height_max.data = None
        return True

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


class PhotoForm(FlaskForm):
    """One photo file; what it holds is checked by decoding it (``app.profiles.photos``)."""

    photo = FileField(
        _l("Photo (JPEG, PNG or WebP, up to 5 MB)"),
        validators=[FileRequired(_l("Choose a photo to upload."))],
    )
    submit = SubmitField(_l("Upload"))


# The values questionnaire's questions in the source language; keys and the Chinese
# wording are ``matching.vocabulary.QUESTIONS``.
QUESTION_TEXT = {
    "kids": _l("Do you want children one day?"),
    "city_move": _l("Would you move to another city for your partner?"),
    "saving": _l("Are you someone who cares about saving money?"),
    "family_time": _l("Does time with your family matter to you?"),
    "pets": _l("Would you like to have pets at home?"),
    "smoking": _l("Could you accept a partner who smokes?"),
    "religion_importance": _l("Is religious faith important in your life?"),
    "career_first": _l("Right now, would you put your career before a relationship?"),
}
ANSWER_CHOICES = [
    SelectChoice("", _l("Skip this question")),
    SelectChoice("1", _l("1 · Not at all")),
    SelectChoice("2", _l("2 · Rather not")),
    SelectChoice("3", _l("3 · Neutral")),
    SelectChoice("4", _l("4 · Rather yes")),
    SelectChoice("5", _l("5 · Very much")),
]
# The questionnaire in groups, one screen each (the values page's stepper); every key of
# ``QUESTIONS`` is in one group.
QUESTION_GROUPS: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("family", _l("Family"), ("kids", "family_time", "pets")),
    ("daily", _l("Daily life"), ("saving", "smoking", "city_move")),
    ("outlook", _l("Outlook"), ("religion_importance", "career_first")),
)
IMPORTANCE_CHOICES = [
    SelectChoice("0", _l("Does not matter to me")),
    SelectChoice("1", _l("Matters a little")),
    SelectChoice("2", _l("Matters")),
    SelectChoice("3", _l("Matters a lot")),
]


class ValuesForm(FlaskForm):
    """The values questionnaire: per question an answer (or none) and its importance.

    The fields are ``answer_<key>`` and ``importance_<key>`` for each key of
    ``QUESTIONS``; choices are validated, so a forged value is a form error.
    """

    submit = SubmitField(_l("Save"))

    def questions(self) -> list[tuple[str, SelectField, SelectField]]:
        return [(key, self["answer_" + key], self["importance_" + key]) for key in QUESTIONS]

    def groups(self) -> list[tuple[str, object, list[tuple[str, SelectField, SelectField]]]]:
        """The questions by group (``QUESTION_GROUPS``), each with its two fields."""
        return [
            (name, title, [(k, self["answer_" + k], self["importance_" + k]) for k in keys])
            for name, title, keys in QUESTION_GROUPS
        ]

    def answers(self) -> tuple[dict[str, int], dict[str, int]]:
        """The answered questions and their importance, as the profile stores them."""
        answers: dict[str, int] = {}
        importance: dict[str, int] = {}
        for key, answer, weight in self.questions():
            if answer.data:
                answers[key] = int(answer.data)
                importance[key] = int(weight.data)
        return answers, importance

    def fill(self, answers: dict[str, int], importance: dict[str, int]) -> None:
        for key, answer, weight in self.questions():
            answer.data = str(answers[key]) if key in answers else ""
            weight.data = str(importance.get(key, 1))


for _key in QUESTIONS:
    setattr(
        ValuesForm,
        "answer_" + _key,
        # default "": a question sent without an answer (no radio ticked) is skipped
        SelectField(QUESTION_TEXT.get(_key, _key), choices=ANSWER_CHOICES, default=""),
    )
    setattr(
        ValuesForm,
        "importance_" + _key,
        SelectField(_l("How much it matters to you"), choices=IMPORTANCE_CHOICES, default="1"),
    )
