"""The love school's forms. They check the shape of input; who may edit a course, the
publishing rule and the event a lecture links to are the operations' rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.school.models import BODY_MAX, SUMMARY_MAX, TITLE_MAX, LessonKind

KIND_LABELS = {
    LessonKind.reading: _l("Reading"),
    LessonKind.lecture: _l("Lecture (can link to an event)"),
}


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("Write at most %(n)d characters.", n=n))


class EventNumberField(IntegerField):
    """An integer field whose "not a number" message is ours (and translated)."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("An event number is a whole number from 1."))) from None


class CourseForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Give the course a title.")), _at_most(TITLE_MAX)],
    )
    summary = TextAreaField(
        _l("Summary"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Say in a sentence or two what members will learn.")),
            _at_most(SUMMARY_MAX),
        ],
    )


class LessonForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Give the lesson a title.")), _at_most(TITLE_MAX)],
    )
    kind = RadioField(
        _l("Kind of lesson"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=LessonKind.reading.value,
        validators=[DataRequired(message=_l("Choose the kind of lesson."))],
    )
    body_markdown = TextAreaField(
        _l("Text (Markdown)"),
        validators=[
            DataRequired(message=_l("Write the text of the lesson.")),
            Length(
                max=BODY_MAX,
                message=_l("A lesson can be at most %(n)d characters long.", n=BODY_MAX),
            ),
        ],
    )
    event_id = EventNumberField(
        _l("Event number (lectures only, optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("An event number is a whole number from 1.")),
        ],
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save lesson"))

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class ConfirmForm(FlaskForm):
    """Only the CSRF token: publish, unpublish, move and delete are buttons."""
