"""Forms of quick match: one tap to like or pass (only the CSRF token), and the private
"did you meet?" answer. They check the shape of input; the rules live in
``reactions`` and ``meetings``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional

from app.quickmatch.models import MeetingAnswer


class ReactionForm(FlaskForm):
    """Like or pass: the kind is in the URL, the form carries the CSRF token."""


class MeetingForm(FlaskForm):
    met = RadioField(
        _l("Did you meet?"),
        choices=[
            SelectChoice(MeetingAnswer.yes.value, _l("Yes, we met")),
            SelectChoice(MeetingAnswer.not_yet.value, _l("Not yet")),
            SelectChoice(MeetingAnswer.no.value, _l("No, and we don't plan to")),
        ],
        validators=[InputRequired(_l("Choose one answer."))],
    )
    rating = RadioField(
        _l("How did it go? (only if you met)"),
        choices=[
            SelectChoice("1", _l("1 – not well")),
            SelectChoice("2", "2"),
            SelectChoice("3", "3"),
            SelectChoice("4", "4"),
            SelectChoice("5", _l("5 – very well")),
        ],
        validators=[Optional()],
    )

    def validate(self, extra_validators: dict | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        met = self.met.data == MeetingAnswer.yes.value
        if self.rating.data and not met:
            self.rating.errors.append(_l("Rate the meeting only if you met."))
        elif met and not self.rating.data:
            self.rating.errors.append(_l("Choose how it went, from 1 to 5."))
        return not self.rating.errors

    def answer(self) -> tuple[MeetingAnswer, int | None]:
        """The checked answer: whether they met and, if so, the rating."""
        met = MeetingAnswer(self.met.data)
        return met, int(self.rating.data) if met is MeetingAnswer.yes else None
