"""What the Today page shows a member: the open suggestions of the day as public cards
with the compatibility figure and the "why you two" reasons in the reader's language,
or why there is nothing to show (no profile yet, the batch still running, the first
list being prepared, nobody new today, all answered).

Reads only. Members kept apart from the viewer (blocked either way, suspended,
deleted) are left out, and so is every suggestion the viewer already answered that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.profiles import vocabulary_labels
from app.profiles.queries import has_profile
from app.quickmatch import service
from app.quickmatch.models import DailySuggestion, Reaction, ReactionKind
from app.quickmatch.settings import Settings
from app.relations.queries import kept_apart


@dataclass(frozen=True)
class Shown:
    """One open suggestion on the page."""

    candidate_id: int
    card: Any  # app.profiles.public.PublicCard
    percent: int  # the compatibility figure
    reasons: list[str]


@dataclass
class Page:
    day: date
    has_profile: bool
    listed: int  # suggestions on the member's list for the day
    cards: list[Shown] = field(default_factory=list)
    batch_ran: bool = True
    written: bool = True  # the member's list for the day is written (an empty one too)
    ready: bool = True  # a verified member with a profile: what the batch lists
    next_batch: datetime | None = None

    @property
    def before_batch(self) -> bool:
        """Today's batch has not started yet: the next one is today's."""
        return self.next_batch is not None and self.next_batch.date() == self.day

    @property
    def preparing(self) -> bool:
        """Ready after the day's batch ran: the task ``quickmatch.prepare_list`` is
        writing the member's first list (in eager mode it is there at the next view)."""
        return self.has_profile and self.batch_ran and not self.written and self.ready

    @property
    def all_answered(self) -> bool:
        return self.listed > 0 and not self.cards


def page(viewer_id: int, day: date, settings: Settings) -> Page:
    """Today's page for the viewer (``day``: today in ``QUICKMATCH_TIMEZONE``)."""
    profile = has_profile(viewer_id)
    suggestions = _listed(viewer_id, day)
    result = Page(day, profile, len(suggestions), next_batch=settings.next_batch())
    if not suggestions:
        result.written = service.list_size(viewer_id, day) is not None
        result.batch_ran = result.written or service.batch_ran(day)
        if profile and result.batch_ran and not result.written:
            result.ready = service.ready_for_matching(viewer_id)
        return result
    answered = _answered(viewer_id, day)
    hidden = kept_apart(viewer_id)
    open_ones = [s for s in suggestions if s.candidate_id not in answered | hidden]
    result.cards = _shown(open_ones, day)
    return result


def _listed(viewer_id: int, day: date) -> list[DailySuggestion]:
    query = (
        select(DailySuggestion)
        .where(DailySuggestion.day == day, DailySuggestion.viewer_id == viewer_id)
        .order_by(DailySuggestion.rank)
    )
    return list(db.session.scalars(query))


def _answered(viewer_id: int, day: date) -> set[int]:
    query = select(Reaction.to_id).where(Reaction.from_id == viewer_id, Reaction.day >= day)
    return set(db.session.scalars(query))


def _shown(suggestions: list[DailySuggestion], day: date) -> list[Shown]:
    from app.profiles.public import public_cards  # profiles' public view of a member

    cards = public_cards([s.candidate_id for s in suggestions], day)
    language = reader_language()
    shown = []
    for suggestion in suggestions:
        card = cards.get(suggestion.candidate_id)
        if card is None or card.deleted:
            continue
        reasons = [reason_text(reason, language) for reason in suggestion.reasons or []]
        shown.append(Shown(suggestion.candidate_id, card, percent(suggestion.score), reasons))
    return shown


def percent(score: float) -> int:
    """The compatibility figure: the matcher's score in [0, 1] as a whole percentage."""
    return round(min(1.0, max(0.0, float(score))) * 100)


def reader_language() -> str:
    """``zh`` or ``en``, the languages ``matching.reasons`` words reasons in."""
    return "zh" if str(get_locale() or "zh").startswith("zh") else "en"


def reason_text(reason: Mapping[str, Any] | str, language: str) -> str:
    """A stored reason in the reader's language, its tags and city too (older rows hold
    plain sentences)."""
    return vocabulary_labels.reason_text(reason, language)


def already_message(kind: ReactionKind) -> str:
    if kind is ReactionKind.like:
        return _("You already liked this person today.")
    return _("You already passed on this person today; your first answer stands.")
