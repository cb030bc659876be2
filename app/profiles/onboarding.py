"""完善资料: how complete a member's profile is, and the stepper that completes it.

The checklist (shown on the home page with a meter) has five items, each "done" by
what is stored:

- photo: at least one photo;
- bio: an "about me" that is not empty;
- tags: at least ``MIN_TAGS`` interests;
- values: at least half of the values questions answered;
- preferences: the preferences saved once: saving them always says who the member is
  looking for (``wants_gender``; a new profile has none), or any of them differs from
  a new profile's (ages 18 to 60, any city, degree or height).

The stepper (``/profile/welcome/<step>``) walks profile → photos → values →
preferences. Each step's form is the profile pages' own form, saved by the profile
pages' own view (so both save alike); after a save, or with "skip", it goes on to the
next step; the last step lands on the home page. ``/profile/welcome`` welcomes the
newly approved member and starts at the first step not done.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.auth import member_required
from app.extensions import db
from app.profiles import bp, photos, routes
from app.profiles.forms import PhotoForm, PreferencesForm, ProfileForm, ValuesForm
from app.profiles.models import MIN_AGE, MemberPhoto, MemberProfile
from matching.vocabulary import QUESTIONS

MIN_TAGS = 3
DEFAULT_MAX_AGE = 60  # a new profile's oldest age (MemberProfile.age_max)
PHOTO_REFUSED = _l(
    "This photo could not be used. Choose a JPEG, PNG or WebP photo of at least "
    "200 × 200 pixels, up to 5 MB."
)
STEPS = ("profile", "photos", "values", "preferences")
STEP_LABELS = {
    "profile": _l("About you"),
    "photos": _l("Photos"),
    "values": _l("Values"),
    "preferences": _l("Your wishes"),
}


@dataclass(frozen=True)
class Item:
    key: str
    label: object  # lazy gettext
    done: bool
    step: str  # the stepper step that completes it


@dataclass(frozen=True)
class Checklist:
    items: tuple[Item, ...]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done == self.total


def checklist(user_id: int) -> Checklist:
    profile = db.session.get(MemberProfile, user_id)
    photo_count = db.session.scalar(
        select(func.count()).select_from(MemberPhoto).where(MemberPhoto.user_id == user_id)
    )
    answers = (profile.answers or {}) if profile else {}
    return Checklist(
        (
            Item("photo", _l("Add a photo"), bool(photo_count), "photos"),
            Item(
                "bio",
                _l("Write a few lines about you"),
                bool(profile and profile.bio.strip()),
                "profile",
            ),
            Item(
                "tags",
                _l("Choose at least %(count)d interests", count=MIN_TAGS),
                bool(profile and len(profile.tags or []) >= MIN_TAGS),
                "profile",
            ),
            Item(
                "values",
                _l("Answer the values questions"),
                len([k for k in answers if k in QUESTIONS]) * 2 >= len(QUESTIONS),
                "values",
            ),
            Item(
                "preferences",
                _l("Say who you are looking for"),
                profile is not None and _wishes_set(profile),
                "preferences",
            ),
        )
    )


def _wishes_set(profile: MemberProfile) -> bool:
    return bool(
        profile.wants_gender
        or (profile.age_min, profile.age_max) != (MIN_AGE, DEFAULT_MAX_AGE)
        or profile.cities
        or profile.min_education
        or profile.height_min
        or profile.height_max
    )


def start_url(user_id: int) -> str:
    """Where a member goes to complete the profile: the profile step while there is no
    profile, else the first step of the stepper not done, or home when all are."""
    open_steps = {item.step for item in checklist(user_id).items if not item.done}
    if db.session.get(MemberProfile, user_id) is None:
        open_steps.add("profile")
    step = next((step for step in STEPS if step in open_steps), None)
    return url_for("profiles.onboarding", step=step) if step else url_for("main.home")


def _next_url(step: str) -> str:
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return url_for("profiles.onboarding", step=STEPS[index + 1])
    return url_for("main.home")


@bp.get("/welcome")
@member_required
def onboarding_start() -> str:
    """The welcome: the four steps ahead and the way in, at the first step not done."""
    listed = checklist(current_user.id)
    return render_template(
        "profiles/onboarding/welcome.html",
        steps=[(key, STEP_LABELS[key]) for key in STEPS],
        start=start_url(current_user.id),
        checklist=listed,
    )


@bp.route("/welcome/<step>", methods=["GET", "POST"])
@member_required
def onboarding(step: str) -> Response | tuple[str, int]:
    if step not in STEPS:
        raise NotFound()
    if request.method == "POST":
        saved = _save(step)
        if saved is None:  # a form error: the step again, with the messages
            return _render(step, _posted_form(step), 400)
        return redirect(
            url_for("profiles.onboarding", step=step) if step == "photos" else _next_url(step)
        )
    return _render(step, _blank_form(step))


def _save(step: str) -> Response | None:
    """Save with the profile pages' own view; its redirect says it saved."""
    view = {
        "profile": routes.edit,
        "photos": routes.photo_upload,
        "values": routes.values,
        "preferences": routes.preferences,
    }[step]
    answer = view()
    return answer if isinstance(answer, Response) and answer.status_code in (302, 303) else None


def _profile() -> MemberProfile | None:
    return db.session.get(MemberProfile, current_user.id)


def _blank_form(step: str) -> object | None:
    profile = _profile()
    if step == "profile":
        return ProfileForm(obj=profile)
    if step == "photos":
        return PhotoForm(formdata=None)
    if profile is None:
        return None  # values and preferences are kept on the profile row
    if step == "values":
        form = ValuesForm(formdata=None)
        form.fill(profile.answers or {}, profile.answer_importance or {})
        return form
    form = PreferencesForm(obj=profile)
    form.min_education.data = str(profile.min_education or "")
    return form


def _posted_form(step: str) -> object | None:
    """The form as posted, validated again to carry its messages."""
    if step in ("values", "preferences") and _profile() is None:
        return None
    form = {
        "profile": ProfileForm,
        "photos": PhotoForm,
        "values": ValuesForm,
        "preferences": PreferencesForm,
    }[step]()
    if form.validate() and step == "photos":  # the file itself was refused
        form.photo.errors = [str(PHOTO_REFUSED)]
    return form


def _render(step: str, form: object | None, status: int = 200) -> tuple[str, int]:
    index = STEPS.index(step)
    page = render_template(
        f"profiles/onboarding/{step}.html",
        step=step,
        steps=[(key, STEP_LABELS[key]) for key in STEPS],
        index=index,
        form=form,
        next_url=_next_url(step),
        is_last=index == len(STEPS) - 1,
        photos=photos.photos_of(current_user.id) if step == "photos" else [],
        photo_url=photos.url,
        max_photos=photos.MAX_PHOTOS,
        checklist=checklist(current_user.id),
    )
    return page, status
