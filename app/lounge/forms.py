"""The lounge's forms: a message, "I have read up to here", and the confirmation of an
unmatch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

MAX_LENGTH = 1000


def _strip(value: str | None) -> str:
    return (value or "").strip()


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"), filters=[_strip])

    def validate_body(self, field: TextAreaField) -> None:
        if not field.data:
            raise ValidationError(_l("Write a message before sending."))
        if len(field.data) > MAX_LENGTH:
            raise ValidationError(_l("A message can be at most %(n)d characters.", n=MAX_LENGTH))


class ReadForm(FlaskForm):
    """The read beacon (``lounge.js``) or the button without JavaScript: the id of the
    last message shown; without it, every message so far."""

    upto = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**63 - 1)])


class UnmatchForm(FlaskForm):
    """Only the CSRF token: the confirmation page is the step that asks."""
