"""Today's first list for a member ready after the day's batch (每日速配).

The page only reads. A member who becomes ready for matching once the batch has run (a
verified member's first profile, consent given again, verification approved) gets
their list from the task ``quickmatch.prepare_list``, queued by the signal
``member_ready_for_matching`` once the change commits; in eager mode (the tests) it runs
right after the commit. A list nobody fits is recorded with size 0 and never refitted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

import pytest
from celery.signals import task_prerun
from flask import Flask
from sqlalchemy import event, func, select

from app.accounts.models import AccountState, User
from app.db_types import utcnow
from app.extensions import db
from app.privacy import operations as privacy
from app.quickmatch import service, tasks
from app.quickmatch.models import DailyList, DailySuggestion
from app.quickmatch.settings import Settings
from app.signals import member_ready_for_matching
from app.verification import operations as verification
from app.verification import runtime
from app.verification.models import Case, CaseState
from matching import Profile
from tests.factories import make_user
from tests.quickmatch_helpers import add_members, population
from tests.test_today_page import sign_in, suggest, today_of

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


@pytest.fixture
def people(app: Flask) -> list[int]:
    return add_members(app, population(40, seed=3))


@pytest.fixture
def batch_ran(app: Flask, people: list[int]) -> None:
    """Today's batch wrote (a list for people[1]); people[0] and the rest have none."""
    suggest(app, people[1], people[2:4])


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs meanwhile."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def writes_to_lists(seen: list[str]) -> list[str]:
    """The statements that write quick match's lists."""
    return [
        s
        for s in seen
        if s.lstrip().upper().startswith(WRITES) and ("daily_list" in s or "daily_suggestion" in s)
    ]


@contextmanager
def prepared_lists() -> Iterator[list[tuple]]:
    """The arguments of every ``quickmatch.prepare_list`` run meanwhile (Celery's own
    signal: the eager task runs in-process)."""
    runs: list[tuple] = []

    def record(sender=None, args=None, **_kwargs) -> None:
        if sender is not None and sender.name == "quickmatch.prepare_list":
            runs.append(tuple(args or ()))

    task_prerun.connect(record, weak=False)
    try:
        yield runs
    finally:
        task_prerun.disconnect(record)


def lists_of(app: Flask, member_id: int) -> tuple[int | None, list[int]]:
    """(the member's DailyList size for today or None, the candidates on their list)."""
    day = today_of(app)
    with app.app_context():
        listed = db.session.scalars(
            select(DailySuggestion.candidate_id)
            .where(DailySuggestion.viewer_id == member_id, DailySuggestion.day == day)
            .order_by(DailySuggestion.rank)
        ).all()
        return service.list_size(member_id, day), list(listed)


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (DailyList, DailySuggestion)
        )


def withdraw_consent(app: Flask, member_id: int) -> None:
    with app.app_context():
        db.session.get(User, member_id).consent_withdrawn_at = utcnow()
        db.session.commit()


def profile_form() -> dict[str, str]:
    return {"nickname": "新来的", "city": "杭州", "height_cm": "170", "bio": "你好"}


# -- the page only reads ---------------------------------------------------------------------


def test_opening_today_without_a_list_writes_nothing_and_says_it_is_being_prepared(
    app, client, people, batch_ran
):
    sign_in(app, client, people[0])
    before = counts(app)
    with statements(app) as seen:
        first = client.get("/today/")
        second = client.get("/today/")
    assert writes_to_lists(seen) == []
    assert counts(app) == before
    for response in (first, second):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'data-testid="today-first"' in page
        assert "Your first suggestions are being prepared…" in page
        assert '<meta http-equiv="refresh" content="10">' in page
        assert 'href="/today/"' in page
        assert "<script>" not in page  # no inline script: the CSP is script-src 'self'


def test_opening_today_with_a_list_writes_nothing(app, client, people, batch_ran):
    sign_in(app, client, people[1])
    with statements(app) as seen:
        page = client.get("/today/").get_data(as_text=True)
    assert page.count('data-testid="today-card"') == 2
    assert writes_to_lists(seen) == []
    assert 'http-equiv="refresh"' not in page


# -- the list comes from the task, queued after the commit -----------------------------------


def test_a_member_who_joined_after_the_batch_gets_a_list_once_their_profile_is_saved(
    app, client, people, batch_ran
):
    [newcomer] = add_members(app, population(40, seed=3)[:1], with_profile=False)
    sign_in(app, client, newcomer)
    assert "Fill in your profile first" in client.get("/today/").get_data(as_text=True)
    with prepared_lists() as runs:
        assert client.post("/profile/edit", data=profile_form()).status_code == 302
    assert runs == [(newcomer, today_of(app).isoformat())]
    size, listed = lists_of(app, newcomer)
    assert 0 < len(listed) <= app.config["QUICKMATCH_K"]
    assert size == len(listed)
    page = client.get("/today/").get_data(as_text=True)
    assert page.count('data-testid="today-card"') == len(listed)
    assert "%" in page
    # Opening the page again, or saving the profile again, computes nothing new.
    with prepared_lists() as runs:
        client.get("/today/")
        assert client.post("/profile/edit", data=profile_form()).status_code == 302
    assert runs == []
    assert lists_of(app, newcomer) == (size, listed)


def test_consent_given_again_queues_one_list_after_the_commit(app, client, people, batch_ran):
    withdraw_consent(app, people[0])
    sign_in(app, client, people[0])
    with prepared_lists() as runs:
        response = client.post("/me/data/consent", data={"choice": "give"})
    assert response.status_code == 302
    assert runs == [(people[0], today_of(app).isoformat())]
    size, listed = lists_of(app, people[0])
    assert size == len(listed) > 0
    assert client.get("/today/").get_data(as_text=True).count('data-testid="today-card"') == size


