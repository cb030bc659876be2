"""Forms of the administrators' console. They check the shape of input only."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.review import labels
from app.verify.messages import DEPARTMENT_NAMES

REASON_MIN = 5
REASON_MAX = 1000
FILTER_STATES = ("review", "error", "failed", "passed")


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class FilterForm(FlaskForm):
    """Filters read from the query string: no CSRF token, nothing is changed."""

    class Meta:
        csrf = False


class QueueFilterForm(FilterForm):
    department = SelectField(
        _l("Department"),
        choices=choices(
            [
                ("", _l("All departments")),
                *((d.value, name) for d, name in DEPARTMENT_NAMES.items()),
            ]
        ),
        default="",
        invalid_choice_message=_l("Choose a department from the list."),
    )
    state = SelectField(
        _l("Check state"),
        choices=choices(
            [("", _l("Any state"))] + [(s, labels.CHECK_STATES[s]) for s in FILTER_STATES]
        ),
        default="",
        invalid_choice_message=_l("Choose a check state from the list."),
    )
    submit = SubmitField(_l("Filter"))


class AuditFilterForm(FilterForm):
    """Choices are filled by the view from what the log holds."""

    action = SelectField(
        _l("Action"), default="", invalid_choice_message=_l("Choose an action from the list.")
    )
    actor = SelectField(
        _l("Done by"), default="", invalid_choice_message=_l("Choose someone from the list.")
    )
    submit = SubmitField(_l("Filter"))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices(
            [
                ("approve", _l("Approve: the applicant becomes a member")),
                ("reject", _l("Reject: the applicant is told the reason")),
            ]
        ),
        invalid_choice_message=_l("Choose whether to approve or reject."),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Write the reason for your decision.")),
            Length(min=REASON_MIN, message=_l("Write at least %(n)d characters.", n=REASON_MIN)),
            Length(max=REASON_MAX, message=_l("Write at most %(n)d characters.", n=REASON_MAX)),
        ],
        filters=[_strip],
        render_kw={"rows": 5, "maxlength": REASON_MAX},
    )
    submit = SubmitField(_l("Record the decision"))

    @property
    def approve(self) -> bool:
        return self.decision.data == "approve"
