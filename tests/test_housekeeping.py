"""Scheduled housekeeping: expired SMS codes are purged by a beat job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import CodePurpose, SmsCode
from app.accounts.tasks import purge_expired_codes
from app.db_types import utcnow
from app.extensions import db


def test_beat_schedules_the_purge_daily(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule["purge-expired-sms-codes"]["task"] == purge_expired_codes.name


def test_purge_removes_only_codes_expired_over_a_day_ago(app_ctx):
    now = utcnow()
    for age in (timedelta(days=3), timedelta(hours=2)):
        db.session.add(
            SmsCode(
                phone="+8613900000000",
                purpose=CodePurpose.signup,
                code_hash=str(age),
                created_at=now - age,
                expires_at=now - age + timedelta(minutes=5),
            )
        )
    db.session.commit()
    assert purge_expired_codes.apply().get() == 1
    remaining = db.session.scalars(select(SmsCode.code_hash)).all()
    assert remaining == [str(timedelta(hours=2))]
