"""Privacy operations: the access log, what is stored, export, consent, deletion.

Operations flush; the route or task commits. Most other parts' models are imported
inside the functions that need them: at the top, profiles', the lounge's and safety's
would make an import cycle (their packages import their routes, which import this module).

Deletion keeps the rows the law or the other member needs: the match rows (the other
side sees "deleted user"), the verification case's decision and checks (with the
encrypted real name and ID number erased), and the audit entries. The member's own
messages are deleted; the partner's messages in the same conversation stay, they are
the partner's data.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select

from app.accounts.models import AccountState, DeviceSession, Role, User, new_session_token
from app.audit.models import record as audit
from app.db_types import utcnow
from app.extensions import db
from app.privacy.models import PURPOSE_MAX, PersonalDataAccess
from app.signals import member_ready_for_matching
from app.verification import runtime
from app.verification.models import Case, Check, VerifiedFact


def record_access(
    viewer_id: int, subject_id: int, purpose: str, at: datetime | None = None
) -> None:
    """Log that ``viewer_id`` opened ``subject_id``'s personal data, and why (``at``: when,
    now by default). Flushes.

    Call it whenever a matchmaker or an administrator opens a member's personal data
    (the review case page, a report page, ...). A member looking at their own data is
    not logged.
    """
    if viewer_id == subject_id:
        return
    purpose = purpose.strip()
    if not purpose:
        raise ValueError("an access needs a purpose")
    db.session.add(
        PersonalDataAccess(
            viewer_id=viewer_id,
            subject_id=subject_id,
            purpose=purpose[:PURPOSE_MAX],
            at=at or utcnow(),
        )
    )
    db.session.flush()


def access_log(user_id: int) -> list[dict[str, Any]]:
    """Who opened this member's personal data, newest first (only this member's)."""
    from app.profiles.models import MemberProfile

    rows = db.session.execute(
        select(PersonalDataAccess, User.role, MemberProfile.nickname)
        .join(User, User.id == PersonalDataAccess.viewer_id)
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .where(PersonalDataAccess.subject_id == user_id)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
    ).all()
    return [
        {
            "at": entry.at,
            "role": role.value if isinstance(role, Role) else str(role),
            "viewer": nickname or f"#{entry.viewer_id}",
            "purpose": entry.purpose,
        }
        for entry, role, nickname in rows
    ]


def _count(query: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _cases(user_id: int) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.user_id == user_id).order_by(Case.id)))


def summary(user: User) -> dict[str, Any]:
    """What Queqiao stores about ``user``, by category: values (masked) or counts."""
    from app.lounge.models import Message
    from app.notifications.models import Notification
    from app.profiles.models import MemberPhoto, MemberProfile
    from app.quickmatch.models import DailySuggestion, Reaction
    from app.relations.models import Match
    from app.safety.models import Appeal, Report

    cases = _cases(user.id)
    consents = [consent for case in cases for consent in case.consents]
    suggestions = select(DailySuggestion).where(DailySuggestion.viewer_id == user.id)
    data: dict[str, Any] = {
        "account": {
            "phone": user.masked_phone,
            "created_at": user.created_at,
            "last_login_at": user.last_login_at,
            "consent_withdrawn_at": user.consent_withdrawn_at,
        },
        "cases": cases,
        "profile": db.session.get(MemberProfile, user.id),
        "consents": sorted(consents, key=lambda c: c.given_at),
        "counts": {
            "suggestions": _count(suggestions),
            "suggestion_days": _count(
                select(DailySuggestion.day).where(DailySuggestion.viewer_id == user.id).distinct()
            ),
            "reactions": _count(select(Reaction).where(Reaction.from_id == user.id)),
            "matches": _count(
                select(Match).where(or_(Match.user_a_id == user.id, Match.user_b_id == user.id))
            ),
            "notifications": _count(select(Notification).where(Notification.user_id == user.id)),
            "devices": _count(select(DeviceSession).where(DeviceSession.user_id == user.id)),
        },
        "access_log": access_log(user.id),
    }
    counts = data["counts"]
    counts["photos"] = _count(select(MemberPhoto).where(MemberPhoto.user_id == user.id))
    counts["messages_sent"] = _count(select(Message).where(Message.sender_id == user.id))
    counts["reports_filed"] = _count(select(Report).where(Report.reporter_id == user.id))
    counts["reports_received"] = _count(select(Report).where(Report.reported_id == user.id))
    counts["appeals"] = _count(select(Appeal).where(Appeal.member_id == user.id))
    counts.update(_offline_counts(user.id))
    return data


def _offline_counts(user_id: int) -> dict[str, int]:
    """How much the member has with the matchmakers: events, consultations,
    introductions and the love school."""
    from app.consult.models import Consultation
    from app.events.models import Pick, Signup
    from app.introductions.models import Introduction
    from app.school.models import LessonProgress

    return {
        "event_signups": _count(select(Signup).where(Signup.member_id == user_id)),
        "event_picks": _count(select(Pick).where(Pick.picker_id == user_id)),
        "consultations": _count(select(Consultation).where(Consultation.member_id == user_id)),
        "introductions": _count(
            select(Introduction).where(
                or_(Introduction.member_a_id == user_id, Introduction.member_b_id == user_id)
            )
        ),
        "lessons_done": _count(select(LessonProgress).where(LessonProgress.member_id == user_id)),
    }


def _offline_export(user_id: int) -> dict[str, Any]:
    """The member's own records with the matchmakers. An introduction shows the member's
    own answer only: the other side's answer is theirs."""
    from app.consult.models import Consultation, ConsultationMessage
    from app.events.models import Pick, Signup
    from app.introductions.models import Introduction
    from app.school.models import LessonProgress

    def rows(model: Any, *conditions: Any) -> list[dict[str, Any]]:
        query = select(model).where(*conditions).order_by(model.id)
        return [_row(obj) for obj in db.session.scalars(query)]

    consultations = []
    for consultation in db.session.scalars(
        select(Consultation).where(Consultation.member_id == user_id).order_by(Consultation.id)
    ):
        row = _row(consultation)
        row["messages"] = rows(
            ConsultationMessage, ConsultationMessage.consultation_id == consultation.id
        )
        consultations.append(row)
    introductions = []
    for intro in db.session.scalars(
        select(Introduction)
        .where(or_(Introduction.member_a_id == user_id, Introduction.member_b_id == user_id))
        .order_by(Introduction.id)
    ):
        other = "b" if intro.member_a_id == user_id else "a"
        row = _row(intro, skip=(f"answer_{other}", f"answered_{other}_at"))
        row["my_answer"] = _plain(intro.answer_of(user_id))
        introductions.append(row)
    return {
        "event_signups": rows(Signup, Signup.member_id == user_id),
        "event_picks": rows(Pick, Pick.picker_id == user_id),
        "consultations": consultations,
        "introductions": introductions,
        "lessons_done": rows(LessonProgress, LessonProgress.member_id == user_id),
    }


