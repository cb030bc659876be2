"""Account views. Thin: forms check shape, operations apply rules, views commit."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import (
    current_user,
    fresh_login_required,
    login_fresh,
    login_user,
    logout_user,
)
from werkzeug.wrappers import Response

from app.accounts import bp, operations
from app.accounts.forms import (
    ACCOUNT_MESSAGES,
    PasswordChangeForm,
    PhoneForm,
    SigninForm,
    SignoutForm,
    SignupForm,
)
from app.accounts.models import CodePurpose, mask_phone
from app.accounts.phone import InvalidPhone, normalise_mobile
from app.extensions import db, limiter
from app.web import safe_next

SIGNUP_PHONE = "signup_phone"
DEV_CODE = "dev_sms_code"


def _limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


def _phone_key() -> str:
    """Rate-limit key for codes: the number they are for, else the client address.

    Only sign-up step one takes the number from the form. Resending and checking a
    code use the number kept in the session, so a posted ``phone`` field cannot
    choose a fresh limit for every guess.
    """
    from_form = request.form.get("phone") if request.endpoint == "accounts.signup" else None
    raw = from_form or session.get(SIGNUP_PHONE) or ""
    try:
        return "phone:" + normalise_mobile(raw)
    except InvalidPhone:
        return "addr:" + (request.remote_addr or "unknown")


def _send_limit():
    return limiter.limit(
        lambda: current_app.config["RATELIMIT_SEND_CODE"], key_func=_phone_key, methods=["POST"]
    )


def _send_and_remember(phone: str) -> None:
    code = operations.send_code(phone, CodePurpose.signup)
    db.session.commit()
    session[SIGNUP_PHONE] = phone
    if current_app.config["SMS_SHOW_CODE_ON_PAGE"]:
        session[DEV_CODE] = code
    flash(_("We sent a 6-digit code to %(phone)s.", phone=mask_phone(phone)), "success")


@bp.route("/signup", methods=["GET", "POST"])
@_limit("RATELIMIT_SEND_CODE")
@_send_limit()
def signup() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = PhoneForm()
    if request.method == "GET":
        return render_template("accounts/signup_phone.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/signup_phone.html", form=form), 400
    phone = form.phone.normalised
    try:
        _send_and_remember(phone)
    except operations.PhoneTaken as error:
        form.phone.errors.append(ACCOUNT_MESSAGES[error.reason])
        return render_template("accounts/signup_phone.html", form=form, taken=True), 409
    except operations.CodeSentRecently:
        session[SIGNUP_PHONE] = phone
        flash(ACCOUNT_MESSAGES["sent_recently"], "info")
    return redirect(url_for(".signup_verify"))


@bp.post("/signup/resend")
@_limit("RATELIMIT_SEND_CODE")
@_send_limit()
def signup_resend() -> Response | tuple[str, int]:
    phone = session.get(SIGNUP_PHONE)
    if not phone:
        return redirect(url_for(".signup"))
    form = SignoutForm()  # only the CSRF token is needed
    if not form.validate_on_submit():
        return redirect(url_for(".signup_verify"))
    try:
        _send_and_remember(phone)
    except operations.PhoneTaken:
        flash(ACCOUNT_MESSAGES["phone_taken"], "error")
        return redirect(url_for(".signin"))
    except operations.CodeSentRecently:
        flash(ACCOUNT_MESSAGES["sent_recently"], "error")
        return _render_verify(SignupForm(formdata=None), phone), 429
    return redirect(url_for(".signup_verify"))


def _render_verify(form: SignupForm, phone: str) -> str:
    return render_template(
        "accounts/signup_verify.html",
        form=form,
        masked_phone=mask_phone(phone),
        dev_code=session.get(DEV_CODE),
        resend_form=SignoutForm(),
    )


@bp.route("/signup/verify", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP")
@limiter.limit(
    lambda: current_app.config["RATELIMIT_CODE_GUESSES"], key_func=_phone_key, methods=["POST"]
)
def signup_verify() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    phone = session.get(SIGNUP_PHONE)
    if not phone:
        flash(_("Enter your mobile number first."), "info")
        return redirect(url_for(".signup"))
    form = SignupForm()
    if request.method == "GET":
        return _render_verify(form, phone)
    if not form.validate_on_submit():
        return _render_verify(form, phone), 400
    try:
        user = operations.register(phone, form.password.data, form.code.data)
        db.session.commit()
    except operations.PhoneTaken:
        db.session.rollback()
        form.code.errors.append(ACCOUNT_MESSAGES["phone_taken"])
        return _render_verify(form, phone), 409
    except operations.CodeRejected as error:
        form.code.errors.append(ACCOUNT_MESSAGES[error.reason])
        return _render_verify(form, phone), 400
    except operations.WeakPassword as error:
        form.password.errors.append(ACCOUNT_MESSAGES[error.reason])
        return _render_verify(form, phone), 400
    session.pop(SIGNUP_PHONE, None)
    session.pop(DEV_CODE, None)
    login_user(user)
    flash(_("Welcome to Queqiao! Your account is ready."), "success")
    return redirect(url_for("main.home"))


@bp.route("/signin", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNIN")
def signin() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated and login_fresh():
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    form = SigninForm()
    if request.method == "GET":
        return render_template("accounts/signin.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/signin.html", form=form), 400
    user = operations.authenticate(form.phone.normalised, form.password.data)
    if user is None:
        form.password.errors.append(_("The mobile number or password is not right."))
        return render_template("accounts/signin.html", form=form), 401
    if not user.is_active:
        form.phone.errors.append(_("This account is suspended. Contact the service desk."))
        form.phone.errors.append(
            _(
                "To appeal, open the link in the text message we sent you when the account "
                "was suspended (valid for 30 days)."
            )
        )
        return render_template("accounts/signin.html", form=form), 403
    db.session.commit()
    login_user(user, remember=form.remember.data)
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


@bp.post("/signout")
def signout() -> Response:
    if SignoutForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@fresh_login_required
def password() -> Response | tuple[str, int] | str:
    form = PasswordChangeForm()
    if request.method == "GET":
        return render_template("accounts/password.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/password.html", form=form), 400
    try:
        operations.change_password(current_user, form.current.data, form.password.data)
    except operations.WrongPassword as error:
        form.current.errors.append(ACCOUNT_MESSAGES[error.reason])
        return render_template("accounts/password.html", form=form), 400
    except operations.WeakPassword as error:
        form.password.errors.append(ACCOUNT_MESSAGES[error.reason])
        return render_template("accounts/password.html", form=form), 400
    db.session.commit()
    login_user(current_user._get_current_object(), fresh=True)  # new session token
    flash(_("Your password is changed. Other devices have been signed out."), "success")
    return redirect(url_for("main.home"))
