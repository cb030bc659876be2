"""Introduction operations. They flush; the view commits.

Proposing checks the pair: two different verified members (not the matchmaker), not
kept apart (``safety.queries.apart``), never matched, and no pending introduction of
the same pair. Answering locks the pair (quick match's ``lock_pair``, the same lock a
like takes), so two acceptances at the same moment make exactly one match; the match
is made by quick match's own function and both are told with ``new_match``.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountState, Role, User
from app.db_types import utcnow
from app.extensions import db
from app.introductions.models import Answer, Introduction, IntroductionState
from app.notifications.models import notify
from app.profiles.queries import has_profile, members_matching
from app.relations.models import Match
from app.relations.operations import lock_pair, new_match, tell_both
from app.relations.queries import apart, hidden_members

SEARCH_LIMIT = 20


class Refused(Exception):
    """The proposal is not allowed; ``code`` says why, ``status`` is 400 or 409."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


class NotFound(Exception):
    """No such introduction for this member."""


def introducible(user_id: int) -> bool:
    """A verified member (not a matchmaker nor an administrator) with a profile."""
    user = db.session.get(User, user_id)
    return (
        user is not None
        and user.state is AccountState.member
        and user.role is Role.member
        and user.consent_withdrawn_at is None
        and has_profile(user_id)
    )


def search(text: str, limit: int = SEARCH_LIMIT) -> list[int]:
    """Verified members whose nickname or city contains ``text`` (case-insensitive)."""
    hidden = hidden_members()
    return [uid for uid in members_matching(text, limit * 2) if uid not in hidden][:limit]


def propose(matchmaker_id: int, one_id: int, other_id: int, note: str) -> Introduction:
    """Introduce two members to each other and notify both. Raises ``Refused``."""
    if one_id == other_id:
        raise Refused("same_member", 400)
    if matchmaker_id in (one_id, other_id):
        raise Refused("yourself", 400)
    if not (introducible(one_id) and introducible(other_id)):
        raise Refused("not_member", 400)
    if apart(one_id, other_id):
        raise Refused("apart", 409)
    low, high = sorted((one_id, other_id))
    lock_pair(low, high)
    if db.session.scalar(_match_of(low, high)) is not None:
        raise Refused("matched", 409)
    if db.session.scalar(_pending_of(low, high)) is not None:
        raise Refused("pending", 409)
    introduction = Introduction(
        matchmaker_id=matchmaker_id, member_a_id=low, member_b_id=high, note=note
    )
    try:
        with db.session.begin_nested():
            db.session.add(introduction)
    except IntegrityError:  # the same pair proposed at this moment by another matchmaker
        raise Refused("pending", 409) from None
    for member_id in (low, high):
        notify(member_id, "introduction_proposed", introduction_id=introduction.id)
    return introduction


def _match_of(low: int, high: int) -> Select:
    return select(Match.id).where(Match.user_a_id == low, Match.user_b_id == high)


def _pending_of(low: int, high: int) -> Select:
    return select(Introduction.id).where(
        Introduction.member_a_id == low,
        Introduction.member_b_id == high,
        Introduction.state == IntroductionState.pending,
    )


def of_member(introduction_id: int, member_id: int) -> Introduction:
    introduction = db.session.get(Introduction, introduction_id)
    if introduction is None or introduction.side(member_id) is None:
        raise NotFound(introduction_id)
    return introduction


def answer(introduction_id: int, member_id: int, accepted: bool) -> Introduction:
    """Record the member's private answer (the first one stands: ``Refused("answered")``).

    A decline closes the introduction; the second acceptance makes the match (unless
    the two are kept apart by now, which closes it). The other member is told only
    about a match, never about a decline."""
    introduction = of_member(introduction_id, member_id)
    lock_pair(introduction.member_a_id, introduction.member_b_id)
    db.session.refresh(introduction)  # what another answer committed meanwhile
    side = introduction.side(member_id)
    if introduction.answer_of(member_id) is not None:
        raise Refused("answered", 409)
    choice = Answer.accepted if accepted else Answer.declined
    setattr(introduction, f"answer_{side}", choice)
    setattr(introduction, f"answered_{side}_at", utcnow())
    if introduction.state is IntroductionState.pending:
        if not accepted or apart(introduction.member_a_id, introduction.member_b_id):
            _close(introduction, IntroductionState.closed)
        elif introduction.answer_a is Answer.accepted and introduction.answer_b is Answer.accepted:
            _make_match(introduction)
    db.session.flush()
    return introduction


def _close(introduction: Introduction, state: IntroductionState) -> None:
    introduction.state = state
    introduction.closed_at = utcnow()


def _make_match(introduction: Introduction) -> None:
    a, b = introduction.member_a_id, introduction.member_b_id
    match = new_match(a, b)
    if match is None:  # matched meanwhile (quick match, an event): nothing more to do
        _close(introduction, IntroductionState.closed)
        return
    db.session.flush()
    introduction.match_id = match.id
    _close(introduction, IntroductionState.matched)
    tell_both(match)


def introduced(member_id: int, other_id: int) -> bool:
    """A matchmaker introduced the two (an acquaintance check)."""
    query = select(Introduction.id).where(
        or_(
            (Introduction.member_a_id == member_id) & (Introduction.member_b_id == other_id),
            (Introduction.member_a_id == other_id) & (Introduction.member_b_id == member_id),
        )
    )
    return db.session.scalar(query.limit(1)) is not None
