"""What the signed-in home page says: who the reader is, where they stand and what is new.

``home_for(user)`` reads, never writes. Each account state gets its own page:

- a member (role member, verified): the features' news (``Registry.news``, each
  feature counting its own tables) and the profile checklist (``app.profiles.onboarding``);
  while the profile is not there yet, the step tracker too, at its "profile" step;
- a registrant: the step tracker (sign up → real-name application → verified → profile →
  first suggestions) and the next action; with a rejected or lapsed latest case, the
  department's reasons and "apply again";
- an applicant whose case is open: the tracker and the link to its live progress page;
- a suspended account: what happened and whom to contact;
- a matchmaker or an administrator: the console entry, no dating prompts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from app import features
from app.accounts.models import AccountState, Role
from app.profiles.onboarding import Checklist, checklist, start_url
from app.profiles.public import nickname
from app.profiles.queries import has_profile
from app.verification import messages
from app.verification.queries import latest_case

TRACKER = (
    ("signup", _l("Sign up")),
    ("apply", _l("Real-name application")),
    ("verified", _l("Verified")),
    ("profile", _l("Profile")),
    ("suggestions", _l("First suggestions")),
)


@dataclass
class Home:
    kind: str  # member, registered, verifying, rejected, suspended, staff
    name: str
    tracker_at: str | None = None  # the current tracker step, when the tracker shows
    news: list[features.NewsItem] = field(default_factory=list)
    checklist: Checklist | None = None
    onboarding_url: str | None = None
    case_url: str | None = None
    reasons: list[str] = field(default_factory=list)
    free_reason: str | None = None
    lapsed: bool = False
    tracker: tuple = TRACKER

    def step_state(self, key: str) -> str:
        """``done``, ``current`` or ``todo`` for a tracker step."""
        keys = [k for k, _ in self.tracker]
        at = keys.index(self.tracker_at) if self.tracker_at in keys else len(keys)
        here = keys.index(key)
        return "done" if here < at else "current" if here == at else "todo"


def display_name(user: Any) -> str:
    """The public nickname once the member has a profile; the masked phone before."""
    return nickname(user.id) if has_profile(user.id) else user.masked_phone


def home_for(user: Any) -> Home:
    if user.state is AccountState.suspended:
        return Home("suspended", user.masked_phone)
    if user.role is not Role.member:
        return Home("staff", user.masked_phone)
    if user.state is AccountState.member:
        return _member_home(user)
    case = latest_case(user.id)
    state = case.state.value if case is not None else None
    if state in ("checking", "review"):  # an open case
        return Home(
            "verifying",
            user.masked_phone,
            tracker_at="apply",
            case_url=url_for("verify.progress", case_id=case.id),
        )
    if state in ("rejected", "lapsed"):
        reasons, free = messages.decision_reasons(case.decision_reason)
        return Home(
            "rejected",
            user.masked_phone,
            tracker_at="apply",
            case_url=url_for("verify.progress", case_id=case.id),
            reasons=reasons,
            free_reason=free,
            lapsed=state == "lapsed",
        )
    return Home("registered", user.masked_phone, tracker_at="apply")


def _member_home(user: Any) -> Home:
    items = features.registry().news(user)
    listed = checklist(user.id)
    profile = has_profile(user.id)
    return Home(
        "member",
        display_name(user),
        tracker_at=None if profile else "profile",
        news=items,
        checklist=listed,
        onboarding_url=start_url(user.id),
    )
