"""Forms of My data: export, consent, deletion. CSRF on every one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length

CONFIRM_WORDS = ("DELETE", "删除")


class ExportForm(FlaskForm):
    submit = SubmitField(_l("Download my data (JSON)"))


class ConsentForm(FlaskForm):
    choice = HiddenField(validators=[AnyOf(["withdraw", "give"])])
    submit = SubmitField(_l("Confirm"))


class DeleteForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
    )
    confirm = StringField(
        _l("Type DELETE to confirm"),
        validators=[DataRequired(_l("Type DELETE to confirm.")), Length(max=20)],
    )
    submit = SubmitField(_l("Delete my account"))

    def validate_confirm(self, field: StringField) -> None:
        from wtforms.validators import ValidationError

        if (field.data or "").strip() not in CONFIRM_WORDS:
            raise ValidationError(_l("Type DELETE to confirm."))
