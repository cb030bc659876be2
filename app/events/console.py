"""The matchmakers' events pages (/console/events): their events (administrators see
all), create, edit, cancel, and the attendee list with the check-in code and ticks.

The attendee list shows nicknames only (never a phone number or a real name), so opening
it is not a personal-data access to record.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth import matchmaker_required
from app.db_types import utcnow
from app.events import attendance, bp, editing, operations
from app.events.forms import ActionForm, EventForm
from app.events.models import Event, Signup, SignupState
from app.extensions import db


def _own_event_or_404(event_id: int) -> Event:
    """The event, if the user organises it (administrators: any event)."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if event.organiser_id != current_user.id and not current_user.is_admin:
        abort(403)
    return event


@bp.get("/console/events/")
@matchmaker_required
def console_list() -> str:
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if not current_user.is_admin:
        query = query.where(Event.organiser_id == current_user.id)
    events = list(db.session.scalars(query))
    counts = dict(
        db.session.execute(
            select(Signup.event_id, func.count())
            .where(Signup.state == SignupState.confirmed)
            .group_by(Signup.event_id)
        ).all()
    )
    return render_template("events/console_list.html", events=events, counts=counts)


def _form_page(form: EventForm, event: Event | None, status: int = 200) -> tuple[str, int]:
    return render_template("events/console_form.html", form=form, event=event), status


def _errors(form: EventForm, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        getattr(form, name).errors = list(messages)


@bp.route("/console/events/new", methods=["GET", "POST"])
@matchmaker_required
def console_new() -> Response | tuple[str, int]:
    form = EventForm()
    if request.method == "GET":
        return _form_page(form, None)
    if not form.validate():
        return _form_page(form, None, 400)
    try:
        event = editing.create_event(current_user.id, form.values(), utcnow())
    except editing.FieldErrors as problem:
        db.session.rollback()
        _errors(form, problem.errors)
        return _form_page(form, None, 400)
    db.session.commit()
    flash(_("The event is published."), "success")
    return redirect(url_for("events.console_event", event_id=event.id))


@bp.route("/console/events/<int:event_id>/edit", methods=["GET", "POST"])
@matchmaker_required
def console_edit(event_id: int) -> Response | tuple[str, int]:
    event = _own_event_or_404(event_id)
    form = EventForm()
    if request.method == "GET":
        form.fill(event)
        return _form_page(form, event)
    if not form.validate():
        return _form_page(form, event, 400)
    try:
        editing.update_event(event.id, form.values(), current_user.id, utcnow())
    except editing.FieldErrors as problem:
        db.session.rollback()
        _errors(form, problem.errors)
        return _form_page(form, db.session.get(Event, event_id), 400)
    except operations.Refused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return _form_page(form, db.session.get(Event, event_id), refusal.status)
    db.session.commit()
    flash(_("The event is saved. Members signed up were told of any change of time or place."))
    return redirect(url_for("events.console_event", event_id=event_id))


def _attendees_page(event: Event, status: int = 200, problem: str | None = None):
    from app.profiles.public import public_cards

    now = utcnow()
    rows = operations.signups_of(event.id)
    cards = public_cards([r.member_id for r in rows])
    return render_template(
        "events/console_event.html",
        event=event,
        rows=rows,
        cards=cards,
        now=now,
        seats_left=operations.seats_left(event, rows, now),
        waiting=len(operations.waitlist(rows)),
        form=ActionForm(),
        problem=problem,
    ), status


@bp.get("/console/events/<int:event_id>")
@matchmaker_required
def console_event(event_id: int) -> tuple[str, int]:
    return _attendees_page(_own_event_or_404(event_id))


@bp.post("/console/events/<int:event_id>/attendees/<int:signup_id>/checkin")
@matchmaker_required
def console_checkin(event_id: int, signup_id: int) -> Response | tuple[str, int]:
    event = _own_event_or_404(event_id)
    if not ActionForm().validate():
        return _attendees_page(event, 400, _("The form has expired. Please try again."))
    present = request.form.get("present", "1") == "1"
    try:
        attendance.mark_attendance(event, signup_id, present, utcnow())
    except operations.Refused as refusal:
        db.session.rollback()
        return _attendees_page(event, refusal.status, str(refusal.message))
    db.session.commit()
    return redirect(url_for("events.console_event", event_id=event.id, _anchor=f"a{signup_id}"))


@bp.post("/console/events/<int:event_id>/cancel")
@matchmaker_required
def console_cancel(event_id: int) -> Response | tuple[str, int]:
    event = _own_event_or_404(event_id)
    if not ActionForm().validate():
        return _attendees_page(event, 400, _("The form has expired. Please try again."))
    try:
        editing.cancel_event(event.id, current_user.id)
    except operations.Refused as refusal:
        db.session.rollback()
        return _attendees_page(event, refusal.status, str(refusal.message))
    db.session.commit()
    flash(_("The event is cancelled. Everyone signed up was told."), "success")
    return redirect(url_for("events.console_event", event_id=event.id))
