"""The events' forms: the matchmaker's event form, the members' filters, check-in and
the after-event choice. Times are entered in the service's zone (Asia/Shanghai) and
stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.events.models import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX, EventCategory
from app.profiles.vocabulary_labels import city_choices

CAPACITY_MAX = 500


CATEGORY_LABELS = {
    EventCategory.frisbee: _l("Frisbee"),
    EventCategory.murder_mystery: _l("Murder-mystery game"),
    EventCategory.film: _l("Film"),
    EventCategory.citywalk: _l("Citywalk"),
    EventCategory.lecture: _l("Lecture"),
    EventCategory.other: _l("Other"),
}


def category_label(category: EventCategory | str) -> str:
    """The category's name in the reader's language."""
    return str(CATEGORY_LABELS.get(EventCategory(category), category))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _zone() -> ZoneInfo:
    # By name: Babel may hand out a pytz zone, whose replace() would use LMT (+08:06).
    return ZoneInfo(str(get_timezone()))


def to_utc(local: datetime | None) -> datetime | None:
    """A naive time typed in the service's zone, as an aware UTC time."""
    if local is None:
        return None
    return local.replace(tzinfo=_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """An aware time as the naive local time a ``datetime-local`` input shows."""
    return moment.astimezone(_zone()).replace(tzinfo=None)


def _when(label: str, required: str) -> DateTimeLocalField:
    return DateTimeLocalField(label, format="%Y-%m-%dT%H:%M", validators=[InputRequired(required)])


class EventForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a title.")),
            Length(max=TITLE_MAX, message=_l("A title has at most 80 characters.")),
        ],
    )
    category = SelectField(
        _l("Kind of event"),
        choices=[SelectChoice(c.value, CATEGORY_LABELS[c]) for c in EventCategory],
        validate_choice=True,
    )
    city = SelectField(_l("City"), choices=[SelectChoice(c, label) for c, label in city_choices()])
    place = StringField(
        _l("Place"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the place.")),
            Length(max=PLACE_MAX, message=_l("At most 200 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Length(max=DESCRIPTION_MAX, message=_l("At most 2000 characters."))],
    )
    starts_at = _when(_l("Starts at"), _l("Enter the start time."))
    ends_at = _when(_l("Ends at"), _l("Enter the end time."))
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Enter the number of seats.")),
            NumberRange(1, CAPACITY_MAX, _l("Between 1 and 500 seats.")),
        ],
    )
    gender_cap = IntegerField(
        _l("Seats per gender (optional)"),
        validators=[Optional(), NumberRange(1, CAPACITY_MAX, _l("At least 1 seat."))],
    )
    signup_deadline = _when(_l("Sign-up closes at"), _l("Enter when sign-up closes."))
    cancel_deadline = _when(
        _l("Cancellation possible until"), _l("Enter the cancellation deadline.")
    )

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_gender_cap(self, field: IntegerField) -> None:
        if field.data and self.capacity.data and field.data > self.capacity.data:
            raise ValidationError(_l("Seats per gender cannot exceed the seats in all."))

    def validate_signup_deadline(self, field: DateTimeLocalField) -> None:
        if field.data and self.starts_at.data and field.data > self.starts_at.data:
            raise ValidationError(_l("Sign-up must close no later than the start."))

    def validate_cancel_deadline(self, field: DateTimeLocalField) -> None:
        if field.data and self.starts_at.data and field.data > self.starts_at.data:
            raise ValidationError(_l("The cancellation deadline must be no later than the start."))

    def values(self) -> dict:
        """The event's columns, times in UTC."""
        return {
            "title": self.title.data,
            "category": EventCategory(self.category.data),
            "city": self.city.data,
            "place": self.place.data,
            "description": self.description.data or "",
            "starts_at": to_utc(self.starts_at.data),
            "ends_at": to_utc(self.ends_at.data),
            "capacity": self.capacity.data,
            "gender_cap": self.gender_cap.data or None,
            "signup_deadline": to_utc(self.signup_deadline.data),
            "cancel_deadline": to_utc(self.cancel_deadline.data),
        }

    def fill(self, event: object) -> None:
        """Show a stored event (times in the local zone)."""
        for name in ("title", "city", "place", "description", "capacity", "gender_cap"):
            getattr(self, name).data = getattr(event, name)
        self.category.data = str(event.category)  # type: ignore[attr-defined]
        for name in ("starts_at", "ends_at", "signup_deadline", "cancel_deadline"):
            getattr(self, name).data = to_local(getattr(event, name))


class FilterForm(FlaskForm):
    """The list's filters (GET): empty means any."""

    class Meta:
        csrf = False

    city = SelectField(
        _l("City"),
        choices=[
            SelectChoice("", _l("Any city")),
            *(SelectChoice(c, label) for c, label in city_choices()),
        ],
        default="",
    )
    category = SelectField(
        _l("Kind of event"),
        choices=[SelectChoice("", _l("Any kind"))]
        + [SelectChoice(c.value, CATEGORY_LABELS[c]) for c in EventCategory],
        default="",
    )


class CheckinForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the code shown at the venue."))],
    )


class ActionForm(FlaskForm):
    """Only the CSRF token: sign up, cancel, accept, decline, tick."""
