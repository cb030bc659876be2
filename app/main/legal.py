"""The terms of service and the privacy policy: public pages, in plain words, linked
from sign-up (its consent box refers to them) and from every page's footer. The support
contact comes from configuration (``SUPPORT_CONTACT``) and is offered to templates as
``support_contact``."""

from __future__ import annotations

from flask import render_template

from app.accounts.settings import Settings as AccountsSettings
from app.main import bp
from app.verification import runtime
from app.verification.settings import Settings as VerificationSettings


@bp.app_context_processor
def support_contact() -> dict[str, str]:
    """``support_contact`` for every template (a suspended account, the terms)."""
    return {"support_contact": AccountsSettings.current().support_contact}


def _wording() -> str:
    return VerificationSettings.current().consent_wording


@bp.route("/terms")
def terms() -> str:
    return render_template(
        "main/terms.html",
        contact=AccountsSettings.current().support_contact,
        min_age=runtime.policy().min_age,
        wording=_wording(),
    )


@bp.route("/privacy-policy")
def privacy_policy() -> str:
    return render_template(
        "main/privacy_policy.html",
        contact=AccountsSettings.current().support_contact,
        wording=_wording(),
    )