def _delete_offline(user_id: int) -> None:
    """Delete the member's records with the matchmakers (consultations with their
    threads, sign-ups, picks either way, introductions, lesson progress)."""
    from app.consult.models import Consultation, ConsultationMessage
    from app.events.models import Pick, Signup
    from app.introductions.models import Introduction
    from app.school.models import LessonProgress

    asked = select(Consultation.id).where(Consultation.member_id == user_id)
    for statement in (
        delete(ConsultationMessage).where(ConsultationMessage.consultation_id.in_(asked)),
        delete(Consultation).where(Consultation.member_id == user_id),
        delete(Signup).where(Signup.member_id == user_id),
        delete(Pick).where(or_(Pick.picker_id == user_id, Pick.picked_id == user_id)),
        delete(Introduction).where(
            or_(Introduction.member_a_id == user_id, Introduction.member_b_id == user_id)
        ),
        delete(LessonProgress).where(LessonProgress.member_id == user_id),
    ):
        db.session.execute(statement)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, str)):
        return value.value
    return value


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        column.key: _plain(getattr(obj, column.key))
        for column in obj.__table__.columns
        if column.key not in skip
    }


def export(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, in full, for their own download.

    The real name and ID number are decrypted here (they are the member's own data);
    they are never logged.
    """
    from app.lounge.models import Message
    from app.notifications.models import Notification
    from app.profiles.models import MemberPhoto, MemberProfile
    from app.quickmatch.models import DailySuggestion, MeetingFeedback, Reaction
    from app.relations.models import Match

    protector = runtime.protector()
    cases = []
    for case in _cases(user.id):
        row = _row(case, skip=("name_encrypted", "id_number_encrypted", "id_number_index"))
        row["real_name"] = protector.decrypt(case.name_encrypted) if case.name_encrypted else None
        row["id_number"] = (
            protector.decrypt(case.id_number_encrypted) if case.id_number_encrypted else None
        )
        row["checks"] = [_row(check) for check in case.checks]
        row["consents"] = [_row(consent) for consent in case.consents]
        cases.append(row)
    profile = db.session.get(MemberProfile, user.id)
    matches = list(
        db.session.scalars(
            select(Match).where(or_(Match.user_a_id == user.id, Match.user_b_id == user.id))
        )
    )

    def rows(model: Any, *conditions: Any) -> list[dict[str, Any]]:
        return [_row(obj) for obj in db.session.scalars(select(model).where(*conditions))]

    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "account": _row(user, skip=("password_hash", "session_token")),
        "verification_cases": cases,
        "verified_facts": rows(VerifiedFact, VerifiedFact.user_id == user.id),
        "profile": _row(profile) if profile is not None else None,
        "suggestions": rows(DailySuggestion, DailySuggestion.viewer_id == user.id),
        "reactions": rows(Reaction, Reaction.from_id == user.id),
        "matches": [_row(match) for match in matches],
        "meeting_feedback": rows(MeetingFeedback, MeetingFeedback.member_id == user.id),
        "notifications": rows(Notification, Notification.user_id == user.id),
        "device_sessions": [
            _row(device, skip=("token_hash",))
            for device in db.session.scalars(
                select(DeviceSession).where(DeviceSession.user_id == user.id)
            )
        ],
        "access_log": [{**entry, "at": entry["at"].isoformat()} for entry in access_log(user.id)],
    }
    data["photos"] = rows(MemberPhoto, MemberPhoto.user_id == user.id)
    if matches:
        data["messages"] = rows(Message, Message.match_id.in_([m.id for m in matches]))
    data.update(_safety_export(user.id))
    data.update(_offline_export(user.id))
    return data


def _safety_export(user_id: int) -> dict[str, Any]:
    """Reports the member made (what they wrote and the evidence kept; whether it was
    handled, not how), reports about them only as far as their outcome (never who
    reported, the note or the evidence), and the appeals they wrote."""
    from app.safety.models import Appeal, Report, ReportState

    filed = db.session.scalars(
        select(Report).where(Report.reporter_id == user_id).order_by(Report.id)
    )
    about = db.session.scalars(
        select(Report).where(Report.reported_id == user_id).order_by(Report.id)
    )
    appeals = db.session.scalars(
        select(Appeal).where(Appeal.member_id == user_id).order_by(Appeal.id)
    )
    return {
        "reports_filed": [
            {
                **_row(r, skip=("reporter_id", "decided_by_id", "decided_at", "decision_reason")),
                "state": "open" if r.state is ReportState.open else "handled",
            }
            for r in filed
        ],
        "reports_about_me": [
            {
                "id": r.id,
                "created_at": _plain(r.created_at),
                "outcome": r.state.value,
                "decided_at": _plain(r.decided_at),
                "statement_of_reasons": r.decision_reason if r.state.acted_on else None,
            }
            for r in about
        ],
        "appeals": [_row(a, skip=("decided_by_id",)) for a in appeals],
    }


def withdraw_consent(user: User) -> bool:
    """Stop matching and processing: out of quick match until consent is given again."""
    if user.consent_withdrawn_at is not None:
        return False
    user.consent_withdrawn_at = utcnow()
    audit("consent.withdrawn", "user", user.id, actor_id=user.id)
    db.session.flush()
    return True


def give_consent(user: User) -> bool:
    """Consent again after a withdrawal: back in quick match (``member_ready_for_matching``:
    today's list even when today's batch ran already)."""
    if user.consent_withdrawn_at is None:
        return False
    user.consent_withdrawn_at = None
    audit("consent.given", "user", user.id, actor_id=user.id)
    db.session.flush()
    member_ready_for_matching.send(member_id=user.id)
    return True


def _remove_photo_files(photos: list[Any]) -> None:
    from app.profiles.photos import remove_files

    for photo in photos:
        remove_files(photo)


def delete_account(user: User) -> None:
    """Delete the member's personal data and anonymise the account. Flushes."""
    from app.lounge.models import Message
    from app.notifications.models import Notification
    from app.profiles.models import MemberPhoto, MemberProfile
    from app.quickmatch.models import DailySuggestion, MeetingFeedback, Reaction
    from app.relations.models import Block

    uid = user.id
    photos = list(db.session.scalars(select(MemberPhoto).where(MemberPhoto.user_id == uid)))
    _remove_photo_files(photos)
    db.session.execute(delete(MemberPhoto).where(MemberPhoto.user_id == uid))
    db.session.execute(delete(Message).where(Message.sender_id == uid))
    for statement in (
        delete(MemberProfile).where(MemberProfile.user_id == uid),
        delete(DailySuggestion).where(
            or_(DailySuggestion.viewer_id == uid, DailySuggestion.candidate_id == uid)
        ),
        delete(Reaction).where(or_(Reaction.from_id == uid, Reaction.to_id == uid)),
        delete(Block).where(or_(Block.blocker_id == uid, Block.blocked_id == uid)),
        delete(MeetingFeedback).where(MeetingFeedback.member_id == uid),
        delete(Notification).where(Notification.user_id == uid),
        delete(DeviceSession).where(DeviceSession.user_id == uid),
        delete(PersonalDataAccess).where(PersonalDataAccess.subject_id == uid),
    ):
        db.session.execute(statement)
    _delete_offline(uid)
    for case in _cases(uid):
        case.name_encrypted = ""
        case.id_number_encrypted = ""
        case.id_number_index = ""
        case.name_masked = ""
        case.id_number_masked = ""
    db.session.execute(
        Check.__table__.update()
        .where(Check.case_id.in_(select(Case.id).where(Case.user_id == uid)))
        .values(facts={})
    )
    db.session.execute(
        VerifiedFact.__table__.update().where(VerifiedFact.user_id == uid).values(facts={})
    )
    # Consent rows stay: when consent was given is part of the record.
    user.phone = f"x{uid}"  # a tombstone: the number can register again
    user.password_hash = "!" + secrets.token_hex(16)  # never a valid hash
    user.session_token = new_session_token()  # every session ends
    user.state = AccountState.deleted
    user.deleted_at = utcnow()
    user.last_login_at = None
    user.locale = None
    user.consent_withdrawn_at = None
    audit("account.deleted", "user", uid, actor_id=uid)
    db.session.flush()
