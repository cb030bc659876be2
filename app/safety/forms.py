"""Safety's forms. They check the shape of input; who may block, report or appeal, and
the repeats, are the operations' rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.safety.models import (
    APPEAL_MAX,
    APPEAL_MIN,
    NOTE_MAX,
    STATEMENT_MAX,
    STATEMENT_MIN,
    ReportReason,
)

REASON_LABELS = {
    ReportReason.fraud_or_money: _l("Fraud, or asking for money"),
    ReportReason.harassment: _l("Harassment or threats"),
    ReportReason.fake_profile: _l("Fake profile or pretending to be someone else"),
    ReportReason.inappropriate_content: _l("Inappropriate messages or photos"),
    ReportReason.underage_or_married: _l("Underage, or already married"),
    ReportReason.other: _l("Something else"),
}


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _length(low: int, high: int) -> list:
    return [
        Length(min=low, message=_l("Write at least %(n)d characters.", n=low)),
        Length(max=high, message=_l("Write at most %(n)d characters.", n=high)),
    ]


class ConfirmForm(FlaskForm):
    """Only the CSRF token: block and unblock are confirmed by their page."""


class ReportForm(FlaskForm):
    reason = SelectField(
        _l("What happened?"),
        choices=[SelectChoice("", _l("Choose a reason"))]
        + [SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[DataRequired(message=_l("Choose what happened."))],
        invalid_choice_message=_l("Choose a reason from the list."),
    )
    note = TextAreaField(
        _l("Anything else we should know (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("Write at most %(n)d characters.", n=NOTE_MAX)),
        ],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )
    also_block = BooleanField(_l("Also block this member"))

    @property
    def chosen_reason(self) -> ReportReason:
        return ReportReason(self.reason.data)


class DecisionForm(FlaskForm):
    """An administrator's decision on a report, with the statement of reasons."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("dismiss", _l("Dismiss: no action against the member")),
            SelectChoice("warn", _l("Warn: the member reads your statement and may appeal")),
            SelectChoice("suspend", _l("Suspend: signed out and hidden; told by SMS, may appeal")),
        ],
        validators=[DataRequired(message=_l("Choose dismiss, warn or suspend."))],
        invalid_choice_message=_l("Choose dismiss, warn or suspend."),
    )
    reason = TextAreaField(
        _l("Statement of reasons"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write the reason for your decision.")),
            *_length(STATEMENT_MIN, STATEMENT_MAX),
        ],
        render_kw={"rows": 5, "maxlength": STATEMENT_MAX},
    )


class AppealDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision on the appeal"),
        choices=[
            SelectChoice("uphold", _l("Uphold: the decision stands")),
            SelectChoice("overturn", _l("Overturn: the decision is reversed")),
        ],
        validators=[DataRequired(message=_l("Choose uphold or overturn."))],
        invalid_choice_message=_l("Choose uphold or overturn."),
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write the reason for your decision.")),
            *_length(STATEMENT_MIN, STATEMENT_MAX),
        ],
        render_kw={"rows": 4, "maxlength": STATEMENT_MAX},
    )

    @property
    def overturn(self) -> bool:
        return self.decision.data == "overturn"


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Why should the decision be reconsidered?"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write your appeal.")),
            *_length(APPEAL_MIN, APPEAL_MAX),
        ],
        render_kw={"rows": 6, "maxlength": APPEAL_MAX},
    )


class QueueFilterForm(FlaskForm):
    """Filters read from the query string: no CSRF token, nothing is changed."""

    class Meta:
        csrf = False

    state = SelectField(
        _l("State"),
        choices=[
            SelectChoice("open", _l("Open")),
            SelectChoice("dismissed", _l("Dismissed")),
            SelectChoice("warned", _l("Warned")),
            SelectChoice("suspended", _l("Suspended")),
            SelectChoice("", _l("Any state")),
        ],
        default="open",
        invalid_choice_message=_l("Choose a state from the list."),
    )
    source = SelectField(
        _l("Source"),
        choices=[
            SelectChoice("", _l("Members and the fraud filter")),
            SelectChoice("member", _l("Reported by a member")),
            SelectChoice("fraud_filter", _l("Flagged by the fraud filter")),
        ],
        default="",
        invalid_choice_message=_l("Choose a source from the list."),
    )
