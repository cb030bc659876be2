"""Forms of verification. They check the shape of input only.

The applicant's real-name application checks the name, the ID number and the
consents; the rules (age, one person one account) live in ``operations``. The
administrators' forms filter the review queue and the audit log and record a decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from app.verification import labels
from app.verification.messages import DEPARTMENT_NAMES
from verification import resident_id

NAME_MIN, NAME_MAX = 2, 30
NAME_MAX_INPUT = 40
ID_MAX_INPUT = 30
REASON_MIN = 5
REASON_MAX = 1000
FILTER_STATES = ("review", "error", "failed", "passed")

# Han characters (basic block, extension A, compatibility, extensions B and later: rare
# characters do occur in names) and 〇.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CHINESE_NAME = re.compile(rf"[{_HAN}]+(?:·[{_HAN}]+)*")
LATIN_NAME = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
# The separator in names such as 买买提·艾力 is typed in many ways; keep one.
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "⋅": "·"})

NAME_MESSAGES = {
    "empty": _l("Enter your real name as it is on your ID card."),
    "length": _l("A name has 2 to 30 characters."),
    "characters": _l(
        "Use Chinese characters (with · between the parts of a name such as 买买提·艾力) "
        "or Latin letters and spaces, as on your ID card."
    ),
}

ID_MESSAGES = {
    "empty": _l("Enter your 18-character resident ID number."),
    "obsolete": _l(
        "15-digit ID numbers are no longer valid. Enter the 18-character number on your "
        "current ID card."
    ),
    "length": _l("A resident ID number has 18 characters; this one has %(count)d."),
    "characters": _l("An ID number is 17 digits followed by a digit or the letter X."),
    "region": _l("The first 6 digits are not a region code. Check the number on your ID card."),
    "birth_date": _l(
        "Digits 7 to 14 are not a possible date of birth. Check the number on your ID card."
    ),
    "checksum": _l(
        "The last character does not fit the other digits, so one of them is probably "
        "mistyped. Check the number on your ID card."
    ),
}

CONSENT_CHANGED = _l(
    "The consent wording has been updated. Please read it and tick the boxes again."
)


def normalise_name(value: object) -> object:
    """Full-width letters and spaces to ordinary ones, one kind of middle dot, no spaces
    around it or inside a Chinese name, and single spaces between Latin parts."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).translate(_DOTS)
    text = " ".join(text.split())
    text = re.sub(r"\s*·\s*", "·", text)
    if re.search(f"[{_HAN}]", text):
        text = text.replace(" ", "")
    return text


def compact_id_number(value: str) -> str:
    """What people type -> 18 characters: full-width to ASCII, no spaces at all."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


class RealNameField(StringField):
    def pre_validate(self, form: FlaskForm) -> None:
        name = self.data or ""
        if not name:
            raise ValidationError(str(NAME_MESSAGES["empty"]))
        if not NAME_MIN <= len(name) <= NAME_MAX:
            raise ValidationError(str(NAME_MESSAGES["length"]))
        if not (CHINESE_NAME.fullmatch(name) or LATIN_NAME.fullmatch(name)):
            raise ValidationError(str(NAME_MESSAGES["characters"]))


class ResidentIdField(StringField):
    """A resident ID number; ``parsed`` holds the ``ResidentId`` after validation."""

    parsed: resident_id.ResidentId | None = None

    def pre_validate(self, form: FlaskForm) -> None:
        compact = compact_id_number(self.data or "")
        try:
            self.parsed = resident_id.parse(compact)
        except resident_id.InvalidResidentId as error:
            message = ID_MESSAGES.get(error.code, ID_MESSAGES["characters"])
            raise ValidationError(str(message) % {"count": len(compact)}) from None


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class ApplicationForm(FlaskForm):
    name = RealNameField(
        _l("Real name"),
        filters=[normalise_name],
        render_kw={"autocomplete": "name", "maxlength": NAME_MAX_INPUT, "spellcheck": "false"},
    )
    id_number = ResidentIdField(
        _l("Resident ID number"),
        filters=[_strip],
        render_kw={
            "autocomplete": "off",
            "maxlength": ID_MAX_INPUT,
            "spellcheck": "false",
            "autocapitalize": "characters",
        },
    )
    consent_version = HiddenField()
    consent_sensitive = BooleanField(
        _l(
            "I consent to the processing of my real name and resident ID number, which are "
            "sensitive personal information, to verify my identity."
        ),
        validators=[
            DataRequired(
                message=_l("Tick this box to consent to the processing of your information.")
            )
        ],
    )
    consent_share = BooleanField(
        _l(
            "I consent to my real name and ID number being shared with each of the six "
            "departments listed above, only to verify this application."
        ),
        validators=[
            DataRequired(message=_l("Tick this box to consent to sharing with the departments."))
        ],
    )
    submit = SubmitField(_l("Send my application"))

    def __init__(self, *args: object, wording_version: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.wording_version = wording_version
        if not self.consent_version.data:
            self.consent_version.data = wording_version

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)
        if self.consent_version.data != self.wording_version:
            # The applicant consented to other wording: show the current one, ask again.
            self.consent_sensitive.errors = [*self.consent_sensitive.errors, str(CONSENT_CHANGED)]
            self.consent_sensitive.data = self.consent_share.data = False
            self.consent_version.data = self.wording_version
            return False
        return valid


# The administrators' review


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


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
