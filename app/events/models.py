"""Events (线下活动), sign-ups with their waitlist, and the after-event picks (活动后互选).

A seat is held by a ``confirmed`` sign-up and by an ``offered`` one whose offer has not
run out (``offer_expires_at`` in the future). An offer past its window holds nothing,
whatever its stored state says, until ``operations.settle`` (or the beat task) marks it
``expired`` and offers the seat to the next in line.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, str_enum, utcnow
from app.extensions import db

TITLE_MAX = 80
PLACE_MAX = 200
DESCRIPTION_MAX = 2000
CODE_LENGTH = 6
MAX_PICKS = 3


class EventCategory(enum.StrEnum):
    frisbee = "frisbee"  # 飞盘
    murder_mystery = "murder_mystery"  # 剧本杀
    film = "film"  # 观影
    citywalk = "citywalk"  # 城市漫步
    lecture = "lecture"  # 讲座
    other = "other"


class EventState(enum.StrEnum):
    published = "published"
    cancelled = "cancelled"


class SignupState(enum.StrEnum):
    confirmed = "confirmed"  # has a seat
    waitlisted = "waitlisted"  # 候补
    offered = "offered"  # a freed seat is held for this member until offer_expires_at
    cancelled = "cancelled"  # the member withdrew
    declined = "declined"  # the member declined the offered seat
    expired = "expired"  # the offer ran out unanswered


ACTIVE_STATES = (SignupState.confirmed, SignupState.waitlisted, SignupState.offered)


class Event(db.Model):
    """One offline event run by a matchmaker (the organiser)."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint(
            "gender_cap IS NULL OR (gender_cap >= 1 AND gender_cap <= capacity)",
            name="gender_cap_within_capacity",
        ),
        Index("ix_event_state_starts_at", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    category: Mapped[EventCategory] = mapped_column(str_enum(EventCategory))
    city: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(PLACE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    # At most this many seats per (verified) gender; None: no gender balance.
    gender_cap: Mapped[int | None] = mapped_column(Integer)
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    cancel_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    state: Mapped[EventState] = mapped_column(str_enum(EventState), default=EventState.published)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Signup(db.Model):
    """One member's place at an event: a seat, a place in the waitlist, an offer, or a
    past one (cancelled, declined, expired). One row per member and event; signing up
    again after withdrawing reuses it, at the back of the line (``queued_at``)."""

    __tablename__ = "event_signup"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        Index("ix_event_signup_event_id_state", "event_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[SignupState] = mapped_column(str_enum(SignupState))
    # The verified gender ("M"/"F") when signing up, for the per-gender cap.
    gender: Mapped[str | None] = mapped_column(String(1))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def holds_seat(self, now: datetime) -> bool:
        """Confirmed, or offered and the offer still open."""
        if self.state is SignupState.confirmed:
            return True
        return self.state is SignupState.offered and self.offer_open(now)

    def offer_open(self, now: datetime) -> bool:
        return (
            self.state is SignupState.offered
            and self.offer_expires_at is not None
            and self.offer_expires_at > now
        )

    def shown_state(self, now: datetime) -> SignupState:
        """The state as every read must treat it: an offer past its window is expired."""
        if self.state is SignupState.offered and not self.offer_open(now):
            return SignupState.expired
        return self.state


class Pick(db.Model):
    """A checked-in attendee would like to see another again (活动后互选). Private: never
    shown to the picked member; a pick both ways makes a match."""

    __tablename__ = "event_pick"
    __table_args__ = (
        UniqueConstraint("event_id", "picker_id", "picked_id"),
        CheckConstraint("picker_id <> picked_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    picker_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    picked_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
