"""Account forms: they check the shape of input; rules live in operations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from app.accounts import passwords
from app.accounts.phone import MAX_INPUT_LENGTH, InvalidPhone, normalise_mobile

PHONE_MESSAGES = {
    "empty": _l("Enter your mobile number."),
    "malformed": _l("This is not a valid mobile number. Enter 11 digits, e.g. 138 0013 8000."),
    "foreign": _l("Only mainland China mobile numbers (+86) can register."),
    "not_mobile": _l("Enter a mobile number (11 digits starting with 1), not a landline."),
    "too_long": _l("That is too long for a mobile number."),
}

ACCOUNT_MESSAGES = {
    "phone_taken": _l("This number is already registered. Sign in instead."),
    "wrong": _l("The code is not right. Check the SMS and try again."),
    "expired": _l("The code has expired. Request a new one."),
    "used": _l("This code has already been used. Request a new one."),
    "none": _l("No code was sent to this number. Request a code first."),
    "sent_recently": _l("A code was just sent. Wait a minute before asking for another."),
    "wrong_password": _l("The current password is not right."),
    "already_created": _l("Your account has already been created. Sign in with it."),
    "signin_code_wrong": _l(
        "The code is not right or no longer valid. Check the SMS, or ask for a new code."
    ),
    "too_short": _l("Use at least %(n)d characters.", n=passwords.MIN_LENGTH),
    "too_long": _l("Use at most %(n)d characters.", n=passwords.MAX_LENGTH),
    "contains_phone": _l("Do not use your phone number in your password."),
    "only_digits": _l("Mix letters or symbols with the digits."),
    "guessable": _l(
        "Too easy to guess. Avoid common words, names, dates and sequences like 123456."
    ),
}


class PhoneField(StringField):
    """A mobile number; ``data`` holds the normalised ``+86…`` form after validation."""

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            self.normalised = normalise_mobile(self.data or "")
        except InvalidPhone as error:
            raise ValidationError(str(PHONE_MESSAGES[str(error)])) from None


def _phone_field() -> PhoneField:
    return PhoneField(
        _l("Mobile number"),
        render_kw={"autocomplete": "tel", "inputmode": "tel", "maxlength": MAX_INPUT_LENGTH},
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(max=passwords.MAX_LENGTH, message=ACCOUNT_MESSAGES["too_long"]),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": passwords.MAX_LENGTH},
    )


class PhoneForm(FlaskForm):
    phone = _phone_field()
    submit = SubmitField(_l("Send code"))


def _code_field() -> StringField:
    return StringField(
        _l("SMS code"),
        validators=[
            DataRequired(message=_l("Enter the 6-digit code from the SMS.")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 digits.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6},
    )


class SignupForm(FlaskForm):
    code = _code_field()
    password = _new_password_field(_l("Password"))
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password", "maxlength": passwords.MAX_LENGTH},
    )
    agree = BooleanField(
        _l("I have read and agree to the terms of service and the privacy policy"),
        validators=[DataRequired(message=_l("Please agree to the terms to continue."))],
    )
    submit = SubmitField(_l("Create account"))


class SigninForm(FlaskForm):
    phone = _phone_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=passwords.MAX_LENGTH, message=ACCOUNT_MESSAGES["too_long"]),
        ],
        render_kw={"autocomplete": "current-password", "maxlength": passwords.MAX_LENGTH},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(message=_l("Enter your current password.")),
            Length(max=passwords.MAX_LENGTH, message=ACCOUNT_MESSAGES["too_long"]),
        ],
        render_kw={"autocomplete": "current-password", "maxlength": passwords.MAX_LENGTH},
    )
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password", "maxlength": passwords.MAX_LENGTH},
    )
    submit = SubmitField(_l("Change password"))


class SignoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class SigninCodeRequestForm(FlaskForm):
    phone = _phone_field()
    submit = SubmitField(_l("Send sign-in code"))


class SigninCodeForm(FlaskForm):
    code = _code_field()
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class SignoutEverywhereForm(FlaskForm):
    submit = SubmitField(_l("Sign out on every device"))
