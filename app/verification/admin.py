"""Administrator views: the review queue, a case with its decision form, the audit log.

Thin: forms check shape, ``app.verification.operations.review`` applies the rules (and
writes the decision's audit entry and the applicant's notification), views commit.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.audit.models import record as audit
from app.auth import admin_required
from app.extensions import db
from app.privacy.operations import record_access
from app.verification import duplicates, labels, operations, queries, runtime
from app.verification.forms import AuditFilterForm, DecisionForm, QueueFilterForm, choices
from app.verification.models import Case, CaseState

bp = Blueprint("review", __name__, template_folder="templates", url_prefix="/admin")

PER_PAGE = 20

REFUSALS = {
    "reason_required": _l("Write the reason for your decision."),
    "identity_held": _l(
        "This ID number is held by another account, so approving would make a second "
        "member with it: one person can have only one account. Nothing was changed."
    ),
}


@bp.context_processor
def review_helpers() -> dict:
    return {
        **labels.TEMPLATE_HELPERS,
        "attention": queries.needing_attention,
        "identity_holder": duplicates.holder_of,
    }


@bp.get("/")
@admin_required
def index() -> Response:
    return redirect(url_for(".queue"))


@bp.get("/reviews")
@admin_required
def queue() -> str | tuple[str, int]:
    form = QueueFilterForm(formdata=request.args)
    if not form.validate():
        return render_template("review/queue.html", form=form, pagination=None), 400
    filters = {name: value for name in ("department", "state") if (value := form[name].data)}
    pagination = db.paginate(queries.review_queue(**filters), per_page=PER_PAGE)
    return render_template("review/queue.html", form=form, pagination=pagination, filters=filters)


@bp.get("/cases/<int:case_id>")
@admin_required
def case(case_id: int) -> str:
    """Opening a case shows personal data, so every view is written to the audit log."""
    found = db.get_or_404(Case, case_id)
    page = _render_case(found, DecisionForm(formdata=None))
    audit("case.view", "case", case_id, actor_id=current_user.id)
    record_access(current_user.id, found.user_id, "verification review")
    db.session.commit()
    return page


@bp.post("/cases/<int:case_id>/decision")
@admin_required
def decide(case_id: int) -> Response | tuple[str, int]:
    form = DecisionForm()
    valid = form.validate_on_submit()
    # Lock only for a decision that can be recorded; a second administrator waits here.
    found = queries.lock_case(case_id) if valid else db.session.get(Case, case_id)
    if found is None:
        abort(404)
    if found.state is not CaseState.review:
        db.session.rollback()
        return _render_case(found, form, conflict=True), 409
    if not valid:
        return _render_case(found, form), 400
    try:
        operations.review(found, _admin(), form.approve, form.reason.data, runtime.policy())
    except operations.ApplicationRefused as refused:
        db.session.rollback()
        form.reason.errors.append(REFUSALS.get(refused.reason, refused.reason))
        return _render_case(found, form), 409 if refused.reason == "identity_held" else 400
    db.session.commit()
    if form.approve:
        flash(_("Case %(id)s approved. The applicant is now a member.", id=case_id), "success")
    else:
        flash(_("Case %(id)s rejected. The applicant has been told why.", id=case_id), "success")
    return redirect(url_for(".queue"))


@bp.get("/audit")
@admin_required
def audit_log() -> str | tuple[str, int]:
    form = AuditFilterForm(formdata=request.args)
    _audit_choices(form)
    if not form.validate():
        return render_template("review/audit.html", form=form, pagination=None), 400
    filters = {name: value for name in ("action", "actor") if (value := form[name].data)}
    pagination = db.paginate(queries.audit_log(**filters), per_page=PER_PAGE)
    people = queries.users_by_id(entry.actor_id for entry in pagination.items)
    return render_template(
        "review/audit.html", form=form, pagination=pagination, filters=filters, people=people
    )


def _admin() -> User:
    return current_user._get_current_object()


def _render_case(found: Case, form: DecisionForm, conflict: bool = False) -> str:
    history = queries.case_history(found.id)
    holder = duplicates.holder_of(found)
    people = queries.users_by_id(
        [
            found.user_id,
            found.decided_by_id,
            holder.user_id if holder else None,
            *(e.actor_id for e in history),
        ]
    )
    return render_template(
        "review/case.html",
        case=found,
        form=form,
        conflict=conflict,
        history=history,
        people=people,
        applicant=people[found.user_id],
        holder=holder,
    )


def _audit_choices(form: AuditFilterForm) -> None:
    actions = sorted(set(labels.ACTIONS) | set(queries.logged_actions()))
    form.action.choices = choices(
        [("", _("All actions"))] + [(a, labels.action(a)) for a in actions]
    )
    people = [
        (str(user.id), f"{user.masked_phone} (#{user.id})") for user in queries.logged_actors()
    ]
    form.actor.choices = choices([("", _("Everyone")), (queries.SYSTEM, _("The system")), *people])
