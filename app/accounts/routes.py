"""Account views. Thin: forms check shape, operations apply rules, views commit."""

from __future__ import annotations

import math

from flask import (
    flash,
    make_response,
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
    login_required,
    login_user,
    logout_user,
)
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.accounts import bp, devices, operations, throttle
from app.accounts.forms import (
    ACCOUNT_MESSAGES,
    PasswordChangeForm,
    PhoneForm,
    SigninForm,
    SignoutEverywhereForm,
    SignoutForm,
    SignupForm,
)
from app.accounts.loader import current_device
from app.accounts.models import User, mask_phone
from app.accounts.phone import InvalidPhone, normalise_mobile
from app.accounts.settings import Settings
from app.extensions import db, limiter
from app.web import safe_next

SIGNUP_PHONE = "signup_phone"
SIGNIN_PHONE = "signin_code_phone"
DEV_CODE = "dev_sms_code"
REMEMBER_COOKIE = "remember_token"  # Flask-Login's default name
# Views whose form names the phone; the others use the one kept in the session.
_PHONE_FROM_FORM = {"accounts.signup", "accounts.signin_code"}


def post_limit(name: str):
    """POSTs per client address, by the accounts setting ``name`` (a rate limit)."""
    return limiter.limit(lambda: getattr(Settings.current(), name), methods=["POST"])


def _phone_key() -> str:
    """Rate-limit key for codes: the number they are for, else the client address.

    Only the first step of sign-up and of code sign-in takes the number from the form.
    Resending and checking a code use the number kept in the session, so a posted
    ``phone`` field cannot choose a fresh limit for every guess.
    """
    endpoint = request.endpoint or ""
    kept = SIGNIN_PHONE if endpoint.startswith("accounts.signin_code") else SIGNUP_PHONE
    from_form = request.form.get("phone") if endpoint in _PHONE_FROM_FORM else None
    raw = from_form or session.get(kept) or ""
    try:
        return "phone:" + normalise_mobile(raw)
    except InvalidPhone:
        return "addr:" + (request.remote_addr or "unknown")


def send_limit():
    """Codes sent, per number (``RATELIMIT_SEND_CODE``)."""
    return limiter.limit(
        lambda: Settings.current().send_code_limit, key_func=_phone_key, methods=["POST"]
    )


def guess_limit():
    """Codes tried, per number (``RATELIMIT_CODE_GUESSES``)."""
    return limiter.limit(
        lambda: Settings.current().code_guess_limit, key_func=_phone_key, methods=["POST"]
    )


def keep_dev_code(code: str | None) -> None:
    """Development only: keep the code for the next page to show (no SMS is sent)."""
    if code and Settings.current().show_code_on_page:
        session[DEV_CODE] = code
    else:
        session.pop(DEV_CODE, None)


