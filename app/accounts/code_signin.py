"""Sign-in with a code sent by SMS (短信验证码登录): the way back for a forgotten
password or a number waiting after wrong passwords. Same limits as the sign-up code."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_fresh
from werkzeug.wrappers import Response

from app.accounts import bp, operations, throttle
from app.accounts.forms import ACCOUNT_MESSAGES, SigninCodeForm, SigninCodeRequestForm
from app.accounts.models import mask_phone
from app.accounts.routes import (
    DEV_CODE,
    SIGNIN_PHONE,
    guess_limit,
    keep_dev_code,
    post_limit,
    send_limit,
    sign_in_here,
    suspended_errors,
)
from app.extensions import db
from app.web import safe_next


def _next() -> str | None:
    return safe_next(request.args.get("next"))


@bp.route("/signin/code", methods=["GET", "POST"])
@post_limit("send_code_limit")
@send_limit()
def signin_code() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated and login_fresh():
        return redirect(_next() or url_for("main.home"))
    form = SigninCodeRequestForm()
    if request.method == "GET":
        return render_template("accounts/signin_code.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/signin_code.html", form=form), 400
    phone = form.phone.normalised
    code = operations.send_signin_code(phone)  # None for a number without an account
    db.session.commit()
    session[SIGNIN_PHONE] = phone
    keep_dev_code(code)
    flash(
        _(
            "If %(phone)s has an account, a 6-digit sign-in code is on its way. "
            "A new code can be sent once a minute.",
            phone=mask_phone(phone),
        ),
        "success",
    )
    return redirect(url_for(".signin_code_verify", next=_next()))


def _render_verify(form: SigninCodeForm, phone: str) -> str:
    return render_template(
        "accounts/signin_code_verify.html",
        form=form,
        masked_phone=mask_phone(phone),
        dev_code=session.get(DEV_CODE),
    )


@bp.route("/signin/code/verify", methods=["GET", "POST"])
@post_limit("signin_limit")
@guess_limit()
def signin_code_verify() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated and login_fresh():
        return redirect(_next() or url_for("main.home"))
    phone = session.get(SIGNIN_PHONE)
    if not phone:
        flash(_("Enter your mobile number first."), "info")
        return redirect(url_for(".signin_code"))
    form = SigninCodeForm()
    if request.method == "GET":
        return _render_verify(form, phone)
    if not form.validate_on_submit():
        return _render_verify(form, phone), 400
    try:
        user = operations.sign_in_with_code(phone, form.code.data)
    except operations.CodeRejected:  # one answer: "none" or "used" would tell who has an account
        form.code.errors.append(ACCOUNT_MESSAGES["signin_code_wrong"])
        return _render_verify(form, phone), 400
    throttle.succeeded(phone)
    session.pop(SIGNIN_PHONE, None)
    session.pop(DEV_CODE, None)
    if not user.is_active:
        db.session.commit()  # the code is used up
        form.code.errors.extend(suspended_errors())
        return _render_verify(form, phone), 403
    sign_in_here(user, remember=form.remember.data)
    return redirect(_next() or url_for("main.home"))
