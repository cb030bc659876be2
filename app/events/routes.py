"""The members' events pages (/events): the upcoming list with filters, one event,
sign-up, cancellation, the offered seat, check-in by code, the calendar file and the
after-event choice. Thin: the rules are in ``operations`` and ``attendance``; each
POST commits once, or rolls back and answers with the refusal's message and status."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import limits
from app.auth import member_required
from app.db_types import utcnow
from app.events import attendance, bp, calendar, operations, queries
from app.events.forms import ActionForm, CheckinForm, FilterForm
from app.events.models import MAX_PICKS, Event, EventCategory
from app.events.settings import Settings
from app.extensions import db


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


@bp.get("/events/")
@member_required
def index() -> tuple[str, int]:
    form = FilterForm(formdata=request.args)
    now = utcnow()
    status = 200
    events: list[Event] = []
    if form.validate():
        category = EventCategory(form.category.data) if form.category.data else None
        events = queries.upcoming(now, form.city.data or None, category)
    else:
        status = 400
    return render_template(
        "events/index.html",
        form=form,
        events=events,
        mine=queries.my_events(current_user.id, now),
    ), status


def _show(
    event: Event, status: int = 200, problem: str | None = None, checkin: CheckinForm | None = None
) -> tuple[str, int]:
    view = queries.event_view(event, current_user.id, utcnow())
    return render_template(
        "events/show.html",
        view=view,
        event=event,
        form=ActionForm(),
        checkin=checkin or CheckinForm(formdata=None),
        problem=problem,
    ), status


@bp.get("/events/<int:event_id>")
@member_required
def show(event_id: int) -> tuple[str, int]:
    return _show(_event_or_404(event_id))


def _act(event_id: int, action: Callable, done: str) -> Response | tuple[str, int]:
    """Run a member's action on the event; commit and go back, or show the refusal."""
    event = _event_or_404(event_id)
    if not ActionForm().validate():
        return _show(event, 400, _("The form has expired. Please try again."))
    try:
        action(event.id, current_user.id, utcnow())
    except operations.Refused as refusal:
        db.session.rollback()
        return _show(db.session.get(Event, event_id), refusal.status, str(refusal.message))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/events/<int:event_id>/signup")
@member_required
def sign_up(event_id: int) -> Response | tuple[str, int]:
    return _act(event_id, operations.sign_up, _("Your sign-up is saved."))


@bp.post("/events/<int:event_id>/cancel")
@member_required
def cancel(event_id: int) -> Response | tuple[str, int]:
    return _act(event_id, operations.cancel, _("You are no longer signed up."))


@bp.post("/events/<int:event_id>/offer/accept")
@member_required
def accept(event_id: int) -> Response | tuple[str, int]:
    return _act(event_id, operations.accept, _("The seat is yours. See you there!"))


@bp.post("/events/<int:event_id>/offer/decline")
@member_required
def decline(event_id: int) -> Response | tuple[str, int]:
    return _act(event_id, operations.decline, _("You declined the seat."))


def _event_guesses(event_id: int) -> attendance.Guesses:
    """The event's wrong codes, all members together (``RATELIMIT_CHECKIN_EVENT``)."""
    limit, scope = Settings.current().checkin_event_limit, "checkin-event"
    return attendance.Guesses(
        allowed=lambda: not limits.exhausted(limit, scope, event_id),
        wrong=lambda: limits.hit(limit, scope, event_id),
    )


@bp.post("/events/<int:event_id>/checkin")
@member_required
def check_in(event_id: int) -> Response | tuple[str, int]:
    event = _event_or_404(event_id)
    form = CheckinForm()
    if not form.validate():
        return _show(event, 400, checkin=form)
    # Every attempt counts, the right code included: a burst gets no more than the limit.
    if not limits.hit(Settings.current().checkin_limit, "checkin", event.id, current_user.id):
        return _show(event, 429, str(attendance.TOO_MANY_GUESSES), form)
    try:
        attendance.check_in(
            event.id, current_user.id, form.code.data, utcnow(), _event_guesses(event.id)
        )
    except operations.Refused as refusal:
        db.session.rollback()
        return _show(db.session.get(Event, event_id), refusal.status, str(refusal.message), form)
    db.session.commit()
    flash(_("You are checked in. Enjoy the event!"), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.get("/events/<int:event_id>.ics")
@member_required
def ics(event_id: int) -> Response:
    event = _event_or_404(event_id)
    url = url_for("events.show", event_id=event.id, _external=True)
    body = calendar.ics(event, url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
    return response


def _choice(event: Event, status: int = 200, problem: str | None = None) -> tuple[str, int]:
    from app.profiles.public import public_cards

    options = attendance.candidates(event.id, current_user.id)
    return render_template(
        "events/choose.html",
        event=event,
        cards=public_cards(options),
        options=options,
        picked=attendance.picks_of(event.id, current_user.id),
        max_picks=MAX_PICKS,
        open=attendance.choice_open(event, utcnow()),
        form=ActionForm(),
        problem=problem,
    ), status


def _attendee_or_403(event: Event) -> None:
    if current_user.id not in attendance.attendees(event.id):
        abort(403)


@bp.get("/events/<int:event_id>/choose")
@member_required
def choose(event_id: int) -> tuple[str, int]:
    event = _event_or_404(event_id)
    _attendee_or_403(event)
    return _choice(event)


@bp.post("/events/<int:event_id>/choose")
@member_required
def choose_post(event_id: int) -> Response | tuple[str, int]:
    event = _event_or_404(event_id)
    _attendee_or_403(event)
    if not ActionForm().validate():
        return _choice(event, 400, _("The form has expired. Please try again."))
    raw = request.form.getlist("picked")
    if not all(value.isdigit() and len(value) < 12 for value in raw):
        return _choice(event, 400, _("You can only choose other attendees of this event."))
    try:
        matches = attendance.pick(event.id, current_user.id, [int(v) for v in raw], utcnow())
    except operations.Refused as refusal:
        db.session.rollback()
        return _choice(db.session.get(Event, event_id), refusal.status, str(refusal.message))
    db.session.commit()
    if matches:
        flash(_("It's a match! You can now talk in the love lounge."), "success")
    else:
        flash(_("Your choice is saved. Only you can see it."), "success")
    return redirect(url_for("events.choose", event_id=event.id))


def _category_label(category: object) -> str:
    from app.events.forms import category_label

    return category_label(category)  # type: ignore[arg-type]


bp.add_app_template_global(_category_label, "category_label")
