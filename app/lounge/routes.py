"""Love lounge (爱情会客厅): the matches list, one conversation, sending, the poll,
read state and unmatching.

Thin: ``operations`` holds the rules, the view commits once. Sending is a plain POST
form; ``static/js/lounge.js`` polls ``messages.json`` for new messages and backs off
when the conversation is idle (without JavaScript, the page has a refresh link).
Reading changes state, so it is a POST, never a GET: ``lounge.js`` posts the read
beacon (``/read``) once the messages are on screen; without JavaScript the page has a
"mark as read" button; a reply marks the partner's messages read as well.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import limits
from app.auth import member_required
from app.db_types import utcnow
from app.extensions import db
from app.lounge import bp, operations
from app.lounge.forms import MessageForm, ReadForm, UnmatchForm
from app.lounge.settings import Settings
from app.profiles.public import public_cards
from app.relations.models import Match


def _partner_card(match: Match):
    partner_id = operations.partner_of(match, current_user.id)
    return public_cards([partner_id]).get(partner_id)


def _cursor(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        return -1
    return int(value)


def _conversation(
    match: Match, form: MessageForm | None = None, status: int = 200, problem: str | None = None
) -> tuple[str, int]:
    before = _cursor("before")
    if before == -1:
        before = None
    messages, earlier = operations.page_of(match, before)
    has_unread = any(m.sender_id != current_user.id and m.read_at is None for m in messages)
    return render_template(
        "lounge/conversation.html",
        match=match,
        partner=_partner_card(match),
        messages=messages,
        earlier=earlier,
        paged=before is not None,
        read_id=operations.last_read_id(messages, current_user.id),
        form=form or MessageForm(formdata=None),
        read_form=ReadForm(formdata=None),
        has_unread=has_unread,
        open=operations.is_open(match),
        problem=problem,
    ), status


@bp.get("/")
@member_required
def index() -> str:
    entries = operations.matches_of(current_user.id)
    cards = public_cards([e.partner_id for e in entries])
    return render_template(
        "lounge/index.html", entries=entries, cards=cards, preview=operations.preview
    )


@bp.get("/<int:match_id>")
@member_required
def conversation(match_id: int) -> tuple[str, int]:
    return _conversation(operations.match_for(current_user.id, match_id))


@bp.post("/<int:match_id>/read")
@member_required
def mark_read(match_id: int) -> Response | tuple[Response, int]:
    """The partner's messages up to ``upto`` are read: 204 for the beacon, or back to
    the conversation for the button."""
    match = operations.match_for(current_user.id, match_id)
    form = ReadForm()
    if not form.validate():
        return jsonify(error=_("Give the id of the last message you have.")), 400
    operations.mark_read(match, current_user.id, utcnow(), form.upto.data)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return Response(status=204)
    return redirect(url_for("lounge.conversation", match_id=match.id, _anchor="latest"))


@bp.post("/<int:match_id>/messages")
@member_required
def send(match_id: int) -> Response | tuple[str, int]:
    match = operations.match_for(current_user.id, match_id)
    form = MessageForm()
    if not form.validate():
        return _conversation(match, form, 400)
    if not operations.is_open(match):
        return _conversation(match, form, 409, _("This conversation has ended."))
    if not limits.hit(Settings.current().send_limit, "lounge-send", current_user.id):
        problem = _("You are sending messages very fast. Please wait a little and send again.")
        return _conversation(match, form, 429, problem)
    try:
        now = utcnow()
        operations.send(match, current_user.id, form.body.data, now)
        operations.mark_read(match, current_user.id, now)  # a reply: the rest was read
    except operations.Apart:
        db.session.rollback()
        return _conversation(match, form, 403, _("You cannot send messages to this member."))
    except operations.Closed:
        db.session.rollback()
        return _conversation(match, form, 409, _("This conversation has ended."))
    db.session.commit()
    return redirect(url_for("lounge.conversation", match_id=match.id, _anchor="latest"))


@bp.get("/<int:match_id>/messages.json")
@member_required
def messages_json(match_id: int) -> Response | tuple[Response, int]:
    match = operations.match_for(current_user.id, match_id)
    after = _cursor("after")
    if after is None or after == -1:
        return jsonify(error=_("Give the id of the last message you have.")), 400
    messages = operations.newer_than(match, after)
    page = [operations.as_json(m, current_user.id) for m in messages]
    recent, _earlier = operations.page_of(match)
    return jsonify(
        messages=page,
        read_id=operations.last_read_id(recent, current_user.id),
        open=operations.is_open(match),
    )


@bp.route("/<int:match_id>/unmatch", methods=["GET", "POST"])
@member_required
def unmatch(match_id: int) -> Response | tuple[str, int]:
    match = operations.match_for(current_user.id, match_id)
    form = UnmatchForm()
    partner = _partner_card(match)
    if match.ended_at is not None:
        return render_template(
            "lounge/unmatch.html", match=match, partner=partner, form=form, ended=True
        ), 409 if request.method == "POST" else 200
    if request.method == "GET":
        return render_template("lounge/unmatch.html", match=match, partner=partner, form=form), 200
    if not form.validate():
        return render_template("lounge/unmatch.html", match=match, partner=partner, form=form), 400
    operations.unmatch(match, current_user.id, utcnow())
    db.session.commit()
    flash(_("You are no longer matched. The conversation is closed."), "success")
    return redirect(url_for("lounge.index"))


def warning_texts(reasons: list[str]) -> list[str]:
    """The receiver's warning for each fraud reason."""
    texts = {
        "money": _(
            "This message asks for money or a transfer. Queqiao will never ask you to "
            "send money; never transfer money to someone you have not met."
        ),
        "investment": _(
            "This message talks about investments or quick profits. Scammers build trust "
            "and then offer sure-win investments: do not invest on a match's advice."
        ),
        "other_app": _(
            "This message asks you to move to another app. Queqiao will never ask you to "
            "leave; scammers move you where we cannot protect you."
        ),
        "link": _(
            "This message contains a link or a QR code. Do not open links or scan codes "
            "from people you have not met."
        ),
    }
    return [texts[r] for r in reasons if r in texts]


bp.add_app_template_global(warning_texts, "lounge_warnings")