def sign_in_here(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on this browser with a new device session. Commits.

    A device session this browser had (a stale sign-in, another account) ends; a
    browser that was kept signed in stays so, under the new one.
    """
    previous = current_device()
    if previous is not None:
        devices.end(previous)
        remember = remember or REMEMBER_COOKIE in request.cookies
    token = devices.start(user, request.headers.get("User-Agent", ""))
    db.session.commit()
    user.device_token = token  # names the device session in the login id
    login_user(user, remember=remember)


def suspended_errors() -> list[str]:
    return [
        _(
            "This account is suspended. Contact the service desk: %(contact)s.",
            contact=Settings.current().support_contact,
        ),
        _(
            "To appeal, open the link in the text message we sent you when the account "
            "was suspended (valid for 30 days)."
        ),
    ]


def _send_and_remember(phone: str) -> None:
    code = operations.send_signup_code(phone)
    db.session.commit()
    session[SIGNUP_PHONE] = phone
    keep_dev_code(code)
    flash(_("We sent a 6-digit code to %(phone)s.", phone=mask_phone(phone)), "success")


@bp.route("/signup", methods=["GET", "POST"])
@post_limit("send_code_limit")
@send_limit()
def signup() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = PhoneForm()
    if request.method == "GET":
        return render_template("accounts/signup_phone.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/signup_phone.html", form=form), 400
    phone = form.phone.normalised
    try:  # a registered number is answered the same; its owner gets an SMS saying so
        _send_and_remember(phone)
    except operations.CodeSentRecently:
        session[SIGNUP_PHONE] = phone
        flash(ACCOUNT_MESSAGES["sent_recently"], "info")
    return redirect(url_for(".signup_verify"))


@bp.post("/signup/resend")
@post_limit("send_code_limit")
@send_limit()
def signup_resend() -> Response | tuple[str, int]:
    phone = session.get(SIGNUP_PHONE)
    if not phone:
        return redirect(url_for(".signup"))
    form = SignoutForm()  # only the CSRF token is needed
    if not form.validate_on_submit():
        return redirect(url_for(".signup_verify"))
    try:
        _send_and_remember(phone)
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
@post_limit("signup_limit")
@guess_limit()
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
        sign_in_here(user)
    except (operations.PhoneTaken, IntegrityError):
        # Only the code's holder gets here: a double tap whose first tap won.
        db.session.rollback()
        return _already_created()
    except operations.CodeRejected as error:
        form.code.errors.append(ACCOUNT_MESSAGES[error.reason])
        return _render_verify(form, phone), 400
    except operations.WeakPassword as error:
        form.password.errors.append(ACCOUNT_MESSAGES[error.reason])
        return _render_verify(form, phone), 400
    session.pop(SIGNUP_PHONE, None)
    session.pop(DEV_CODE, None)
    flash(_("Welcome to Queqiao! Your account is ready."), "success")
    return redirect(url_for("main.home"))


def _already_created() -> Response:
    session.pop(SIGNUP_PHONE, None)
    session.pop(DEV_CODE, None)
    flash(ACCOUNT_MESSAGES["already_created"], "info")
    return redirect(url_for(".signin"))


@bp.route("/signin", methods=["GET", "POST"])
@post_limit("signin_limit")
def signin() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated and login_fresh():
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    form = SigninForm()
    if request.method == "GET":
        return render_template("accounts/signin.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/signin.html", form=form), 400
    phone = form.phone.normalised
    wait = throttle.admit(phone)
    if wait:
        return _wait_for_turn(form, wait)
    user = operations.authenticate(phone, form.password.data)
    if user is None:
        form.password.errors.append(_("The mobile number or password is not right."))
        return render_template("accounts/signin.html", form=form), 401
    throttle.succeeded(phone)
    if not user.is_active:
        form.phone.errors.extend(suspended_errors())
        return render_template("accounts/signin.html", form=form), 403
    sign_in_here(user, remember=form.remember.data)
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


def _wait_for_turn(form: SigninForm, wait: int) -> Response:
    """429 for a number with too many wrong passwords: how long, and the way back."""
    minutes = max(1, math.ceil(wait / 60))
    form.password.errors.append(
        _(
            "Too many wrong passwords for this number. Wait %(minutes)d min and try again, "
            "or sign in with a code sent to the phone by SMS.",
            minutes=minutes,
        )
    )
    page = render_template("accounts/signin.html", form=form, offer_code=True)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.post("/signout")
def signout() -> Response:
    if SignoutForm().validate_on_submit():
        device = current_device()
        if device is not None:  # its session and remember-me cookies stop working
            devices.end(device)
            db.session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.post("/signout/everywhere")
@login_required
def signout_everywhere() -> Response:
    if not SignoutEverywhereForm().validate_on_submit():
        return redirect(url_for(".index"))
    devices.end_all(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device, this one included."), "info")
    return redirect(url_for("main.home"))


@bp.get("/")
@login_required
def index() -> str:
    """我的账号: the number, the password, and the devices signed in."""
    return render_template(
        "accounts/index.html",
        devices=devices.of_user(current_user),
        this_device=current_device(),
        everywhere_form=SignoutEverywhereForm(),
    )


@bp.route("/password", methods=["GET", "POST"])
@fresh_login_required
def password() -> Response | tuple[str, int] | str:
    form = PasswordChangeForm()
    if request.method == "GET":
        return render_template("accounts/password.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/password.html", form=form), 400
    try:
        operations.change_password(
            current_user, form.current.data, form.password.data, keep=current_device()
        )
    except operations.WrongPassword as error:
        form.current.errors.append(ACCOUNT_MESSAGES[error.reason])
        return render_template("accounts/password.html", form=form), 400
    except operations.WeakPassword as error:
        form.password.errors.append(ACCOUNT_MESSAGES[error.reason])
        return render_template("accounts/password.html", form=form), 400
    db.session.commit()
    flash(_("Your password is changed. Other devices have been signed out."), "success")
    return redirect(url_for("main.home"))
