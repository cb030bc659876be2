"""The member's own profile page and its edit form."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import db
from app.profiles import bp
from app.profiles.forms import ProfileForm
from app.profiles.models import MemberProfile
from app.profiles.public import public_card
from app.verify.guard import member_required


@bp.get("/")
@member_required
def index() -> str:
    profile = db.session.get(MemberProfile, current_user.id)
    card = public_card(current_user.id) if profile is not None else None
    return render_template("profiles/index.html", profile=profile, card=card)


@bp.route("/edit", methods=["GET", "POST"])
@member_required
def edit() -> str | Response | tuple[str, int]:
    profile = db.session.get(MemberProfile, current_user.id)
    form = ProfileForm(obj=profile)
    if form.validate_on_submit():
        if profile is None:
            profile = MemberProfile(user_id=current_user.id, answers={}, answer_importance={})
            profile.cities = []
            db.session.add(profile)
        profile.nickname = form.nickname.data
        profile.city = form.city.data
        profile.height_cm = form.height_cm.data
        profile.occupation = form.occupation.data or None
        profile.tags = list(dict.fromkeys(form.tags.data or []))
        profile.bio = form.bio.data or ""
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profiles.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("profiles/edit.html", form=form), status