def test_an_approval_of_a_member_with_a_profile_queues_their_list(app, people, batch_ran):
    """A member verified again (their profile kept) whose case an administrator approves."""
    [member] = add_members(
        app, population(40, seed=3)[:1], state=AccountState.verifying, case_state=CaseState.review
    )
    admin = make_user(app, "admin")
    with app.app_context(), prepared_lists() as runs:
        case = db.session.scalar(select(Case).where(Case.user_id == member))
        reviewer = db.session.get(User, admin.id)
        verification.review(case, reviewer, True, "Seen at the desk", runtime.policy())
        assert runs == []
        db.session.commit()
        assert runs == [(member, today_of(app).isoformat())]
    size, listed = lists_of(app, member)
    assert size == len(listed) > 0


def test_the_task_waits_for_the_commit_and_a_rollback_queues_nothing(app, people, batch_ran):
    member = people[0]
    withdraw_consent(app, member)
    with app.app_context(), prepared_lists() as runs:
        user = db.session.get(User, member)
        assert privacy.give_consent(user)
        assert runs == []  # queued, not run: the transaction is open
        db.session.rollback()
        assert runs == []
        assert service.list_size(member, today_of(app)) is None

        user = db.session.get(User, member)
        assert privacy.give_consent(user)
        assert runs == []
        db.session.commit()
        assert runs == [(member, today_of(app).isoformat())]
    assert lists_of(app, member)[0] is not None


def test_nothing_is_queued_before_the_days_batch_or_for_a_member_with_a_list(app, people):
    with app.app_context(), prepared_lists() as runs:
        member_ready_for_matching.send(member_id=people[0])  # no list written today
        db.session.commit()
        assert runs == []
    suggest(app, people[1], people[2:4])  # the batch ran; people[1] has a list
    with app.app_context(), prepared_lists() as runs:
        member_ready_for_matching.send(member_id=people[1])
        db.session.commit()
        assert runs == []
    assert counts(app) == (1, 2)


def test_a_member_not_ready_for_matching_is_not_queued(app, people, batch_ran):
    [no_profile] = add_members(app, population(40, seed=3)[:1], with_profile=False)
    withdraw_consent(app, people[0])
    with app.app_context(), prepared_lists() as runs:
        for member in (no_profile, people[0]):
            member_ready_for_matching.send(member_id=member)
        db.session.commit()
    assert runs == []


def test_prepare_list_is_idempotent_and_respects_the_days_lists(app, people, batch_ran):
    day = today_of(app)
    settings = Settings.from_config(app.config)
    with app.app_context():
        assert service.prepare_list(people[1], day, settings).suggestions == 0  # has one
        first = service.prepare_list(people[0], day, settings).suggestions
        db.session.commit()
        assert first > 0
        assert service.prepare_list(people[0], day, settings).suggestions == 0
        db.session.commit()
        # A re-delivered task writes nothing either.
        again = tasks.prepare_list.apply(args=[people[0], day.isoformat()]).get()
        assert again["suggestions"] == 0
        assert (
            db.session.scalar(select(func.count()).where(DailySuggestion.viewer_id == people[0]))
            == first
        )
        assert service.list_size(people[0], day) == first


# -- nobody new today ------------------------------------------------------------------------


def unmatchable() -> Profile:
    """A member who wants someone 2.1 m tall (as ``benchmarks.synthetic`` makes a few):
    nobody fits them."""
    return replace(population(40, seed=3)[0], height_min=210, height_max=None)


def test_a_list_nobody_fits_is_recorded_and_never_refitted(app, client, people, batch_ran):
    [lonely] = add_members(app, [unmatchable()])
    withdraw_consent(app, lonely)
    sign_in(app, client, lonely)
    with prepared_lists() as runs:
        client.post("/me/data/consent", data={"choice": "give"})
    assert len(runs) == 1
    assert lists_of(app, lonely) == (0, [])
    before = counts(app)
    with statements(app) as seen, prepared_lists() as runs:
        pages = [client.get("/today/").get_data(as_text=True) for _ in range(2)]
        client.post("/me/data/consent", data={"choice": "withdraw"})
        client.post("/me/data/consent", data={"choice": "give"})  # ready again: a list is there
    assert runs == []
    assert writes_to_lists(seen) == []
    assert counts(app) == before
    for page in pages:
        assert 'data-testid="today-nobody"' in page
        assert "Nobody new for you today. Come back tomorrow at 05:00" in page
        assert 'http-equiv="refresh"' not in page


def test_the_batch_records_the_empty_lists_and_the_page_says_nobody_new(app, client, people):
    [lonely] = add_members(app, [unmatchable()])
    with app.app_context():
        summary = tasks.run_daily.apply(args=[today_of(app).isoformat()]).get()
    assert summary["sizes"].get("0", 0) >= 1
    assert lists_of(app, lonely) == (0, [])
    sign_in(app, client, lonely)
    with statements(app) as seen:
        page = client.get("/today/").get_data(as_text=True)
    assert writes_to_lists(seen) == []
    assert 'data-testid="today-nobody"' in page


def test_before_the_batch_a_ready_member_waits_for_it(app, client, people, monkeypatch):
    moment = datetime.fromisoformat("2026-03-10T04:30:00+08:00")
    monkeypatch.setattr(Settings, "today", lambda self, now=None: moment.date())
    original = Settings.next_batch
    monkeypatch.setattr(Settings, "next_batch", lambda self, now=None: original(self, moment))
    sign_in(app, client, people[0])
    page = client.get("/today/").get_data(as_text=True)
    assert 'data-testid="today-preparing"' in page
    assert "Today’s suggestions arrive at 05:00" in page
    assert 'http-equiv="refresh"' not in page
