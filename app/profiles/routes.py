"""The member's own profile page, its edit forms (profile, values, preferences) and photos."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app import limits
from app.auth import member_required
from app.extensions import db
from app.profiles import bp, photos
from app.profiles.forms import PhotoForm, PreferencesForm, ProfileForm, ValuesForm
from app.profiles.models import MemberPhoto, MemberProfile
from app.profiles.public import public_card
from app.profiles.settings import Settings
from app.relations.queries import apart
from app.signals import member_ready_for_matching

PHOTO_CACHE_SECONDS = 7 * 24 * 3600  # a token's bytes never change


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
        first = profile is None
        if first:
            profile = MemberProfile(user_id=current_user.id, answers={}, answer_importance={})
            profile.cities = []
            db.session.add(profile)
        profile.nickname = form.nickname.data
        profile.city = form.city.data
        profile.height_cm = form.height_cm.data
        profile.occupation = form.occupation.data or None
        profile.tags = list(dict.fromkeys(form.tags.data or []))
        profile.bio = form.bio.data or ""
        if first:  # a verified member's first profile: quick match may list them today
            member_ready_for_matching.send(member_id=current_user.id)
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


@bp.route("/values", methods=["GET", "POST"])
@member_required
def values() -> str | Response | tuple[str, int]:
    """The values questionnaire (价值观问卷): every question may be skipped."""
    profile = db.session.get(MemberProfile, current_user.id)
    if profile is None:  # answers live on the profile row
        status = 400 if request.method == "POST" else 200
        return render_template("profiles/values.html", form=None), status
    form = ValuesForm()
    if not form.is_submitted():
        form.fill(profile.answers or {}, profile.answer_importance or {})
    if form.validate_on_submit():
        profile.answers, profile.answer_importance = form.answers()
        db.session.commit()
        flash(_("Your answers are saved."), "success")
        return redirect(url_for("profiles.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("profiles/values.html", form=form), status


def _own_photo(photo_id: int) -> MemberPhoto:
    """The member's own photo; anyone else's, like a missing one, is a 404."""
    photo = db.session.get(MemberPhoto, photo_id)
    if photo is None or photo.user_id != current_user.id:
        abort(404)
    return photo


def _photos_page(form: PhotoForm, status: int = 200, problem: str | None = None) -> tuple[str, int]:
    page = render_template(
        "profiles/photos.html",
        form=form,
        photos=photos.photos_of(current_user.id),
        max_photos=photos.MAX_PHOTOS,
        photo_url=photos.url,
        problem=problem,
    )
    return page, status


def _within_photo_limit() -> bool:
    """Count one upload or deletion against ``RATELIMIT_PHOTO``."""
    return limits.hit(Settings.current().photo_limit, "photo", current_user.id)


def _photo_limit_page() -> tuple[str, int]:
    problem = _("You have changed your photos many times in the last hour. Please try again later.")
    return _photos_page(PhotoForm(formdata=None), 429, problem)


def _commit_photo(photo: MemberPhoto) -> None:
    """Commit the new photo; when that fails its files go too (no orphans)."""
    token = photo.token
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        photos.discard(token)
        raise


@bp.get("/photos")
@member_required
def photo_list() -> tuple[str, int]:
    return _photos_page(PhotoForm(formdata=None))


def _refusal_status(refused: photos.PhotoRefused) -> int:
    if refused.message is photos.TOO_LARGE:
        return 413
    return 409 if refused.message is photos.TOO_MANY else 400


@bp.post("/photos")
@member_required
def photo_upload() -> Response | tuple[str, int]:
    try:
        form = PhotoForm()
    except RequestEntityTooLarge:  # beyond MAX_CONTENT_LENGTH: the body was not read
        form = PhotoForm(formdata=None)
        form.photo.errors = [str(photos.TOO_LARGE)]
        return _photos_page(form, 413)
    if not form.validate_on_submit():
        return _photos_page(form, 400)
    if not _within_photo_limit():
        return _photo_limit_page()
    try:
        photo = photos.add(current_user.id, form.photo.data.stream)
    except photos.PhotoRefused as refused:
        db.session.rollback()
        form.photo.errors = [str(refused.message)]
        return _photos_page(form, _refusal_status(refused))
    _commit_photo(photo)
    flash(_("Your photo is added."), "success")
    return redirect(url_for("profiles.photo_list"))


@bp.post("/photos/<int:photo_id>/delete")
@member_required
def photo_delete(photo_id: int) -> Response | tuple[str, int]:
    photo = _own_photo(photo_id)
    if not _within_photo_limit():
        return _photo_limit_page()
    photos.delete(photo)
    db.session.commit()
    flash(_("The photo is deleted."), "success")
    return redirect(url_for("profiles.photo_list"))


@bp.post("/photos/<int:photo_id>/main")
@member_required
def photo_main(photo_id: int) -> Response:
    photos.make_main(_own_photo(photo_id))
    db.session.commit()
    flash(_("This photo is now on your card."), "success")
    return redirect(url_for("profiles.photo_list"))


@bp.get("/photos/<token>/<variant>.jpg")
@member_required
def photo_file(token: str, variant: str) -> Response:
    """A photo's bytes, for members who may see its owner (and administrators)."""
    if variant not in (photos.FULL, photos.THUMB):
        abort(404)
    photo = db.session.scalar(db.select(MemberPhoto).where(MemberPhoto.token == token))
    if photo is None:
        abort(404)
    if not current_user.is_admin and apart(current_user.id, photo.user_id):
        abort(404)
    path = photos.file_path(photo.token, variant)
    try:
        response = send_file(path, mimetype="image/jpeg", conditional=True, etag=True)
    except FileNotFoundError:
        abort(404)
    response.cache_control.private = True
    response.cache_control.public = False
    response.cache_control.max_age = PHOTO_CACHE_SECONDS
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
