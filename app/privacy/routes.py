"""My data: what is stored, who viewed it, export, withdraw consent, delete the account.

Open to every signed-in user (registered and verifying users have data too). Views are
thin: ``operations`` does the work and flushes, views commit.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts import passwords
from app.accounts.models import User
from app.extensions import db, limiter
from app.privacy import bp, operations
from app.privacy.forms import ConsentForm, DeleteForm, ExportForm


def _user() -> User:
    return current_user._get_current_object()


def _purpose(value: str) -> str:
    labels = {
        "verification review": _("Verification review"),
        "report review": _("Report review"),
        "consultation": _("A consultation you asked for"),
        "introduction": _("Considering an introduction"),
        "role management": _("Managing roles"),
    }
    return labels.get(value, value)


def _role(value: str) -> str:
    return {"admin": _("Administrator"), "matchmaker": _("Matchmaker")}.get(value, _("Staff"))


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "privacy/index.html",
        data=operations.summary(_user()),
        export_form=ExportForm(),
        purpose=_purpose,
        role=_role,
    )


@bp.post("/export")
@login_required
@limiter.limit("5 per day", key_func=lambda: f"privacy-export:{current_user.id}")
def export() -> Response:
    form = ExportForm()
    if not form.validate_on_submit():
        return Response(_("The form has expired. Please try again."), status=400)
    body = json.dumps(operations.export(_user()), ensure_ascii=False, indent=2)
    filename = f"queqiao-my-data-{date.today().isoformat()}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.route("/consent", methods=["GET", "POST"])
@login_required
def consent() -> str | Response | tuple[str, int]:
    form = ConsentForm()
    user = _user()
    if form.is_submitted():
        if not form.validate():
            return render_template("privacy/consent.html", form=form, user=user), 400
        if form.choice.data == "withdraw":
            operations.withdraw_consent(user)
            message = _("You have withdrawn your consent. You are out of quick match.")
        else:
            operations.give_consent(user)
            message = _("Thank you. You are back in quick match from the next daily list.")
        db.session.commit()
        flash(message, "success")
        return redirect(url_for(".consent"))
    return render_template("privacy/consent.html", form=form, user=user)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete() -> str | Response | tuple[str, int]:
    form = DeleteForm()
    user = _user()
    if form.is_submitted():
        if not form.validate():
            return render_template("privacy/delete.html", form=form), 400
        if not passwords.verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("That password is not right."))
            return render_template("privacy/delete.html", form=form), 400
        operations.delete_account(user)
        db.session.commit()
        logout_user()
        flash(_("Your account and your personal data have been deleted."), "success")
        return redirect(url_for("main.home"))
    return render_template("privacy/delete.html", form=form)
