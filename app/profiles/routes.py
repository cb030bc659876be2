"""The member's own profile page and its edit form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import db
from app.profiles import bp
from app.profiles.forms import PreferencesForm, ProfileForm
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


@bp.route("/preferences", methods=["GET", "POST"])
@member_required
def preferences() -> str | Response | tuple[str, int]:
    profile = db.session.get(MemberProfile, current_user.id)
    if profile is None:  # preferences live on the profile row: nothing to save them on
        status = 400 if request.method == "POST" else 200
        return render_template("profiles/preferences.html", form=None), status
    form = PreferencesForm(obj=profile)
    if not form.is_submitted():
        form.min_education.data = str(profile.min_education or "")
    if form.validate_on_submit():
        profile.wants_gender = form.wants_gender.data
        profile.age_min = form.age_min.data
        profile.age_max = form.age_max.data
        profile.cities = list(dict.fromkeys(form.cities.data or []))
        profile.min_education = int(form.min_education.data) if form.min_education.data else None
        profile.height_min = form.height_min.data
        profile.height_max = form.height_max.data
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("profiles.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("profiles/preferences.html", form=form), status
