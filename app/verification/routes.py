"""Applicant views: apply once, watch the six departments answer, see verified facts.

Thin: the form checks the shape of input, then one try is counted against the
account's daily limit, ``operations`` applies the rules, the view commits
and only then queues the checks. An ID number that another account holds is accepted
like any other: the answer never tells who has an account.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app import limits
from app.accounts.models import AccountState
from app.accounts.settings import Settings as AccountsSettings
from app.auth import member_required
from app.extensions import db
from app.transactions import after_commit
from app.verification import messages, operations, present, queries, runtime, tasks
from app.verification.forms import ApplicationForm
from app.verification.settings import Settings

bp = Blueprint("verify", __name__, template_folder="templates", url_prefix="/verify")

TOO_MANY_APPLICATIONS = _l(
    "This account has sent as many applications as it may for now. Please try again later."
)
NOT_SENT = _l("Your application could not be sent. Please try again.")


def _refusal_message(reason: str) -> str:
    if reason == "too_young":
        return _("You must be at least %(age)d years old to apply.", age=runtime.policy().min_age)
    if reason == "suspended":
        return _(
            "This account is suspended. Contact the service desk: %(contact)s.",
            contact=AccountsSettings.current().support_contact,
        )
    return str(NOT_SENT)


def _elsewhere() -> Response | None:
    """Where to send a user who has nothing to apply for: their open case, or the
    verification home for a member."""
    case_id = queries.open_case_id(current_user.id)
    if case_id is not None:
        return redirect(url_for(".progress", case_id=case_id))
    if current_user.state is AccountState.member:
        return redirect(url_for(".index"))
    return None


def _render_apply(form: ApplicationForm, status: int = 200) -> tuple[str, int]:
    departments = [
        (messages.DEPARTMENT_NAMES[d], messages.DEPARTMENT_QUESTIONS[d])
        for d in runtime.policy().required
    ]
    return render_template("verify/apply.html", form=form, departments=departments), status


@bp.get("/")
@login_required
def index() -> str:
    case = queries.latest_case(current_user.id)
    return render_template(
        "verify/index.html",
        case=case,
        case_states=messages.CASE_STATES,
        reasons=messages.decision_reasons(case.decision_reason if case else None),
        can_apply=current_user.state is not AccountState.member
        and (case is None or not case.is_open),
    )


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply() -> Response | tuple[str, int]:
    elsewhere = _elsewhere()
    if elsewhere is not None:
        return elsewhere
    form = ApplicationForm(wording_version=Settings.current().consent_wording)
    if request.method == "GET":
        return _render_apply(form)
    if not form.validate_on_submit():
        return _render_apply(form, 400)  # a form sent back for a typo is not a try
    # Counted and compared in one step of the limiter's storage, so a burst of
    # concurrent applications gets no more through than the limit.
    if not limits.hit(Settings.current().apply_limit, "verify-apply", current_user.id):
        form.form_errors.append(str(TOO_MANY_APPLICATIONS))
        return _render_apply(form, 429)
    return _file_application(form)


def _file_application(form: ApplicationForm) -> Response | tuple[str, int]:
    """Open the case and commit; the six checks are queued once it has committed."""
    try:
        case = operations.open_case(
            current_user,
            form.name.data,
            form.id_number.parsed.number,
            form.wording_version,
            runtime.protector(),
            runtime.policy(),
        )
        case_id = case.id
        db.session.commit()
    except operations.ApplicationRefused as refused:
        db.session.rollback()
        return _elsewhere() or _refused(form, refused.reason)
    except IntegrityError:
        # A double submit that lost the race on the one-open-case-per-user index: the
        # first one's case is where the applicant goes.
        db.session.rollback()
        return _elsewhere() or _refused(form, "not_sent")
    # Outside the try: an eager task's failure is not the application's IntegrityError.
    after_commit(tasks.dispatch_case.delay, case_id)
    return redirect(url_for(".progress", case_id=case_id))


def _refused(form: ApplicationForm, reason: str) -> tuple[str, int]:
    form.id_number.errors.append(_refusal_message(reason))
    return _render_apply(form, 409)


@bp.get("/cases/<int:case_id>")
@login_required
def progress(case_id: int) -> str:
    case = queries.owned_case(case_id, current_user.id)
    return render_template(
        "verify/progress.html",
        case=case,
        rows=[present.check_row(check) for check in case.checks],
        reasons=messages.decision_reasons(case.decision_reason),
    )


@bp.get("/cases/<int:case_id>/status")
@login_required
def status(case_id: int) -> Response:
    case = queries.owned_case(case_id, current_user.id)
    response = jsonify(present.case_status(case))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/facts")
@member_required
def facts() -> str:
    facts = queries.verified_facts(current_user.id)
    case = queries.case_of(facts)
    return render_template("verify/facts.html", rows=present.fact_rows(facts, case, date.today()))


@bp.app_context_processor
def inject_verification() -> dict:
    """``open_case_url()`` for templates (the home page): the signed-in user's open case."""

    def open_case_url() -> str | None:
        if not current_user.is_authenticated:
            return None
        case_id = queries.open_case_id(current_user.id)
        return url_for("verify.progress", case_id=case_id) if case_id else None

    return {"open_case_url": open_case_url}
