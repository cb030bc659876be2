"""Signals between features: one feature says what happened to a member, the features
that care connect a receiver in their ``init_app``, and neither imports the other.

A signal is sent inside the sender's transaction, before its commit: a receiver that
queues work does it with ``app.transactions.after_commit``, so a rollback queues nothing.
Receivers are module-level functions (blinker keeps one connection per function, so
building many applications in one process connects each once).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A member may now be matched (quick match's 每日速配): verification approved a member (one
# verified again may have a profile already), a verified member saved their profile for
# the first time, or a member gave their consent to matching again. Receivers check what
# they need (quick match: a profile, no list yet). Sent as ``send(member_id=...)``.
member_ready_for_matching = _signals.signal(
    "member-ready-for-matching",
    doc="A member became ready for matching; sent with member_id, before the commit.",
)

# The lounge's fraud rules flagged a message (爱情会客厅): safety files it in the
# administrators' reports queue. Sent as ``send(sender_id=..., partner_id=...,
# message_id=...)`` after the message is flushed, before the commit.
message_flagged = _signals.signal(
    "message-flagged",
    doc="The fraud rules flagged a lounge message; sent with sender_id, partner_id, message_id.",
)
