"""Today (每日速配): the day's suggestions as cards, like or pass with one tap, and the
private "did you meet?" question.

Thin: ``reactions`` and ``meetings`` hold the rules, ``today`` gathers what the page
shows, the view commits. Like and pass are plain POST forms; ``static/js/today.js``
sends them with fetch (``Accept: application/json``) and updates the card in place.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from app.auth import member_required
from app.extensions import db
from app.profiles.public import nickname
from app.quickmatch import bp, meetings, reactions, today
from app.quickmatch.forms import MeetingForm, ReactionForm
from app.quickmatch.models import ReactionKind
from app.quickmatch.settings import Settings
from app.relations.models import Match

KINDS = {"like": ReactionKind.like, "pass": ReactionKind.pass_}


def _settings() -> Settings:
    return Settings.current()


def conversation_url(match_id: int) -> str:
    """The match's conversation in the love lounge."""
    return url_for("lounge.conversation", match_id=match_id)


def _render(page: today.Page, status: int = 200, problem: str | None = None) -> tuple[str, int]:
    return render_template("quickmatch/index.html", page=page, problem=problem), status


@bp.get("/")
@member_required
def index() -> tuple[str, int]:
    """Reads only: a member ready after the day's batch gets their list from the task
    ``quickmatch.prepare_list`` (see ``tasks.list_newcomer``), never from this view."""
    settings = _settings()
    return _render(today.page(current_user.id, settings.today(), settings))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _refuse(message: str, status: int) -> tuple[str, int] | tuple[Response, int]:
    """A refused like or pass: the message and a 4xx; nothing was written."""
    db.session.rollback()
    if _wants_json():
        return jsonify(error=message), status
    settings = _settings()
    return _render(today.page(current_user.id, settings.today(), settings), status, message)


Answered = Response | tuple[str, int] | tuple[Response, int]


@bp.post("/<int:candidate_id>/like")
@member_required
def like(candidate_id: int) -> Answered:
    return _react(candidate_id, "like")


@bp.post("/<int:candidate_id>/pass", endpoint="pass")
@member_required
def pass_(candidate_id: int) -> Answered:
    return _react(candidate_id, "pass")


def _react(candidate_id: int, kind: str) -> Answered:
    if not ReactionForm().validate_on_submit():
        return _refuse(_("The form has expired. Reload the page and try again."), 400)
    day = _settings().today()
    try:
        match = reactions.react(current_user.id, candidate_id, KINDS[kind], day)
    except reactions.NotSuggested:
        return _refuse(_("This person is not on your list for today."), 404)
    except reactions.AlreadyAnswered as already:
        return _refuse(today.already_message(already.kind), 409)
    db.session.commit()
    message, link = _done(candidate_id, KINDS[kind], match)
    if _wants_json():
        return jsonify(message=message, matched=match is not None, link=link)
    flash(message, "success")
    return redirect(link or url_for(".index"))  # a match: straight to the conversation


def _done(candidate_id: int, kind: ReactionKind, match: Match | None) -> tuple[str, str | None]:
    name = nickname(candidate_id)
    if match is not None:
        return _("It's a match! You and %(name)s like each other.", name=name), (
            conversation_url(match.id)
        )
    if kind is ReactionKind.like:
        return _("You liked %(name)s. If they like you too, it's a match.", name=name), None
    return _("You passed on %(name)s.", name=name), None


@bp.route("/meetings/<int:match_id>", methods=["GET", "POST"])
@member_required
def meeting(match_id: int) -> Response | tuple[str, int]:
    question = meetings.question_for(current_user.id, match_id)
    if question is None:
        raise NotFound()
    match = db.session.get(Match, match_id)
    other = nickname(meetings.other_side(match, current_user.id))
    saved = {"met": question.met and question.met.value, "rating": str(question.rating or "")}
    form = MeetingForm(data=saved if request.method == "GET" else None)
    if request.method == "GET":
        return render_template("quickmatch/meeting.html", form=form, other=other), 200
    if not form.validate_on_submit():
        return render_template("quickmatch/meeting.html", form=form, other=other), 400
    meetings.answer(question, *form.answer())
    db.session.commit()
    flash(_("Thank you. Your answer is private: %(name)s never sees it.", name=other), "success")
    return redirect(url_for(".meeting", match_id=match_id))
