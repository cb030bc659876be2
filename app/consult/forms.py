"""Consultation and role forms. They check the shape of input; who may do what, and
when, are the operations' rules."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.models import Role
from app.consult.models import COMMENT_MAX, TEXT_MAX, TEXT_MIN, Topic

TOPIC_LABELS = {
    Topic.getting_started: _l("Getting started"),
    Topic.profile: _l("My profile"),
    Topic.chatting: _l("Chatting"),
    Topic.first_date: _l("A first date"),
    Topic.relationship: _l("A relationship"),
    Topic.safety: _l("Safety"),
    Topic.other: _l("Something else"),
}
REASON_MIN = 5
REASON_MAX = 1000
PHONE = re.compile(r"(?:\+86)?(1\d{10})")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _text(label: object, low: int, high: int, rows: int = 5) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write your text first.")),
            Length(min=low, message=_l("Write at least %(n)d characters.", n=low)),
            Length(max=high, message=_l("Write at most %(n)d characters.", n=high)),
        ],
        render_kw={"rows": rows, "maxlength": high},
    )


class AskForm(FlaskForm):
    topic = SelectField(
        _l("What is it about?"),
        choices=[SelectChoice("", _l("Choose a topic"))]
        + [SelectChoice(t.value, label) for t, label in TOPIC_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a topic."))],
        invalid_choice_message=_l("Choose a topic from the list."),
    )
    body = _text(_l("Your question"), TEXT_MIN, TEXT_MAX, rows=6)


class ReplyForm(FlaskForm):
    body = _text(_l("Your reply"), 1, TEXT_MAX, rows=4)


class ResolveForm(FlaskForm):
    """Only the CSRF token."""


class RatingForm(FlaskForm):
    rating = RadioField(
        _l("How helpful was it? (1 = not at all, 5 = very)"),
        choices=[
            SelectChoice("1", _l("1 star")),
            SelectChoice("2", _l("2 stars")),
            SelectChoice("3", _l("3 stars")),
            SelectChoice("4", _l("4 stars")),
            SelectChoice("5", _l("5 stars")),
        ],
        validators=[DataRequired(message=_l("Choose a rating from 1 to 5."))],
        validate_choice=True,
    )
    comment = TextAreaField(
        _l("A comment (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=_l("Write at most %(n)d characters.", n=COMMENT_MAX)),
        ],
        render_kw={"rows": 3, "maxlength": COMMENT_MAX},
    )


class PhoneSearchForm(FlaskForm):
    """The People search: sent by POST (the number stays out of URLs), with CSRF."""

    phone = StringField(_l("Mobile number"), filters=[_strip])

    def validate_phone(self, field: StringField) -> None:
        match = PHONE.fullmatch(field.data or "")
        if match is None:
            raise ValidationError(_l("Enter 11 digits, or +86 and 11 digits, e.g. 13800138000."))
        field.data = "+86" + match.group(1)


class RoleForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    seen_role = HiddenField(validators=[DataRequired()])
    reason = _text(_l("Reason (kept in the audit log)"), REASON_MIN, REASON_MAX, rows=3)

    def validate_action(self, field: HiddenField) -> None:
        if field.data not in ("grant", "revoke"):
            raise ValidationError(_l("Unknown action."))

    def validate_seen_role(self, field: HiddenField) -> None:
        if field.data not in {role.value for role in Role}:
            raise ValidationError(_l("Unknown role."))
